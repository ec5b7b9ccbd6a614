/** Orders: a list with a status filter and cursor pages; an order's page with its lines and the Ship action. */
import type { OrderSummary } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { OrderStatusBadge } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { Page } from '../../components/Page';
import { Pagination } from '../../components/Pagination';
import { count, date, money } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { usePager } from '../../lib/use-pager';
import { href, navigate, type Route } from '../../state/router';
import { OrderDetail } from './OrderDetail';

const PAGE_SIZE = 50;
type StatusFilter = '' | 'processing' | 'shipped';

const columns: Column<OrderSummary>[] = [
  { key: 'id', header: 'Order', width: '14%', render: (o) => <a className="row-link" href={href('orders', o.id)} tabIndex={-1}>#{o.id}</a>, sortValue: (o) => o.id },
  { key: 'date', header: 'Date', width: '20%', render: (o) => date(o.creationDate), sortValue: (o) => o.creationDate },
  { key: 'customer', header: 'Customer', width: '22%', render: (o) => o.customerName, sortValue: (o) => o.customerName },
  { key: 'items', header: 'Items', align: 'end', width: '10%', render: (o) => count(o.itemCount), sortValue: (o) => o.itemCount },
  { key: 'total', header: 'Total', align: 'end', width: '14%', render: (o) => money(o.total), sortValue: (o) => o.total },
  { key: 'status', header: 'Status', width: '20%', render: (o) => <OrderStatusBadge status={o.status} />, sortValue: (o) => o.status },
];

export function OrdersScreen({ route }: { route: Route }) {
  if (route.id) return <OrderDetail id={route.id} />;
  return <OrderList route={route} />;
}

function OrderList({ route }: { route: Route }) {
  const api = useApi();
  const raw = route.params.get('status');
  const status: StatusFilter = raw === 'processing' || raw === 'shipped' ? raw : '';
  const pager = usePager(status);
  const list = useLiveQuery(
    `orders|${status}|${pager.after ?? ''}`,
    () => api.call('orders.list', { size: PAGE_SIZE, ...(status ? { status } : {}), ...(pager.after ? { after: pager.after } : {}) }),
    { collections: ['orders', 'customers', 'products'] },
  );
  const tabs: { value: StatusFilter; label: string }[] = [
    { value: '', label: 'All' },
    { value: 'processing', label: 'Processing' },
    { value: 'shipped', label: 'Shipped' },
  ];
  return (
    <Page
      title="Orders"
      actions={
        <a className="btn btn-primary" href={href('new-order')}>
          <Icon name="plus" size={16} /> New order
        </a>
      }
    >
      <div className="card card-flush">
        <div className="tabs" role="tablist" aria-label="Status">
          {tabs.map((t) => (
            <button
              key={t.value}
              type="button"
              role="tab"
              aria-selected={status === t.value}
              className={status === t.value ? 'tab active' : 'tab'}
              onClick={() => navigate(href('orders', null, { status: t.value || undefined }), { replace: true })}
            >
              {t.label}
            </button>
          ))}
        </div>
        {list.error && <Banner title="Orders could not be loaded">{list.error.message}</Banner>}
        <DataTable
          label="Orders"
          testId="orders-table"
          columns={columns}
          rows={list.data?.items}
          rowKey={(o) => o.id}
          flashKey={(o) => ['orders', o.id]}
          rowVersion={(o) => `${o.status}|${o.total}|${o.itemCount}`}
          onOpen={(o) => navigate(href('orders', o.id))}
          dim={list.stale}
          empty={
            status ? (
              <EmptyState icon="order" title={`No ${status} orders`} action={<button type="button" className="btn" onClick={() => navigate(href('orders'), { replace: true })}>Show all orders</button>}>
                {status === 'processing' ? 'Everything has shipped.' : 'Orders you ship appear here.'}
              </EmptyState>
            ) : (
              <EmptyState icon="order" title="No orders yet" action={<a className="btn btn-primary" href={href('new-order')}>Place an order</a>}>
                Orders placed from the New order screen, the Shell or another window appear here as they happen.
              </EmptyState>
            )
          }
        />
        <Pagination page={pager.page} pageSize={PAGE_SIZE} shown={list.data?.items.length ?? 0} hasNext={!!list.data?.after} onPrevious={pager.previous} onNext={() => pager.next(list.data?.after ?? null)} />
      </div>
    </Page>
  );
}
