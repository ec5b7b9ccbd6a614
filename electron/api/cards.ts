/**
 * Card numbers never leave the engine whole through the domain API: screens
 * get the network and the last four digits, and document data shown in the
 * ledger or a history (customers and orders carry a `creditCard`) has its
 * number masked to `•••• 1234`.
 */
import { isJsonObject, newJsonObject, type Json } from '../../shared/fql/json.js';
import { asString, field } from './wire.js';

export interface MaskedCard {
  network: string;
  last4: string;
}

export function last4(num: string): string {
  const digits = num.replace(/\D/g, '');
  return digits.slice(-4);
}

export function maskedNumber(num: string): string {
  return `•••• ${last4(num)}`;
}

/** `{network, last4}` from a stored `creditCard` object, or null when absent. */
export function cardOf(creditCard: Json | undefined): MaskedCard | null {
  if (!isJsonObject(creditCard)) return null;
  return { network: asString(field(creditCard, 'network')), last4: last4(asString(field(creditCard, 'number'))) };
}

/** A copy of document fields (`{data: …}` or plain data) with every creditCard.number masked. */
export function maskCards(x: Json): Json {
  if (Array.isArray(x)) return x.map(maskCards);
  if (!isJsonObject(x)) return x;
  const out = newJsonObject();
  for (const [k, val] of Object.entries(x)) {
    if (k === 'creditCard' && isJsonObject(val) && typeof val.number === 'string') {
      const card = newJsonObject();
      for (const [ck, cv] of Object.entries(val)) card[ck] = ck === 'number' ? maskedNumber(cv as string) : maskCards(cv);
      out[k] = card;
    } else {
      out[k] = maskCards(val);
    }
  }
  return out;
}
