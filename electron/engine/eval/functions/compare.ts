/**
 * Comparison: Equals, LT, LTE, GT, GTE and Not. (And/Or are special forms in
 * forms/basic.ts.)
 *
 * Equals follows the server: the operands are compared with the first one;
 * at the top level an Integer and a Double compare numerically (1 == 1.0),
 * inside arrays and objects values must also have the same type. LT/GT use
 * the index ordering (storage/keys.ts) across all types.
 */
import { invalidArgument, invalidRef, type Position } from '../../errors.js';
import { compareValues } from '../../storage/keys.js';
import { Bytes, FDate, FTime, LambdaValue, Page, Ref, SetRef, isObject, type Value } from '../../values/value.js';
import { castBoolean } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction } from '../registry.js';
import { findSchema, kindNoun } from '../resolve.js';

/** A OneOrMore(Any) argument: one value, or an array of at least one value. */
function anyList(arg: Value | undefined, position: Position): Value[] {
  const items = Array.isArray(arg) ? arg : [arg ?? null];
  if (items.length === 0) throw invalidArgument('Non-empty array expected.', position);
  return items;
}

// --- Equals ----------------------------------------------------------------------------

/** Top-level equality: numbers by value (Java's Double.compare, so NaN == NaN and 0.0 != -0.0). */
export function topLevelEquals(a: Value, b: Value): boolean {
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) {
    if (typeof a === 'bigint' && typeof b === 'bigint') return a === b;
    return Object.is(Number(a), Number(b));
  }
  return deepEquals(a, b);
}

/** Structural equality of values; an Integer never equals a Double here. */
export function deepEquals(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEquals(x, b[i]));
  if (Array.isArray(b)) return false;
  if (a instanceof Ref) return b instanceof Ref && refEquals(a, b);
  if (a instanceof FTime) return b instanceof FTime && a.ns === b.ns;
  if (a instanceof FDate) return b instanceof FDate && a.days === b.days;
  if (a instanceof Bytes) return b instanceof Bytes && a.bytes.length === b.bytes.length && a.bytes.every((x, i) => x === b.bytes[i]);
  if (a instanceof Page) {
    return b instanceof Page && deepEquals(a.data, b.data) && deepEquals(a.before, b.before) && deepEquals(a.after, b.after);
  }
  if (a instanceof LambdaValue) return b instanceof LambdaValue && plainEquals(a.source, b.source);
  if (a instanceof SetRef) return b instanceof SetRef && plainEquals(a.node, b.node);
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEquals(a[k], b[k]));
  }
  return false;
}

function refEquals(a: Ref | null, b: Ref | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return a.id === b.id && refEquals(a.collection, b.collection) && refEquals(a.database, b.database);
}

/** Equality of set descriptions and lambda sources (plain data, values, refs, sets, lambdas). */
function plainEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Ref || a instanceof FTime || a instanceof FDate || a instanceof Bytes || a instanceof Page || a instanceof SetRef || a instanceof LambdaValue) {
    return deepEquals(a, b as Value);
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => plainEquals(x, b[i]));
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const ka = Object.keys(ra);
  if (ka.length !== Object.keys(rb).length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && plainEquals(ra[k], rb[k]));
}

defineFunction({
  keys: ['equals'],
  impl(ctx, [arg], site) {
    const items = anyList(arg, site.at('equals'));
    const first = items[0]!;
    for (let i = 1; i < items.length; i++) {
      ctx.tick();
      if (!topLevelEquals(first, items[i]!)) return false;
    }
    return true;
  },
});

// --- LT / LTE / GT / GTE -------------------------------------------------------------------

const RESOLVABLE = new Set(['collections', 'indexes', 'functions', 'roles', 'databases', 'access_providers']);

/** Fails with `invalid ref` when a ref names a schema object (or a document's collection) that does not exist. */
function checkResolved(ctx: EvalContext, ref: Ref, position: Position): void {
  const kind = ref.schemaKind;
  if (kind !== null) {
    if (RESOLVABLE.has(kind) && findSchema(ctx, ref, position) === null) {
      throw invalidRef(`Ref refers to undefined ${kindNoun(kind)} '${ref.id}'`, position);
    }
    return;
  }
  if (ref.collection !== null && ref.collection.schemaKind === 'collections') checkResolved(ctx, ref.collection, position);
}

const COMPARISONS: [string, (c: number) => boolean][] = [
  ['lt', (c) => c < 0],
  ['lte', (c) => c <= 0],
  ['gt', (c) => c > 0],
  ['gte', (c) => c >= 0],
];

for (const [name, accept] of COMPARISONS) {
  defineFunction({
    keys: [name],
    impl(ctx, [arg], site) {
      const items = anyList(arg, site.at(name));
      for (const item of items) if (item instanceof Ref) checkResolved(ctx, item, site.at(name));
      for (let i = 1; i < items.length; i++) {
        ctx.tick();
        if (!accept(Math.sign(compareValues(items[i - 1]!, items[i]!)))) return false;
      }
      return true;
    },
  });
}

// --- Not -------------------------------------------------------------------------------------

defineFunction({
  keys: ['not'],
  impl(_ctx, [arg], site) {
    return !castBoolean(arg, site.at('not'));
  },
});
