/** Placing an API error next to the form field it names. */
import type { ApiError, FqlError } from '../../shared/api/contract.js';

/**
 * Field errors from a failed call: validator failures name their field path
 * (`product.price`), engine validation failures theirs (`data.quantity`);
 * the last path segment that is one of `fields` wins.
 */
export function fieldErrorsOf(err: ApiError, fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (e: FqlError) => {
    for (const f of e.failures ?? []) {
      const name = [...f.field].reverse().find((p): p is string => typeof p === 'string' && fields.includes(p));
      if (name && !out[name]) out[name] = f.description;
    }
    for (const c of e.cause ?? []) visit(c);
  };
  visit(err.error);
  return out;
}

export function describe(err: ApiError): string {
  const e = err.error;
  return e.code && !e.description.toLowerCase().startsWith(e.code.toLowerCase()) ? `${e.description} (${e.code})` : e.description;
}
