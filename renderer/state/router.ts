/**
 * Hash routing: `#/products/201?edit=1`. Each window keeps its own section and
 * selection; back/forward work; the page's own query (the web token) is kept.
 */
import { create } from 'zustand';

export type Screen = 'stores' | 'products' | 'customers' | 'orders' | 'new-order' | 'shell' | 'ledger' | 'schema';

export const SCREENS: { screen: Screen; label: string; shortcut: string }[] = [
  { screen: 'stores', label: 'Stores', shortcut: '1' },
  { screen: 'products', label: 'Products', shortcut: '2' },
  { screen: 'customers', label: 'Customers', shortcut: '3' },
  { screen: 'orders', label: 'Orders', shortcut: '4' },
  { screen: 'new-order', label: 'New order', shortcut: '5' },
  { screen: 'shell', label: 'Shell', shortcut: '6' },
  { screen: 'ledger', label: 'Ledger', shortcut: '7' },
  { screen: 'schema', label: 'Schema', shortcut: '8' },
];

export interface Route {
  screen: Screen;
  /** The selected document id, or 'new'. */
  id: string | null;
  params: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#\/?/, '');
  const q = raw.indexOf('?');
  const path = q >= 0 ? raw.slice(0, q) : raw;
  const params = new URLSearchParams(q >= 0 ? raw.slice(q + 1) : '');
  const [first, second] = path.split('/').filter(Boolean);
  const screen = SCREENS.some((s) => s.screen === first) ? (first as Screen) : 'products';
  return { screen, id: second ? decodeURIComponent(second) : null, params };
}

export function href(screen: Screen, id?: string | null, params?: Record<string, string | undefined>): string {
  let out = `#/${screen}`;
  if (id) out += `/${encodeURIComponent(id)}`;
  if (params) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
    const s = q.toString();
    if (s) out += `?${s}`;
  }
  return out;
}

interface RouterState {
  route: Route;
}

export const useRouter = create<RouterState>(() => ({ route: parseHash(location.hash) }));

window.addEventListener('hashchange', () => {
  useRouter.setState({ route: parseHash(location.hash) });
});

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (options.replace) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}${to}`);
    useRouter.setState({ route: parseHash(to) });
  } else if (location.hash !== to) {
    location.hash = to;
  }
}

export function useRoute(): Route {
  return useRouter((s) => s.route);
}
