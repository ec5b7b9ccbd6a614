/** Stores: each store with its address, product count and its products. */
import { useEffect, useRef } from 'react';
import type { Product, Store } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { StockBadges } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { address, count, money, plural } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { useFlash } from '../../state/live';
import { href, navigate, type Route } from '../../state/router';

const SHOWN = 10;

export function StoresScreen({ route }: { route: Route }) {
  const api = useApi();
  const stores = useLiveQuery('stores', () => api.call('stores.list', {}), { collections: ['stores', 'products'] });
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!route.id || !stores.data || scrolledTo.current === route.id) return;
    scrolledTo.current = route.id;
    document.getElementById(`store-${route.id}`)?.scrollIntoView({ block: 'start' });
  }, [route.id, stores.data]);

  const total = stores.data?.reduce((n, s) => n + s.productCount, 0) ?? 0;
  return (
    <Page title="Stores" subtitle={stores.data ? `${plural(stores.data.length, 'store')} · ${plural(total, 'product')}` : '\u00a0'}>
      {stores.error && <Banner title="Stores could not be loaded">{stores.error.message}</Banner>}
      {!stores.data && !stores.error && (
        <div className="store-grid">
          {[0, 1, 2].map((i) => (
            <section key={i} className="card store-card">
              <div className="skeleton-block" />
            </section>
          ))}
        </div>
      )}
      {stores.data && stores.data.length === 0 && (
        <div className="card">
          <EmptyState icon="store" title="No stores yet" action={<a className="btn btn-primary" href={href('shell')}>Open the Shell</a>}>
            Stores are documents in the <code>stores</code> collection; create one from the Shell with <code>Create(Collection("stores"), {'{'} data: {'{'} name: "…" {'}'} {'}'})</code>.
          </EmptyState>
        </div>
      )}
      <div className="store-grid">
        {stores.data?.map((s) => (
          <StoreCard key={s.id} store={s} selected={route.id === s.id} />
        ))}
      </div>
    </Page>
  );
}

const columns: Column<Product>[] = [
  { key: 'name', header: 'Product', width: '22%', render: (p) => <a className="row-link" href={href('products', p.id)} tabIndex={-1}>{p.name}</a>, sortValue: (p) => p.name },
  { key: 'description', header: 'Description', width: '34%', render: (p) => <span className="muted clamp">{p.description}</span> },
  { key: 'price', header: 'Price', align: 'end', width: '12%', render: (p) => money(p.price), sortValue: (p) => p.price },
  { key: 'stock', header: 'Stock', align: 'end', width: '12%', render: (p) => count(p.quantity), sortValue: (p) => p.quantity },
  { key: 'status', header: 'Status', width: '20%', render: (p) => <StockBadges product={p} /> },
];

function StoreCard({ store, selected }: { store: Store; selected: boolean }) {
  const api = useApi();
  const flashing = useFlash('stores', store.id);
  const products = useLiveQuery(`store-products/${store.id}`, () => api.call('products.list', { storeId: store.id, size: SHOWN }), { collections: ['products', 'stores'] });
  const [line1, line2] = address(store.address);
  return (
    <section className={`card store-card${selected ? ' selected' : ''}${flashing ? ' flash' : ''}`} id={`store-${store.id}`} aria-labelledby={`store-title-${store.id}`} data-testid="store-card">
      <header className="store-header">
        <div className="store-icon" aria-hidden="true">
          <Icon name="store" size={20} />
        </div>
        <div className="store-titles">
          <h2 id={`store-title-${store.id}`}>{store.name}</h2>
          <address className="muted">
            {line1}
            <br />
            {line2}
          </address>
        </div>
        <div className="store-meta">
          <span className="store-count">{plural(store.productCount, 'product')}</span>
          <a className="btn btn-plain" href={href('products', 'new', { store: store.id })}>
            <Icon name="plus" size={16} /> Add product
          </a>
        </div>
      </header>
      <DataTable
        label={`Products of ${store.name}`}
        columns={columns}
        rows={products.data?.items}
        rowKey={(p) => p.id}
        flashKey={(p) => ['products', p.id]}
        rowVersion={(p) => p.ts}
        onOpen={(p) => navigate(href('products', p.id))}
        skeletonRows={Math.min(store.productCount, 4) || 1}
        empty={<p className="table-empty">No products yet. <a href={href('products', 'new', { store: store.id })}>Add the first one</a>.</p>}
      />
      {store.productCount > SHOWN && (
        <footer className="card-footer">
          <a href={href('products', null, { store: store.id })}>View all {plural(store.productCount, 'product')} →</a>
        </footer>
      )}
    </section>
  );
}
