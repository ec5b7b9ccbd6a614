/**
 * A reference comparator for Fauna's value order, written straight from
 * fql-v4.md §2.5 without the key encoding: type order (numbers, bytes,
 * strings, arrays, objects, refs, times, dates, false, true, null), numbers
 * compared exactly (64-bit integers against doubles without rounding), bytes
 * unsigned and shorter first, strings by ICU root collation (Intl.Collator)
 * with a UTF-8 tie-break, arrays element by element, objects as their keys
 * (sorted by code units, as the server normalises maps) alternating with
 * their values, refs of one collection by numeric id, times by instant, dates
 * by day. Used by keys.test.ts and as the model's order in pages.test.ts.
 */
import { Bytes, FDate, FTime, Ref, type Value } from '../../electron/engine/values/value.js';

/** -1, 0 or 1 (never -0, which strict equality tells from 0). */
export const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

/** §2.5 type order. */
function typeRank(v: Value): number {
  if (typeof v === 'bigint' || typeof v === 'number') return 0;
  if (v instanceof Bytes) return 1;
  if (typeof v === 'string') return 2;
  if (Array.isArray(v)) return 3;
  if (v instanceof Ref) return 5;
  if (v instanceof FTime) return 6;
  if (v instanceof FDate) return 7;
  if (v === false) return 10;
  if (v === true) return 11;
  if (v === null) return 12;
  return 4; // object
}

/** Exact comparison of an integer with a finite double. */
function compareIntDouble(a: bigint, b: number): number {
  if (Number.isInteger(b)) {
    const bb = BigInt(b);
    return a < bb ? -1 : a > bb ? 1 : 0;
  }
  // b has a fraction: a <= floor(b) means a < b.
  return a <= BigInt(Math.floor(b)) ? -1 : 1;
}

export function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') {
    if (a === Infinity) return 1;
    if (a === -Infinity) return -1;
    return sign(-compareIntDouble(b as bigint, a));
  }
  if (b === Infinity) return -1;
  if (b === -Infinity) return 1;
  return compareIntDouble(a, b as number);
}

const collator = new Intl.Collator('und');
export function compareStrings(a: string, b: string): number {
  const c = sign(collator.compare(a, b));
  if (c !== 0) return c;
  return sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  return sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

export function reference(a: Value, b: Value): number {
  return sign(reference0(a, b));
}

function reference0(a: Value, b: Value): number {
  const ta = typeRank(a);
  const tb = typeRank(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  switch (ta) {
    case 0:
      return compareNumbers(a as bigint | number, b as bigint | number);
    case 1:
      return compareBytes((a as Bytes).bytes, (b as Bytes).bytes);
    case 2:
      return compareStrings(a as string, b as string);
    case 3: {
      const x = a as Value[];
      const y = b as Value[];
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = reference(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return sign(x.length - y.length);
    }
    case 4: {
      const flat = (o: Value): Value[] => {
        const obj = o as Record<string, Value>;
        return Object.keys(obj)
          .sort()
          .flatMap((k) => [k, obj[k]!]);
      };
      return reference(flat(a), flat(b));
    }
    case 5: {
      const x = BigInt((a as Ref).id);
      const y = BigInt((b as Ref).id);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 6: {
      const x = (a as FTime).ns;
      const y = (b as FTime).ns;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 7:
      return sign((a as FDate).days - (b as FDate).days);
    default:
      return 0; // false/false, true/true, null/null
  }
}
