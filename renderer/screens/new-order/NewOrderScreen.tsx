/**
 * New order: pick a customer, add products (searchable, with price and
 * stock), set quantities, see line totals and the order total, submit.
 * Success: a toast linking to the order and a fresh cart. Failure: the
 * engine's message verbatim in a banner, and the cart exactly as it was.
 */
import { useEffect, useRef, useState } from 'react';
import type { Customer, FqlError, Product } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { StockBadges } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { EmptyState } from '../../components/EmptyState';
import { Icon } from '../../components/Icon';
import { Card, Page } from '../../components/Page';
import { SearchPicker } from '../../components/SearchPicker';
import { address, card, count, money } from '../../lib/format';
import { toApiError, useLiveQuery } from '../../lib/use-live-query';
import { useCart } from '../../state/cart';
import { useFlash } from '../../state/live';
import { href, type Route } from '../../state/router';
import { toast } from '../../state/toasts';

function lineQuantity(text: string): number | null {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return null;
  const n = Number(t);
  return n >= 1 && n <= 1e9 ? n : null;
}

export function NewOrderScreen({ route }: { route: Route }) {
  const api = useApi();
  const cart = useCart();
  const [failure, setFailure] = useState<{ message: string; error: FqlError } | null>(null);
  const [busy, setBusy] = useState(false);
  const preselect = route.params.get('customer');

  // ?customer=ID (from a customer's page) chooses the customer once.
  const applied = useRef<string | null>(null);
  useEffect(() => {
    if (!preselect || applied.current === preselect) return;
    applied.current = preselect;
    api.call('customers.get', { id: preselect }).then((c) => useCart.getState().setCustomer(c), () => {});
  }, [api, preselect]);

  // Keep the cart's products (price, stock, badges) current as other windows commit.
  const ids = cart.lines.map((l) => l.product.id).sort().join(',');
  const fresh = useLiveQuery(
    `cart-products/${ids}`,
    async () => {
      const settled = await Promise.allSettled(ids.split(',').filter(Boolean).map((id) => api.call('products.get', { id })));
      return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    },
    { collections: ['products'], enabled: ids.length > 0 },
  );
  useEffect(() => {
    if (fresh.data) useCart.getState().refreshProducts(new Map(fresh.data.map((p) => [p.id, p])));
  }, [fresh.data]);

  const quantities = cart.lines.map((l) => lineQuantity(l.quantity));
  const total = cart.lines.reduce((sum, l, i) => sum + (quantities[i] ?? 0) * l.product.price, 0);
  const units = quantities.reduce<number>((n, q) => n + (q ?? 0), 0);
  const invalid = quantities.some((q) => q === null);
  const canSubmit = !!cart.customer && cart.lines.length > 0 && !invalid && !busy;

  const submit = async () => {
    if (!canSubmit || !cart.customer) return;
    setBusy(true);
    setFailure(null);
    try {
      const result = await api.call('orders.submit', { customerId: cart.customer.id, lines: cart.lines.map((l, i) => ({ productId: l.product.id, quantity: quantities[i]! })) });
      if (result.ok) {
        useCart.getState().clear();
        toast(`Order #${result.order.id} placed for ${result.order.customerName} · ${money(result.order.total)}`, { link: { label: 'View order', href: href('orders', result.order.id) }, ms: 8000 });
      } else {
        setFailure({ message: result.message, error: result.error });
      }
    } catch (err) {
      const e = toApiError(err);
      setFailure({ message: e.error.description, error: e.error });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title="New order" subtitle="Choose a customer, add products, place the order.">
      <div className="layout-2col new-order">
        <div className="stack">
          <Card title="Customer">
            {cart.customer ? (
              <ChosenCustomer customer={cart.customer} onChange={() => cart.setCustomer(null)} />
            ) : (
              <SearchPicker<Customer>
                label="Find a customer"
                placeholder="Search customers by name"
                queryKey="pick-customer"
                testId="customer-picker"
                search={async (q) => (await api.call('customers.list', { size: 8, ...(q ? { search: q } : {}) })).items}
                itemKey={(c) => c.id}
                collections={['customers']}
                emptyText="No customer matches. Add one on the Customers screen."
                matches={(c, t) => `${c.firstName} ${c.lastName}`.toLowerCase().includes(t) || c.lastName.toLowerCase().includes(t)}
                onPick={(c) => cart.setCustomer(c)}
                renderItem={(c) => (
                  <>
                    <span className="picker-main">
                      {c.firstName} {c.lastName}
                    </span>
                    <span className="picker-detail">
                      {c.address.street}, {c.address.city} · {card(c.card)}
                    </span>
                  </>
                )}
              />
            )}
          </Card>
          <Card title="Add products">
            <SearchPicker<Product>
              label="Find a product"
              placeholder="Search products by name or description"
              queryKey="pick-product"
              testId="product-picker"
              search={async (q) => (await api.call('products.list', { size: 8, ...(q ? { search: q } : {}) })).items}
              itemKey={(p) => p.id}
              collections={['products', 'stores']}
              emptyText="No product matches."
              matches={(p, t) => p.name.toLowerCase().includes(t) || p.description.toLowerCase().includes(t)}
              onPick={(p) => cart.add(p)}
              renderItem={(p) => (
                <>
                  <span className="picker-main">
                    {p.name} <span className="muted">· {p.description}</span>
                  </span>
                  <span className="picker-detail">{p.storeName}</span>
                  <span className="picker-price">{money(p.price)}</span>
                  <span className={p.quantity === 0 ? 'picker-stock critical-text' : 'picker-stock'}>{count(p.quantity)} in stock</span>
                  <StockBadges product={p} />
                  <span className="picker-add" aria-hidden="true">
                    <Icon name="plus" size={16} />
                  </span>
                </>
              )}
            />
          </Card>
        </div>
        <div className="stack">
          <Card title="Cart" className="cart" flush>
            {failure && (
              <div className="cart-banner">
                <Banner title="The order was not placed" onDismiss={() => setFailure(null)}>
                  <span data-testid="order-error">{failure.message}</span>
                </Banner>
              </div>
            )}
            {cart.lines.length === 0 ? (
              <EmptyState icon="order" title="The cart is empty">
                Search for products on the left and press Enter (or click) to add them.
              </EmptyState>
            ) : (
              <ul className="cart-lines" aria-label="Cart lines">
                {cart.lines.map((l, i) => (
                  <CartLineRow key={l.product.id} product={l.product} quantity={l.quantity} parsed={quantities[i] ?? null} onQuantity={(v) => cart.setQuantity(l.product.id, v)} onRemove={() => cart.remove(l.product.id)} />
                ))}
              </ul>
            )}
            <div className="cart-total">
              <span className="muted">{cart.lines.length > 0 ? `${count(units)} ${units === 1 ? 'item' : 'items'}` : ''}</span>
              <span className="totals-label">Total</span>
              <strong className="totals-value" data-testid="cart-total">
                {money(total)}
              </strong>
            </div>
            <div className="cart-actions">
              {!cart.customer && cart.lines.length > 0 && <span className="muted small">Choose a customer to place the order.</span>}
              <button type="button" className="btn btn-primary btn-large" disabled={!canSubmit} onClick={submit}>
                {busy ? 'Placing order…' : 'Place order'}
              </button>
            </div>
          </Card>
        </div>
      </div>
    </Page>
  );
}

function ChosenCustomer({ customer: c, onChange }: { customer: Customer; onChange(): void }) {
  const [line1, line2] = address(c.address);
  return (
    <div className="chosen-customer" data-testid="chosen-customer">
      <div>
        <a className="strong" href={href('customers', c.id)}>
          {c.firstName} {c.lastName}
        </a>
        <div className="muted small">
          {line1}, {line2}
        </div>
        <div className="muted small">
          {c.telephone} · {card(c.card)}
        </div>
      </div>
      <button type="button" className="btn btn-plain" onClick={onChange}>
        Change
      </button>
    </div>
  );
}

function CartLineRow({ product: p, quantity, parsed, onQuantity, onRemove }: { product: Product; quantity: string; parsed: number | null; onQuantity(v: string): void; onRemove(): void }) {
  const flashing = useFlash('products', p.id);
  const over = parsed !== null && parsed > p.quantity;
  return (
    <li className={flashing ? 'cart-line flash' : 'cart-line'} data-testid="cart-line" data-product={p.id}>
      <div className="cart-line-main">
        <div className="strong">{p.name}</div>
        <div className="muted small">{p.description}</div>
        <div className="small" data-testid="cart-line-price">
          <span className="tabular">{money(p.price)} each</span>
          <span className="muted"> · </span>
          <span className={over ? 'attention-text' : 'muted'} data-testid="cart-line-stock">
            {over ? `Only ${count(p.quantity)} in stock` : `${count(p.quantity)} in stock`}
          </span>
        </div>
      </div>
      <label className="cart-qty">
        <span className="visually-hidden">Quantity of {p.name}</span>
        <input className="input" inputMode="numeric" value={quantity} onChange={(e) => onQuantity(e.target.value)} aria-invalid={parsed === null} />
      </label>
      <div className="cart-line-total">{parsed === null ? <span className="critical-text small">Whole number ≥ 1</span> : money(parsed * p.price)}</div>
      <button type="button" className="icon-button" aria-label={`Remove ${p.name}`} onClick={onRemove}>
        <Icon name="close" size={16} />
      </button>
    </li>
  );
}
