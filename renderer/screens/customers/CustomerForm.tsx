/**
 * Create or edit a customer. Validation as you type; the engine's errors
 * beside the fields they name; Enter submits, Esc cancels. The card number is
 * write-only: it is typed for a new card and never shown back.
 */
import { useState, type FormEvent } from 'react';
import type { Customer } from '../../../shared/api/contract.js';
import { useApi } from '../../app/api-context';
import { Banner } from '../../components/Banner';
import { SelectField, TextField } from '../../components/Field';
import { Card, Page } from '../../components/Page';
import { describe, fieldErrorsOf } from '../../lib/errors';
import { card } from '../../lib/format';
import { toApiError } from '../../lib/use-live-query';
import { href, navigate } from '../../state/router';
import { toast } from '../../state/toasts';

const FIELDS = ['firstName', 'lastName', 'street', 'city', 'state', 'zipCode', 'telephone', 'network', 'number'] as const;
type FieldName = (typeof FIELDS)[number];
type Values = Record<FieldName, string>;
const NETWORKS = ['Visa', 'Mastercard', 'American Express', 'Discover'];

function toValues(c: Customer | null): Values {
  return {
    firstName: c?.firstName ?? '',
    lastName: c?.lastName ?? '',
    street: c?.address.street ?? '',
    city: c?.address.city ?? 'Washington',
    state: c?.address.state ?? 'DC',
    zipCode: c?.address.zipCode ?? '',
    telephone: c?.telephone ?? '',
    network: c?.card.network ?? 'Visa',
    number: '',
  };
}

export function validateCustomer(v: Values, needCard: boolean): Partial<Record<FieldName, string>> {
  const e: Partial<Record<FieldName, string>> = {};
  const req = (f: FieldName, label: string, max: number) => {
    const t = v[f].trim();
    if (!t) e[f] = `Enter ${label}.`;
    else if (t.length > max) e[f] = `Keep it under ${max} characters.`;
  };
  req('firstName', 'a first name', 100);
  req('lastName', 'a last name', 100);
  req('street', 'a street address', 200);
  req('city', 'a city', 100);
  req('state', 'a state', 50);
  req('zipCode', 'a ZIP code', 20);
  req('telephone', 'a telephone number', 50);
  if (v.telephone.trim() && !/^[\d+()\-.\s]+$/.test(v.telephone.trim())) e.telephone = 'Use digits, spaces and + ( ) - . only.';
  const digits = v.number.replace(/[\s-]/g, '');
  if (needCard || digits) {
    if (!v.network.trim()) e.network = 'Choose the card network.';
    if (!digits) e.number = 'Enter the card number.';
    else if (!/^\d{12,19}$/.test(digits)) e.number = 'A card number has 12 to 19 digits.';
  }
  return e;
}

