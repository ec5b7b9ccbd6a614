import { useToasts } from '../state/toasts';
import { Icon } from './Icon';

export function Toasts() {
  const toasts = useToasts((s) => s.toasts);
  const dismiss = useToasts((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast-${t.tone}`} data-testid="toast">
          <Icon name={t.tone === 'critical' ? 'alert' : 'check'} size={18} />
          <span className="toast-message">{t.message}</span>
          {t.link && (
            <a className="toast-link" href={t.link.href} onClick={() => dismiss(t.id)}>
              {t.link.label}
            </a>
          )}
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            <Icon name="close" size={14} />
          </button>
        </div>
      ))}
    </div>
  );
}
