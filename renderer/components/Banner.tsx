import type { ReactNode } from 'react';
import { Icon } from './Icon';

export function Banner({ tone = 'critical', title, children, onDismiss }: { tone?: 'critical' | 'info' | 'success' | 'attention'; title?: string; children?: ReactNode; onDismiss?: () => void }) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'critical' ? 'alert' : 'status'}>
      <Icon name={tone === 'success' ? 'check' : 'alert'} className="banner-icon" />
      <div className="banner-body">
        {title && <div className="banner-title">{title}</div>}
        {children && <div className="banner-text">{children}</div>}
      </div>
      {onDismiss && (
        <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
          <Icon name="close" size={16} />
        </button>
      )}
    </div>
  );
}
