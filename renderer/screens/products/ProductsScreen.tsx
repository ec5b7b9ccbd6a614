/** Products: an index table with search, store and backordered filters, cursor pages, and a side panel per product. */
import { useEffect, useState } from 'react';
import type { Product } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { StockBadges } from '../../components/Badge';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { Banner } from '../../components/Banner';
import { Page } from '../../components/Page';
import { Pagination } from '../../components/Pagination';
import { Icon } from '../../components/Icon';
import { count, money } from '../../lib/format';
import { useDebounced } from '../../lib/use-debounced';
import { useLiveQuery } from '../../lib/use-live-query';
import { usePager } from '../../lib/use-pager';
import { href, navigate, type Route } from '../../state/router';
import { ProductPanel } from './ProductPanel';

const PAGE_SIZE = 50;

const columns: Column<Product>[] = [
  { key: 'name', header: 'Product', width: '16%', render: (p) => <a className="row-link" href={href('products', p.id)} tabIndex={-1}>{p.name}</a>, sortValue: (p) => p.name },
  { key: 'description', header: 'Description', width: '24%', render: (p) => <span className="muted clamp">{p.description}</span>, sortValue: (p) => p.description },
  { key: 'store', header: 'Store', width: '16%', render: (p) => p.storeName, sortValue: (p) => p.storeName },
  { key: 'price', header: 'Price', align: 'end', width: '9%', render: (p) => money(p.price), sortValue: (p) => p.price },
  { key: 'stock', header: 'Stock', align: 'end', width: '8%', render: (p) => <span className={p.quantity === 0 ? 'critical-text' : undefined}>{count(p.quantity)}</span>, sortValue: (p) => p.quantity },
  { key: 'limit', header: 'Backorder limit', align: 'end', width: '12%', render: (p) => count(p.backorderLimit), sortValue: (p) => p.backorderLimit },
  { key: 'status', header: 'Status', width: '15%', render: (p) => <StockBadges product={p} />, sortValue: (p) => (p.quantity === 0 ? 0 : p.backordered ? 1 : 2) },
];

/** With the side panel open the table keeps the columns that matter most. */
const compactColumns = columns.filter((c) => c.key !== 'description' && c.key !== 'limit');

export function ProductsScreen({ route }: { route: Route }) {
  const api = useApi();
  const storeId = route.params.get('store') ?? '';
  const backordered = route.params.get('backordered') === '1';
  const [search, setSearch] = useState(route.params.get('q') ?? '');
  const q = useDebounced(search.trim(), 200);

  const setParam = (changes: Record<string, string | undefined>) => {
    const p = { q: q || undefined, store: storeId || undefined, backordered: backordered ? '1' : undefined, ...changes };
    navigate(href('products', route.id, p), { replace: true });
  };
  useEffect(() => {
    if ((route.params.get('q') ?? '') !== q) setParam({ q: q || undefined });
  }, [q]);

  const filterKey = `${storeId}|${q}|${backordered}`;
  const pager = usePager(filterKey);
  const list = useLiveQuery(
    `products|${filterKey}|${pager.after ?? ''}`,
    () =>
      api.call('products.list', {
        size: PAGE_SIZE,
        ...(storeId ? { storeId } : {}),
        ...(q ? { search: q } : {}),
        ...(backordered ? { backordered: true } : {}),
        ...(pager.after ? { after: pager.after } : {}),
      }),
    { collections: ['products', 'stores'] },
  );
  const stores = useLiveQuery('stores', () => api.call('stores.list', {}), { collections: ['stores'] });
  const filtered = !!(q || storeId || backordered);
  const panelOpen = route.id !== null;

  return (
    <div className={panelOpen ? 'with-panel' : undefined}>
      <Page
        title="Products"
        actions={
          <a className="btn btn-primary" href={href('products', 'new', Object.fromEntries(route.params))}>
            <Icon name="plus" size={16} /> Add product
          </a>
        }
      >
        <div className="card card-flush">
          <div className="filters" role="search">
            <label className="search-box">
              <Icon name="search" size={16} />
              <span className="visually-hidden">Search products</span>
              <input
                type="search"
                className="input"
                placeholder="Search products"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                onKeyDown={(e) => e.key === 'Escape' && search && (e.preventDefault(), setSearch(''))}
              />
            </label>
            <label className="filter-select">
              <span className="visually-hidden">Store</span>
              <select className="input select" value={storeId} onChange={(e) => setParam({ store: e.target.value || undefined })} aria-label="Filter by store">
                <option value="">All stores</option>
                {stores.data?.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="button" className={backordered ? 'chip chip-on' : 'chip'} aria-pressed={backordered} onClick={() => setParam({ backordered: backordered ? undefined : '1' })}>
              Backordered only
            </button>
            {filtered && (
              <button type="button" className="btn btn-plain" onClick={() => { setSearch(''); navigate(href('products', route.id), { replace: true }); }}>
                Clear filters
              </button>
            )}
          </div>
          {list.error && <Banner title="Products could not be loaded">{list.error.message}</Banner>}
          <DataTable
            label="Products"
            testId="products-table"
            columns={panelOpen ? compactColumns : columns}
            rows={list.data?.items}
            rowKey={(p) => p.id}
            flashKey={(p) => ['products', p.id]}
            rowVersion={(p) => p.ts}
            onOpen={(p) => navigate(href('products', p.id, Object.fromEntries(route.params)))}
            selectedKey={route.id}
            dim={list.stale}
            empty={
              filtered ? (
                <EmptyState icon="search" title="No products match" action={<button type="button" className="btn" onClick={() => { setSearch(''); navigate(href('products'), { replace: true }); }}>Clear filters</button>}>
                  Try another search or store.
                </EmptyState>
              ) : (
                <EmptyState icon="product" title="Add your first product" action={<a className="btn btn-primary" href={href('products', 'new')}>Add product</a>}>
                  Products you add appear here with their price and stock.
                </EmptyState>
              )
            }
          />
          <Pagination page={pager.page} pageSize={PAGE_SIZE} shown={list.data?.items.length ?? 0} hasNext={!!list.data?.after} onPrevious={pager.previous} onNext={() => pager.next(list.data?.after ?? null)} />
        </div>
      </Page>
      {panelOpen && <ProductPanel key={route.id} id={route.id!} defaultStoreId={storeId} onClose={() => navigate(href('products', null, Object.fromEntries(route.params)))} />}
    </div>
  );
}
