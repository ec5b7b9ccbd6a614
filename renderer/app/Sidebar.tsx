/** Sections, the open database's name, the palette's shortcut and the "live" indicator. */
import { useEffect, useState } from 'react';
import { useApi } from './api-context';
import { Icon, type IconName } from '../components/Icon';
import { relativeTime } from '../lib/format';
import { useLive } from '../state/live';
import { href, SCREENS, useRoute, type Screen } from '../state/router';
import { usePalette } from '../state/palette';

const icons: Record<Screen, IconName> = {
  stores: 'store',
  products: 'product',
  customers: 'customer',
  orders: 'order',
  'new-order': 'plus',
  shell: 'shell',
  ledger: 'ledger',
  schema: 'schema',
};

const isMac = /Mac|iPhone|iPad/.test(navigator.platform);
export const modKey = isMac ? '⌘' : 'Ctrl';

export function Sidebar() {
  const route = useRoute();
  const openPalette = usePalette((s) => s.open);
  return (
    <nav className="sidebar" aria-label="Sections">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          <Icon name="box" size={18} />
        </span>
        <div className="brand-text">
          <span className="brand-name">Stockroom</span>
          <DatabaseName />
        </div>
      </div>
      <button type="button" className="palette-trigger" onClick={openPalette}>
        <Icon name="search" size={16} />
        <span>Search or jump to…</span>
        <kbd>{modKey} K</kbd>
      </button>
      <ul className="nav-list">
        {SCREENS.map((s) => {
          const current = route.screen === s.screen;
          return (
            <li key={s.screen} className={s.screen === 'shell' ? 'nav-gap' : undefined}>
              <a className={current ? 'nav-item current' : 'nav-item'} href={href(s.screen)} aria-current={current ? 'page' : undefined}>
                <Icon name={icons[s.screen]} size={18} />
                <span>{s.label}</span>
              </a>
            </li>
          );
        })}
      </ul>
      <LiveIndicator />
    </nav>
  );
}

function DatabaseName() {
  const api = useApi();
  const [name, setName] = useState<string | null>(null);
  const [full, setFull] = useState('');
  const connection = useLive((s) => s.connection);
  useEffect(() => {
    if (name !== null || connection !== 'open') return;
    let cancelled = false;
    api.call('app.info', {}).then(
      (info) => {
        if (cancelled) return;
        const base = info.database.split(/[\\/]/).pop() || info.database;
        setName(base);
        setFull(info.database);
      },
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [api, name, connection]);
  return (
    <span className="db-name" title={full} data-testid="db-name">
      {name ?? '…'}
    </span>
  );
}

function LiveIndicator() {
  const connection = useLive((s) => s.connection);
  const lastChangeAt = useLive((s) => s.lastChangeAt);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, []);
  useEffect(() => setNow(Date.now()), [lastChangeAt]);
  const text = connection === 'open' ? `live · updated ${relativeTime(lastChangeAt, now)}` : connection === 'reconnecting' ? 'reconnecting…' : 'connecting…';
  return (
    <div className={`live live-${connection}`} role="status" aria-live="off" data-testid="live-indicator">
      <span className="live-dot" aria-hidden="true" />
      {text}
    </div>
  );
}
