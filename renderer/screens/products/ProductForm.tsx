/**
 * Create or edit a product. Validation as you type; the engine's errors
 * appear next to the field they name (or above the form); Enter submits,
 * Esc cancels; nothing typed is lost when a submit fails. On edit only the
 * changed fields are sent, so a concurrent restock is not overwritten.
 */
import { useState, type FormEvent } from 'react';
import type { Product, Store } from '../../../shared/api/contract.js';
import { ApiError } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { Banner } from '../../components/Banner';
import { SelectField, TextArea, TextField } from '../../components/Field';
import { describe, fieldErrorsOf } from '../../lib/errors';
import { toApiError } from '../../lib/use-live-query';

const FIELDS = ['name', 'description', 'price', 'quantity', 'backorderLimit', 'storeId'] as const;
type FieldName = (typeof FIELDS)[number];
type Values = Record<FieldName, string>;

interface Parsed {
  name: string;
  description: string;
  price: number;
  quantity: number;
  backorderLimit: number;
  storeId: string;
}

function toValues(p: Product | null, defaultStoreId: string): Values {
  return {
    name: p?.name ?? '',
    description: p?.description ?? '',
    price: p ? String(p.price) : '',
    quantity: p ? String(p.quantity) : '0',
    backorderLimit: p ? String(p.backorderLimit) : '0',
    storeId: p?.storeId ?? defaultStoreId,
  };
}

const wholeNumber = /^\d+$/;

export function validateProduct(v: Values): { errors: Partial<Record<FieldName, string>>; parsed: Parsed | null } {
  const errors: Partial<Record<FieldName, string>> = {};
  const name = v.name.trim();
  if (!name) errors.name = 'Enter a name.';
  else if (name.length > 200) errors.name = 'Keep the name under 200 characters.';
  if (v.description.length > 2000) errors.description = 'Keep the description under 2,000 characters.';
  const priceText = v.price.trim();
  const price = Number(priceText);
  if (!priceText) errors.price = 'Enter a price.';
  else if (!/^\d*(\.\d*)?$/.test(priceText) || !Number.isFinite(price)) errors.price = 'Enter a price as a number, like 4.99.';
  else if (price > 1e9) errors.price = 'The price is too large.';
  else if (/\.\d{3,}$/.test(priceText)) errors.price = 'Use at most two decimals.';
  const quantity = v.quantity.trim();
  if (!wholeNumber.test(quantity)) errors.quantity = 'Stock is a whole number, 0 or more.';
  const limit = v.backorderLimit.trim();
  if (!wholeNumber.test(limit)) errors.backorderLimit = 'The backorder limit is a whole number, 0 or more.';
  if (!v.storeId) errors.storeId = 'Choose the store that sells it.';
  if (Object.keys(errors).length > 0) return { errors, parsed: null };
  return { errors, parsed: { name, description: v.description.trim(), price, quantity: Number(quantity), backorderLimit: Number(limit), storeId: v.storeId } };
}

export function ProductForm({ product, stores, defaultStoreId, onSaved, onCancel }: { product: Product | null; stores: Store[]; defaultStoreId: string; onSaved(p: Product): void; onCancel(): void }) {
  const api = useApi();
  // The form starts from the product as it was when editing began; later live updates do not overwrite what is typed.
  const [initial] = useState(() => toValues(product, defaultStoreId));
  const [values, setValues] = useState<Values>(initial);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const { errors, parsed } = validateProduct(values);

  const show = (f: FieldName): string | undefined => serverErrors[f] ?? (touched[f] || submitted ? errors[f] : undefined);

  const set = (f: FieldName) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [f]: e.target.value }));
    setTouched((t) => ({ ...t, [f]: true }));
    setServerErrors((s) => {
      if (!s[f]) return s;
      const { [f]: _, ...rest } = s;
      return rest;
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!parsed || busy) return;
    setBusy(true);
    setFormError(null);
    try {
      let saved: Product;
      if (product) {
        // Only the fields the user changed: a concurrent restock or order in another window is not overwritten.
        const changes: Partial<Parsed> = {};
        for (const f of FIELDS) {
          if (values[f].trim() !== initial[f].trim()) Object.assign(changes, { [f]: parsed[f] });
        }
        saved = Object.keys(changes).length === 0 ? product : await api.call('products.update', { id: product.id, product: changes });
      } else {
        saved = await api.call('products.create', { product: parsed });
      }
      onSaved(saved);
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : toApiError(err);
      const fieldErrors = fieldErrorsOf(apiErr, FIELDS);
      setServerErrors(fieldErrors);
      if (Object.keys(fieldErrors).length === 0) setFormError(describe(apiErr));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form"
      noValidate
      onSubmit={submit}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
      aria-label={product ? `Edit ${product.name}` : 'New product'}
    >
      {formError && (
        <Banner title="The product was not saved" onDismiss={() => setFormError(null)}>
          {formError}
        </Banner>
      )}
      <TextField label="Name" name="name" value={values.name} onChange={set('name')} error={show('name')} autoComplete="off" data-autofocus autoFocus />
      <TextArea label="Description" name="description" value={values.description} onChange={set('description')} error={show('description')} rows={2} />
      <div className="form-row">
        <TextField label="Price" name="price" prefix="$" inputMode="decimal" value={values.price} onChange={set('price')} error={show('price')} className="num-field" />
        <SelectField label="Store" name="storeId" value={values.storeId} onChange={set('storeId')} error={show('storeId')}>
          <option value="">Choose a store…</option>
          {stores.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="form-row">
        <TextField label="Stock" name="quantity" inputMode="numeric" value={values.quantity} onChange={set('quantity')} error={show('quantity')} className="num-field" hint={product ? 'Use Restock to add deliveries.' : undefined} />
        <TextField label="Backorder limit" name="backorderLimit" inputMode="numeric" value={values.backorderLimit} onChange={set('backorderLimit')} error={show('backorderLimit')} className="num-field" hint="Backordered at or below this stock." />
      </div>
      <div className="form-actions">
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Saving…' : product ? 'Save' : 'Add product'}
        </button>
      </div>
    </form>
  );
}
