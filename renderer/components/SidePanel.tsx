/** A panel on the right of a list: Esc closes it, focus moves into it when it opens. */
import { useEffect, useRef, type ReactNode } from 'react';
import { Icon } from './Icon';

export function SidePanel({ title, onClose, children, footer, labelledBy }: { title: ReactNode; onClose(): void; children: ReactNode; footer?: ReactNode; labelledBy?: string }) {
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!el.contains(document.activeElement)) {
      const target = el.querySelector<HTMLElement>('[data-autofocus]') ?? el;
      target.focus();
    }
  }, []);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      if (document.querySelector('dialog[open], .palette')) return;
      e.preventDefault();
      onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <aside className="side-panel" ref={ref} tabIndex={-1} aria-labelledby={labelledBy} role="complementary">
      <header className="side-panel-header">
        <h2 id={labelledBy}>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close panel" onClick={onClose}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <div className="side-panel-body">{children}</div>
      {footer && <footer className="side-panel-footer">{footer}</footer>}
    </aside>
  );
}
