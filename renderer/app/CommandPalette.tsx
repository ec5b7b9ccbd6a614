/**
 * Ctrl/Cmd+K: jump to any screen, product, customer or order. Type to search;
 * ↑/↓ choose, Enter opens, Esc closes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Customer, OrderSummary, Product } from '../../shared/api/contract.js';
import { useApi } from './api-context';
import { Icon, type IconName } from '../components/Icon';
import { card, date, money } from '../lib/format';
import { useDebounced } from '../lib/use-debounced';
import { usePalette } from '../state/palette';
import { href, navigate, SCREENS } from '../state/router';

interface Item {
  key: string;
  group: string;
  icon: IconName;
  label: string;
  detail?: string;
  to: string;
}

export function CommandPalette() {
  const isOpen = usePalette((s) => s.isOpen);
  if (!isOpen) return null;
  return <Palette />;
}

function Palette() {
  const api = useApi();
  const close = usePalette((s) => s.close);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const q = useDebounced(query.trim(), 120);
  const [products, setProducts] = useState<Product[]>([]);
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [orders, setOrders] = useState<OrderSummary[]>([]);
  const inputRef = useRef<HTMLInputElement>(null);
  const restoreFocus = useRef<Element | null>(document.activeElement);

  useEffect(() => {
    inputRef.current?.focus();
    const el = restoreFocus.current;
    return () => {
      if (el instanceof HTMLElement && document.contains(el)) el.focus();
    };
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.call('orders.list', { size: 200 }).then((p) => !cancelled && setOrders(p.items), () => {});
    return () => {
      cancelled = true;
    };
  }, [api]);

  useEffect(() => {
    let cancelled = false;
    const args = q ? { search: q, size: 6 } : { size: 5 };
    api.call('products.list', args).then((p) => !cancelled && setProducts(p.items), () => !cancelled && setProducts([]));
    api.call('customers.list', args).then((p) => !cancelled && setCustomers(p.items), () => !cancelled && setCustomers([]));
    return () => {
      cancelled = true;
    };
  }, [api, q]);

  // Everything is filtered by what is typed now, so results fetched for an
  // earlier, shorter query never linger (Enter right after typing picks a match).
  const needle = query.trim().toLowerCase();
  const items = useMemo<Item[]>(() => {
    const matches = (...texts: string[]) => !needle || texts.some((t) => t.toLowerCase().includes(needle));
    const out: Item[] = [];
    for (const s of SCREENS) {
      if (matches(s.label)) out.push({ key: `screen-${s.screen}`, group: 'Go to', icon: 'chevronRight', label: s.label, detail: `Alt+${s.shortcut}`, to: href(s.screen) });
    }
    for (const p of products) {
      if (matches(p.name, p.description)) out.push({ key: `p-${p.id}`, group: 'Products', icon: 'product', label: p.name, detail: `${p.description} · ${money(p.price)} · ${p.quantity} in stock`, to: href('products', p.id) });
    }
    for (const c of customers) {
      if (matches(c.firstName, c.lastName, `${c.firstName} ${c.lastName}`)) out.push({ key: `c-${c.id}`, group: 'Customers', icon: 'customer', label: `${c.firstName} ${c.lastName}`, detail: `${c.address.city} · ${card(c.card)}`, to: href('customers', c.id) });
    }
    const os = orders.filter((o) => matches(o.id, o.customerName, `order ${o.id}`, `#${o.id}`)).slice(0, 6);
    for (const o of os) out.push({ key: `o-${o.id}`, group: 'Orders', icon: 'order', label: `Order #${o.id}`, detail: `${o.customerName} · ${date(o.creationDate)} · ${money(o.total)}`, to: href('orders', o.id) });
    return out;
  }, [needle, products, customers, orders]);

  useEffect(() => setActive(0), [needle]);
  const current = Math.min(active, Math.max(0, items.length - 1));

  const open = (item: Item | undefined) => {
    if (!item) return;
    restoreFocus.current = null;
    close();
    navigate(item.to);
  };

  useEffect(() => {
    document.getElementById(`palette-item-${current}`)?.scrollIntoView({ block: 'nearest' });
  }, [current]);

  let lastGroup = '';
  return (
    <div className="palette-backdrop" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="palette" role="dialog" aria-modal="true" aria-label="Command palette">
        <div className="palette-input">
          <Icon name="search" size={18} />
          <input
            ref={inputRef}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            placeholder="Jump to a screen, product, customer or order…"
            role="combobox"
            aria-expanded="true"
            aria-controls="palette-list"
            aria-activedescendant={items.length ? `palette-item-${current}` : undefined}
            onKeyDown={(e) => {
              if (e.key === 'ArrowDown') {
                e.preventDefault();
                setActive((current + 1) % Math.max(1, items.length));
              } else if (e.key === 'ArrowUp') {
                e.preventDefault();
                setActive((current - 1 + items.length) % Math.max(1, items.length));
              } else if (e.key === 'Enter') {
                e.preventDefault();
                open(items[current]);
              } else if (e.key === 'Escape') {
                e.preventDefault();
                close();
              } else if (e.key === 'Tab') {
                e.preventDefault();
              }
            }}
          />
          <kbd>Esc</kbd>
        </div>
        <ul className="palette-list" id="palette-list" role="listbox" aria-label="Results">
          {items.length === 0 && <li className="palette-empty">Nothing matches “{query.trim()}”.</li>}
          {items.map((item, i) => {
            const header = item.group !== lastGroup ? item.group : null;
            lastGroup = item.group;
            return (
              <li key={item.key} role="presentation">
                {header && <div className="palette-group" role="presentation">{header}</div>}
                <div
                  id={`palette-item-${i}`}
                  role="option"
                  aria-selected={i === current}
                  className={i === current ? 'palette-item active' : 'palette-item'}
                  onMouseMove={() => i !== current && setActive(i)}
                  onClick={() => open(item)}
                >
                  <Icon name={item.icon} size={16} />
                  <span className="palette-label">{item.label}</span>
                  {item.detail && <span className="palette-detail">{item.detail}</span>}
                </div>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
