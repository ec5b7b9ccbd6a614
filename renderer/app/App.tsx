/** The window: sidebar on the left, the current screen on the right, the palette and toasts on top. */
import { lazy, Suspense, useEffect } from 'react';
import { CommandPalette } from './CommandPalette';
import { Sidebar } from './Sidebar';
import { Toasts } from '../components/Toasts';
import { usePalette } from '../state/palette';
import { href, navigate, SCREENS, useRoute } from '../state/router';
import { StoresScreen } from '../screens/stores/StoresScreen';
import { ProductsScreen } from '../screens/products/ProductsScreen';
import { CustomersScreen } from '../screens/customers/CustomersScreen';
import { OrdersScreen } from '../screens/orders/OrdersScreen';
import { NewOrderScreen } from '../screens/new-order/NewOrderScreen';
import { LedgerScreen } from '../screens/ledger/LedgerScreen';
import { SchemaScreen } from '../screens/schema/SchemaScreen';

// The Shell carries the code editor; it loads on first visit so the app opens faster.
const ShellScreen = lazy(() => import('../screens/shell/ShellScreen').then((m) => ({ default: m.ShellScreen })));

function ScreenFallback() {
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-titles">
          <h1 className="muted">Loading…</h1>
        </div>
      </header>
      <div className="card">
        <div className="skeleton-block" />
      </div>
    </div>
  );
}

export function App() {
  const route = useRoute();
  useGlobalShortcuts();
  useEffect(() => {
    const label = SCREENS.find((s) => s.screen === route.screen)?.label ?? 'Stockroom';
    document.title = `${label} · Stockroom`;
  }, [route.screen]);

  let screen;
  switch (route.screen) {
    case 'stores':
      screen = <StoresScreen route={route} />;
      break;
    case 'products':
      screen = <ProductsScreen route={route} />;
      break;
    case 'customers':
      screen = <CustomersScreen route={route} />;
      break;
    case 'orders':
      screen = <OrdersScreen route={route} />;
      break;
    case 'new-order':
      screen = <NewOrderScreen route={route} />;
      break;
    case 'shell':
      screen = <ShellScreen />;
      break;
    case 'ledger':
      screen = <LedgerScreen route={route} />;
      break;
    case 'schema':
      screen = <SchemaScreen />;
      break;
  }

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main className="main" id="main" tabIndex={-1} data-screen={route.screen}>
        <Suspense fallback={<ScreenFallback />}>{screen}</Suspense>
      </main>
      <CommandPalette />
      <Toasts />
    </div>
  );
}

function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.metaKey || e.ctrlKey) && !e.altKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        usePalette.getState().toggle();
        return;
      }
      if (e.altKey && !e.metaKey && !e.ctrlKey && /^Digit[1-8]$/.test(e.code)) {
        const s = SCREENS[Number(e.code.slice(5)) - 1];
        if (s) {
          e.preventDefault();
          navigate(href(s.screen));
        }
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
