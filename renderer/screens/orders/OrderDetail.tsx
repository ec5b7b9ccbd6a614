/** An order: its lines and total, the customer, ship address and card (masked), Ship, and its history. */
import { useState } from 'react';
import type { OrderLine } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { OrderStatusBadge } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { DataTable, type Column } from '../../components/DataTable';
import { HistoryView } from '../../components/HistoryView';
import { Icon } from '../../components/Icon';
import { Card, Page } from '../../components/Page';
import { describe } from '../../lib/errors';
import { address, card, count, date, money } from '../../lib/format';
import { toApiError, useLiveQuery } from '../../lib/use-live-query';
import { href, navigate } from '../../state/router';
import { toast } from '../../state/toasts';

const lineColumns: Column<OrderLine>[] = [
  { key: 'product', header: 'Product', width: '40%', render: (l) => <a className="row-link" href={href('products', l.productId)} tabIndex={-1}>{l.productName}</a> },
  { key: 'price', header: 'Price', align: 'end', width: '20%', render: (l) => money(l.price) },
  { key: 'qty', header: 'Quantity', align: 'end', width: '18%', render: (l) => count(l.quantity) },
  { key: 'total', header: 'Line total', align: 'end', width: '22%', render: (l) => money(l.price * l.quantity) },
];

export function OrderDetail({ id }: { id: string }) {
  const api = useApi();
  const order = useLiveQuery(`order/${id}`, () => api.call('orders.get', { id }), { collections: ['orders', 'customers', 'products'] });
  const [shipping, setShipping] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);
  const o = order.data;

  if (!o) {
    return (
      <Page title={order.error ? 'Order not found' : 'Loading…'} back={{ href: href('orders'), label: 'Orders' }}>
        {order.error ? <Banner tone="attention" title="This order is not available">{order.error.message}</Banner> : <div className="card"><div className="skeleton-block" /></div>}
      </Page>
    );
  }

  const ship = async () => {
    setShipping(true);
    setError(null);
    try {
      await api.call('orders.ship', { id: o.id });
      toast(`Order #${o.id} shipped`);
      order.refresh();
    } catch (err) {
      setError(describe(toApiError(err)));
    } finally {
      setShipping(false);
    }
  };

  const [line1, line2] = address(o.shipAddress);
  return (
    <Page
      title={`Order #${o.id}`}
      badge={<OrderStatusBadge status={o.status} />}
      subtitle={`Placed ${date(o.creationDate, { seconds: true })}${o.shipDate ? ` · shipped ${date(o.shipDate, { seconds: true })}` : ''}`}
      back={{ href: href('orders'), label: 'Orders' }}
      actions={
        o.status === 'processing' ? (
          <button type="button" className="btn btn-primary" onClick={ship} disabled={shipping}>
            <Icon name="truck" size={16} /> {shipping ? 'Shipping…' : 'Ship order'}
          </button>
        ) : undefined
      }
    >
      {error && (
        <Banner title="The order was not shipped" onDismiss={() => setError(null)}>
          {error}
        </Banner>
      )}
      <div className="layout-2col">
        <div className="stack">
          <Card title="Items" flush>
            <DataTable label="Order lines" columns={lineColumns} rows={o.lines} rowKey={(l) => l.productId} onOpen={(l) => navigate(href('products', l.productId))} />
            <div className="totals">
              <span>{count(o.itemCount)} items</span>
              <span className="totals-label">Total</span>
              <strong className="totals-value" data-testid="order-total">{money(o.total)}</strong>
            </div>
          </Card>
          <Card
            title="History"
            actions={
              <button type="button" className="btn btn-plain" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
                <Icon name="history" size={16} /> {showHistory ? 'Hide' : 'Show'}
              </button>
            }
          >
            {showHistory ? <HistoryView collection="orders" id={o.id} /> : <p className="muted small">Every version of this order, with what changed.</p>}
          </Card>
        </div>
        <div className="stack">
          <Card title="Customer">
            <a href={href('customers', o.customerId)}>{o.customerName}</a>
          </Card>
          <Card title="Ship to">
            {o.shipAddress ? (
              <address className="contact">
                {line1}
                <br />
                {line2}
              </address>
            ) : (
              <p className="muted">No address</p>
            )}
          </Card>
          <Card title="Payment">
            <p className="card-number">{card(o.card)}</p>
          </Card>
        </div>
      </div>
    </Page>
  );
}