export function CustomerFormPage({ customer }: { customer: Customer | null }) {
  const api = useApi();
  const [initial] = useState(() => toValues(customer));
  const [values, setValues] = useState<Values>(initial);
  const [replaceCard, setReplaceCard] = useState(customer === null);
  const [touched, setTouched] = useState<Partial<Record<FieldName, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const errors = validateCustomer(values, replaceCard);
  const show = (f: FieldName) => serverErrors[f] ?? (touched[f] || submitted ? errors[f] : undefined);
  const back = customer ? href('customers', customer.id) : href('customers');

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
    if (Object.keys(errors).length > 0 || busy) return;
    setBusy(true);
    setFormError(null);
    const t = (f: FieldName) => values[f].trim();
    const address = { street: t('street'), city: t('city'), state: t('state'), zipCode: t('zipCode') };
    const creditCard = replaceCard ? { network: t('network'), number: values.number.replace(/[\s-]/g, '') } : undefined;
    try {
      let saved: Customer;
      if (customer) {
        const changed = (f: FieldName) => values[f].trim() !== initial[f].trim();
        const patch: { firstName?: string; lastName?: string; telephone?: string; address?: typeof address; creditCard?: { network: string; number: string } } = {};
        if (changed('firstName')) patch.firstName = t('firstName');
        if (changed('lastName')) patch.lastName = t('lastName');
        if (changed('telephone')) patch.telephone = t('telephone');
        if ((['street', 'city', 'state', 'zipCode'] as const).some(changed)) patch.address = address;
        if (creditCard) patch.creditCard = creditCard;
        saved = Object.keys(patch).length === 0 ? customer : await api.call('customers.update', { id: customer.id, customer: patch });
        toast(`${saved.firstName} ${saved.lastName} saved`);
      } else {
        saved = await api.call('customers.create', { customer: { firstName: t('firstName'), lastName: t('lastName'), telephone: t('telephone'), address, creditCard: creditCard! } });
        toast(`${saved.firstName} ${saved.lastName} added`);
      }
      navigate(href('customers', saved.id), { replace: !!customer });
    } catch (err) {
      const apiErr = toApiError(err);
      const fe = fieldErrorsOf(apiErr, FIELDS);
      setServerErrors(fe);
      if (Object.keys(fe).length === 0) setFormError(describe(apiErr));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page title={customer ? `Edit ${customer.firstName} ${customer.lastName}` : 'New customer'} back={{ href: back, label: customer ? `${customer.firstName} ${customer.lastName}` : 'Customers' }}>
      <form
        className="form form-page"
        noValidate
        onSubmit={submit}
        aria-label={customer ? 'Edit customer' : 'New customer'}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            navigate(back);
          }
        }}
      >
        {formError && (
          <Banner title="The customer was not saved" onDismiss={() => setFormError(null)}>
            {formError}
          </Banner>
        )}
        <Card title="Name and contact">
          <div className="form-row">
            <TextField label="First name" name="firstName" value={values.firstName} onChange={set('firstName')} error={show('firstName')} autoComplete="off" autoFocus />
            <TextField label="Last name" name="lastName" value={values.lastName} onChange={set('lastName')} error={show('lastName')} autoComplete="off" />
          </div>
          <TextField label="Telephone" name="telephone" type="tel" value={values.telephone} onChange={set('telephone')} error={show('telephone')} autoComplete="off" />
        </Card>
        <Card title="Shipping address">
          <TextField label="Street" name="street" value={values.street} onChange={set('street')} error={show('street')} autoComplete="off" />
          <div className="form-row form-row-3">
            <TextField label="City" name="city" value={values.city} onChange={set('city')} error={show('city')} autoComplete="off" />
            <TextField label="State" name="state" value={values.state} onChange={set('state')} error={show('state')} autoComplete="off" />
            <TextField label="ZIP code" name="zipCode" value={values.zipCode} onChange={set('zipCode')} error={show('zipCode')} autoComplete="off" inputMode="numeric" />
          </div>
        </Card>
        <Card title="Payment card">
          {customer && !replaceCard ? (
            <div className="kv">
              <span className="card-number">{card(customer.card)}</span>
              <button type="button" className="btn btn-plain" onClick={() => setReplaceCard(true)}>
                Replace card
              </button>
            </div>
          ) : (
            <div className="form-row">
              <SelectField label="Network" name="network" value={values.network} onChange={set('network')} error={show('network')}>
                {NETWORKS.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </SelectField>
              <TextField label="Card number" name="number" value={values.number} onChange={set('number')} error={show('number')} autoComplete="off" inputMode="numeric" hint="Stored with the customer; shown only as the last four digits." />
            </div>
          )}
          {customer && replaceCard && (
            <button type="button" className="btn btn-plain" onClick={() => { setReplaceCard(false); setValues((v) => ({ ...v, number: '' })); }}>
              Keep the current card ({card(customer.card)})
            </button>
          )}
        </Card>
        <div className="form-actions">
          <a className="btn" href={back}>
            Cancel
          </a>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : customer ? 'Save' : 'Add customer'}
          </button>
        </div>
      </form>
    </Page>
  );
}
