/** Reading wire-format JSON (ledger writes, history versions, Shell resources) for display. */
import { isJsonObject, parseJson, type Json, type JsonObject } from '../../shared/fql/json.js';
import { printFql } from '../../shared/fql/print.js';

export function parseWire(text: string | null | undefined): Json | undefined {
  if (text === null || text === undefined) return undefined;
  try {
    return parseJson(text);
  } catch {
    return text;
  }
}

/** A document's data fields: `{data: {...}}` (a whole document) is unwrapped; an object of fields is taken as is. */
export function fieldsOf(value: Json | undefined): JsonObject | null {
  if (!isJsonObject(value)) return null;
  const data = value['data'];
  if (isJsonObject(data) && ('ref' in value || 'ts' in value || Object.keys(value).length === 1)) return data;
  return value;
}

export function print(value: Json | undefined, maxWidth = 72): string {
  if (value === undefined) return '—';
  try {
    return printFql(value, { maxWidth });
  } catch {
    return String(value);
  }
}

export interface FieldChange {
  field: string;
  before: Json | undefined;
  after: Json | undefined;
}

/** Top-level fields that differ between two versions (all of them when one side is absent). */
export function diffFields(before: JsonObject | null, after: JsonObject | null, only?: string[]): FieldChange[] {
  const keys = only && only.length > 0 ? only : [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const out: FieldChange[] = [];
  for (const field of keys) {
    const b = before ? before[field] : undefined;
    const a = after ? after[field] : undefined;
    if (before && after && print(b) === print(a)) continue;
    out.push({ field, before: b, after: a });
  }
  return out;
}

/** Compares decimal ts strings (microseconds) without losing precision. */
export function compareTs(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
