/** Numbers, money, dates and cards the way the user's locale writes them. */
const currency = new Intl.NumberFormat(undefined, { style: 'currency', currency: 'USD' });
const integer = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateTimeSeconds = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

export function money(value: number): string {
  return currency.format(value);
}

export function count(value: number): string {
  return integer.format(value);
}

export function date(iso: string | null | undefined, options: { seconds?: boolean; dateOnly?: boolean } = {}): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  if (options.dateOnly) return dateOnly.format(d);
  return (options.seconds ? dateTimeSeconds : dateTime).format(d);
}

/** "Visa •••• 3393" — the only way a card is ever shown. */
export function card(c: { network: string; last4: string } | null | undefined): string {
  if (!c) return '—';
  return `${c.network} •••• ${c.last4}`;
}

export function relativeTime(then: number, now: number): string {
  const s = Math.max(0, Math.round((now - then) / 1000));
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  if (h < 24) return `${h} h ago`;
  return `${Math.round(h / 24)} d ago`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

export function address(a: { street: string; city: string; state: string; zipCode: string } | null | undefined): string[] {
  if (!a) return [];
  return [a.street, `${a.city}, ${a.state} ${a.zipCode}`];
}
