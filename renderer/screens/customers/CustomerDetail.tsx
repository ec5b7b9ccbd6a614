/** A customer's page: contact, card (masked), their orders, their history. */
import { useState } from 'react';
import type { OrderSummary } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { OrderStatusBadge } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { DataTable, type Column } from '../../components/DataTable';
import { EmptyState } from '../../components/EmptyState';
import { HistoryView } from '../../components/HistoryView';
import { Icon } from '../../components/Icon';
import { Card, Page } from '../../components/Page';
import { address, card, count, date, money } from '../../lib/format';
import { useLiveQuery } from '../../lib/use-live-query';
import { usePager } from '../../lib/use-pager';
import { Pagination } from '../../components/Pagination';
import { href, navigate } from '../../state/router';
import { CustomerFormPage } from './CustomerForm';

const orderColumns: Column<OrderSummary>[] = [
  { key: 'id', header: 'Order', width: '18%', render: (o) => <a className="row-link" href={href('orders', o.id)} tabIndex={-1}>#{o.id}</a>, sortValue: (o) => o.id },
  { key: 'date', header: 'Date', width: '28%', render: (o) => date(o.creationDate), sortValue: (o) => o.creationDate },
  { key: 'items', header: 'Items', align: 'end', width: '12%', render: (o) => count(o.itemCount), sortValue: (o) => o.itemCount },
  { key: 'total', header: 'Total', align: 'end', width: '18%', render: (o) => money(o.total), sortValue: (o) => o.total },
  { key: 'status', header: 'Status', width: '24%', render: (o) => <OrderStatusBadge status={o.status} />, sortValue: (o) => o.status },
];

export function CustomerDetail({ id, editing }: { id: string; editing: boolean }) {
  const api = useApi();
  const customer = useLiveQuery(`customer/${id}`, () => api.call('customers.get', { id }), { collections: ['customers'] });
  const pager = usePager(id);
  const orders = useLiveQuery(`customer-orders/${id}/${pager.after ?? ''}`, () => api.call('orders.list', { customerId: id, size: 25, ...(pager.after ? { after: pager.after } : {}) }), { collections: ['orders', 'customers'] });
  const [showHistory, setShowHistory] = useState(false);
  const c = customer.data;

  if (!c) {
    return (
      <Page title={customer.error ? 'Customer not found' : 'Loading…'} back={{ href: href('customers'), label: 'Customers' }}>
        {customer.error ? <Banner tone="attention" title="This customer is not available">{customer.error.message}</Banner> : <div className="card"><div className="skeleton-block" /></div>}
      </Page>
    );
  }
  if (editing) return <CustomerFormPage customer={c} />;

  const [line1, line2] = address(c.address);
  return (
    <Page
      title={`${c.firstName} ${c.lastName}`}
      subtitle={`Customer #${c.id}`}
      back={{ href: href('customers'), label: 'Customers' }}
      actions={
        <>
          <a className="btn" href={href('customers', c.id, { edit: '1' })}>
            <Icon name="edit" size={16} /> Edit
          </a>
          <a className="btn btn-primary" href={href('new-order', null, { customer: c.id })}>
            <Icon name="plus" size={16} /> New order
          </a>
        </>
      }
    >
      <div className="layout-2col">
        <div className="stack">
          <Card title="Orders" flush>
            {orders.error && <Banner title="Orders could not be loaded">{orders.error.message}</Banner>}
            <DataTable
              label={`Orders of ${c.firstName} ${c.lastName}`}
              columns={orderColumns}
              rows={orders.data?.items}
              rowKey={(o) => o.id}
              flashKey={(o) => ['orders', o.id]}
              onOpen={(o) => navigate(href('orders', o.id))}
              skeletonRows={3}
              empty={
                <EmptyState icon="order" title="No orders yet" action={<a className="btn btn-primary" href={href('new-order', null, { customer: c.id })}>Place an order</a>}>
                  Orders placed for {c.firstName} appear here.
                </EmptyState>
              }
            />
            <Pagination page={pager.page} pageSize={25} shown={orders.data?.items.length ?? 0} hasNext={!!orders.data?.after} onPrevious={pager.previous} onNext={() => pager.next(orders.data?.after ?? null)} />
          </Card>
          <Card
            title="History"
            actions={
              <button type="button" className="btn btn-plain" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
                <Icon name="history" size={16} /> {showHistory ? 'Hide' : 'Show'}
              </button>
            }
          >
            {showHistory ? <HistoryView collection="customers" id={c.id} /> : <p className="muted small">Every version of this customer, with what changed.</p>}
          </Card>
        </div>
        <div className="stack">
          {customer.error && <Banner tone="attention" title="This customer is no longer available">{customer.error.message}</Banner>}
          <Card title="Contact">
            <address className="contact">
              {line1}
              <br />
              {line2}
            </address>
            <p className="tabular">{c.telephone}</p>
          </Card>
          <Card title="Payment">
            <p className="card-number" data-testid="customer-card">{card(c.card)}</p>
          </Card>
        </div>
      </div>
    </Page>
  );
}
