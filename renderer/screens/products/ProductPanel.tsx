/** One product in the side panel: its fields, its store, restock, edit, delete and its history. */
import { useState, type FormEvent } from 'react';
import type { Product } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { StockBadges } from '../../components/Badge';
import { Banner } from '../../components/Banner';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { HistoryView } from '../../components/HistoryView';
import { Icon } from '../../components/Icon';
import { SidePanel } from '../../components/SidePanel';
import { describe } from '../../lib/errors';
import { count, money } from '../../lib/format';
import { toApiError, useLiveQuery } from '../../lib/use-live-query';
import { useFlash } from '../../state/live';
import { href, navigate } from '../../state/router';
import { toast } from '../../state/toasts';
import { ProductForm } from './ProductForm';

export function ProductPanel({ id, defaultStoreId, onClose }: { id: string; defaultStoreId: string; onClose(): void }) {
  const api = useApi();
  const isNew = id === 'new';
  const [editing, setEditing] = useState(false);
  const product = useLiveQuery(`product/${id}`, () => api.call('products.get', { id }), { collections: ['products', 'stores'], enabled: !isNew });
  const stores = useLiveQuery('stores', () => api.call('stores.list', {}), { collections: ['stores'] });

  if (isNew) {
    return (
      <SidePanel title="New product" onClose={onClose} labelledBy="product-panel-title">
        {stores.data ? (
          <ProductForm
            product={null}
            stores={stores.data}
            defaultStoreId={defaultStoreId}
            onCancel={onClose}
            onSaved={(p) => {
              toast(`${p.name} added`);
              navigate(href('products', p.id));
            }}
          />
        ) : (
          <p className="muted">Loading stores…</p>
        )}
      </SidePanel>
    );
  }

  const p = product.data;
  if (!p) {
    return (
      <SidePanel title={product.error ? 'Product not found' : 'Loading…'} onClose={onClose} labelledBy="product-panel-title">
        {product.error ? <Banner tone="attention" title="This product is not available">{product.error.message}</Banner> : <div className="skeleton-block" />}
      </SidePanel>
    );
  }
  const gone = product.error !== undefined;

  if (editing && !gone) {
    return (
      <SidePanel title={`Edit ${p.name}`} onClose={() => setEditing(false)} labelledBy="product-panel-title">
        <ProductForm
          product={p}
          stores={stores.data ?? []}
          defaultStoreId={defaultStoreId}
          onCancel={() => setEditing(false)}
          onSaved={(saved) => {
            setEditing(false);
            toast(`${saved.name} saved`);
            product.refresh();
          }}
        />
      </SidePanel>
    );
  }

  return (
    <SidePanel title={p.name} onClose={onClose} labelledBy="product-panel-title">
      {gone && <Banner tone="attention" title="This product was deleted">Another window or query deleted it.</Banner>}
      <ProductDetails product={p} disabled={gone} onEdit={() => setEditing(true)} onDeleted={onClose} />
    </SidePanel>
  );
}

function ProductDetails({ product: p, disabled, onEdit, onDeleted }: { product: Product; disabled: boolean; onEdit(): void; onDeleted(): void }) {
  const api = useApi();
  const flashing = useFlash('products', p.id);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [showHistory, setShowHistory] = useState(false);

  const remove = async () => {
    setDeleting(true);
    try {
      await api.call('products.delete', { id: p.id });
      toast(`${p.name} deleted`);
      setConfirming(false);
      onDeleted();
    } catch (err) {
      setDeleteError(describe(toApiError(err)));
      setConfirming(false);
    } finally {
      setDeleting(false);
    }
  };

  return (
    <div className="stack">
      {(p.backordered || p.quantity === 0) && (
        <div className="panel-badges">
          <StockBadges product={p} />
        </div>
      )}
      <p className="panel-description">
        {p.description || 'No description'} <span className="muted small">· #{p.id}</span>
      </p>
      <dl className={flashing ? 'stats flash' : 'stats'} data-testid="product-stats">
        <div>
          <dt>Price</dt>
          <dd>{money(p.price)}</dd>
        </div>
        <div>
          <dt>Stock</dt>
          <dd data-testid="product-stock" className={p.quantity === 0 ? 'critical-text' : undefined}>
            {count(p.quantity)}
          </dd>
        </div>
        <div>
          <dt>Backorder limit</dt>
          <dd>{count(p.backorderLimit)}</dd>
        </div>
      </dl>
      <div className="kv">
        <span className="muted">Store</span>
        <a href={href('stores', p.storeId)}>{p.storeName}</a>
      </div>
      {deleteError && (
        <Banner title="The product was not deleted" onDismiss={() => setDeleteError(null)}>
          {deleteError}
        </Banner>
      )}
      {!disabled && <RestockForm product={p} />}
      {!disabled && (
        <div className="button-row">
          <button type="button" className="btn" onClick={onEdit} data-autofocus>
            <Icon name="edit" size={16} /> Edit
          </button>
          <button type="button" className="btn btn-critical-plain" onClick={() => setConfirming(true)}>
            <Icon name="trash" size={16} /> Delete
          </button>
        </div>
      )}
      <section className="panel-section">
        <button type="button" className="section-toggle" aria-expanded={showHistory} onClick={() => setShowHistory(!showHistory)}>
          <Icon name={showHistory ? 'chevronDown' : 'chevronRight'} size={16} />
          <Icon name="history" size={16} /> History
        </button>
        {showHistory && <HistoryView collection="products" id={p.id} />}
      </section>
      {confirming && (
        <ConfirmDialog title={`Delete ${p.name}?`} confirmLabel="Delete product" busy={deleting} onConfirm={remove} onCancel={() => setConfirming(false)}>
          <p>
            {p.name} ({p.description || 'no description'}) will be removed from {p.storeName}. Orders that include it keep their lines. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function RestockForm({ product }: { product: Product }) {
  const api = useApi();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const n = Number(value);
  const valid = /^\d+$/.test(value.trim()) && n >= 1;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      const p = await api.call('products.restock', { id: product.id, quantity: n });
      setValue('');
      toast(`Restocked ${p.name}: ${count(p.quantity)} in stock`);
    } catch (err) {
      setError(describe(toApiError(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="restock" onSubmit={submit}>
      <label htmlFor="restock-qty">Restock</label>
      <div className="restock-row">
        <input id="restock-qty" className="input" inputMode="numeric" placeholder="Units received" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={value !== '' && !valid} />
        <button type="submit" className="btn" disabled={!valid || busy}>
          {busy ? 'Adding…' : 'Add stock'}
        </button>
      </div>
      {value !== '' && !valid && <div className="field-error">Enter a whole number of units, 1 or more.</div>}
      {error && <div className="field-error">{error}</div>}
    </form>
  );
}
