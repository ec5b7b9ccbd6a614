import type { ReactNode } from 'react';

/** A screen: a title bar (with a back link and actions on the right) over its content. */
export function Page({ title, subtitle, back, actions, children, wide, badge }: { title: ReactNode; subtitle?: ReactNode; back?: { href: string; label: string }; actions?: ReactNode; children: ReactNode; wide?: boolean; badge?: ReactNode }) {
  return (
    <div className={wide ? 'page page-wide' : 'page'}>
      <header className="page-header">
        <div className="page-titles">
          {back && (
            <a className="back-link" href={back.href}>
              ← {back.label}
            </a>
          )}
          <div className="page-title-row">
            <h1>{title}</h1>
            {badge}
          </div>
          {subtitle && <div className="page-subtitle">{subtitle}</div>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </div>
  );
}

export function Card({ title, actions, children, className, flush }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; flush?: boolean }) {
  return (
    <section className={`card${flush ? ' card-flush' : ''}${className ? ` ${className}` : ''}`}>
      {(title || actions) && (
        <header className="card-header">
          {title && <h2>{title}</h2>}
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      {children}
    </section>
  );
}
