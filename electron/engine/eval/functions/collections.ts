/**
 * Collection functions over Arrays, Pages and (some of them) Sets:
 * Map, Foreach, Filter, Reduce, Take, Drop, Prepend, Append, IsEmpty,
 * IsNonEmpty, Count, Sum, Mean, Any, All, Max, Min, First, Last, and
 * Distinct, Reverse, Union, Intersection, Difference.
 *
 * Behaviour follows FaunaDB's v4 server (ArrayFunctions, ReduceFunctions,
 * SetFunctions, AbstractFoldFunction):
 * - a Page input keeps its before/after; aggregates over a page return a page
 *   holding one value (`Count(Paginate(x))` -> `{data: [n]}`);
 * - sets are read lazily through their SetSource (Count never materialises);
 * - Filter over a set is a new lazy set (kind 'filter', read here);
 * - Distinct/Reverse/Union/Intersection/Difference over sets only build set
 *   nodes (their readers live with the set module).
 *
 * A page also carries, invisibly, the cursor of each of its elements (Fauna's
 * "unmapped" values): Take and Drop on a page use them to move the cursors.
 * Pages made by Paginate do not record them, so they are derived from the
 * elements (a ref r -> [r], a tuple -> itself, a value v -> [v]).
 */
import { invalidArgument, invalidExpression, type Position } from '../../errors.js';
import { compareValues } from '../../storage/keys.js';
import type { SetNode } from '../../values/set.js';
import {
  Bytes,
  FDate,
  FTime,
  LambdaValue,
  Page,
  PURE,
  READ,
  Ref,
  SetRef,
  WRITE,
  isObject,
  type Effect,
  type Value,
} from '../../values/value.js';
import { setToWire } from '../../wire/encode.js';
import { isJsonObject, stringifyJson, type Json } from '../../../../shared/fql/json.js';
import { castArray, castBoolean, castInt, castLambda, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineForm, defineFunction, type Site } from '../registry.js';
import { checkCompatible, defineSetKind, entryElement, sourceOf, type SetSource } from '../sets/source.js';
import type { Compiled, Env } from '../types.js';

const maxEffect = (a: Effect, b: Effect): Effect => (a > b ? a : b);

// --- lambda-taking forms -------------------------------------------------------------

/**
 * The most a lambda argument may do when applied: a literal `{"lambda": ..}`
 * exposes its body's effect, a constant lambda value (`Query(...)`, `@query`)
 * carries it; anything else (a variable holding a lambda...) is assumed to write.
 */
export function lambdaArgEffect(c: Compiled): Effect {
  const body = (c as Compiled & { bodyEffect?: Effect }).bodyEffect;
  if (typeof body === 'number') return maxEffect(c.effect, body);
  if (c.constant instanceof LambdaValue) return maxEffect(c.effect, c.constant.effect);
  return WRITE;
}

/**
 * A lambda argument that is a JSON scalar or array can never be a lambda: the
 * server rejects it when parsing (`invalid expression` "Lambda expected, ...").
 * Expressions (objects) are checked when they run.
 */
function checkLambdaExpression(raw: Json | undefined, position: Position): void {
  if (raw === undefined || isJsonObject(raw)) return;
  let provided: string;
  if (Array.isArray(raw)) provided = 'Array';
  else if (raw === null) provided = 'Null';
  else if (typeof raw === 'bigint') provided = 'Integer';
  else if (typeof raw === 'number') provided = 'Double';
  else if (typeof raw === 'string') provided = 'String';
  else provided = 'Boolean';
  throw invalidExpression(`Lambda expected, ${provided} provided.`, position);
}

export interface LambdaFunctionDef {
  readonly keys: readonly string[];
  readonly optional?: readonly string[];
  /** The arguments that are lambdas: their bodies' effects count towards the form's. */
  readonly lambdaKeys: readonly string[];
  /** The effect of the function itself. */
  readonly effect?: Effect;
  impl(ctx: EvalContext, args: (Value | undefined)[], site: Site): Value;
}

/**
 * Like `defineFunction` (every argument evaluated in order keys, then optional),
 * but the form's effect includes what its lambda arguments' bodies may do, so a
 * Map whose lambda writes makes the query a write.
 */
export function defineLambdaFunction(def: LambdaFunctionDef): void {
  const all = [...def.keys, ...(def.optional ?? [])];
  defineForm({
    keys: def.keys,
    optional: def.optional ?? [],
    compile(fc) {
      for (const k of def.lambdaKeys) checkLambdaExpression(fc.site.raw[k], fc.site.at(k));
      const args: (Compiled | undefined)[] = all.map((k) => (fc.site.raw[k] === undefined ? undefined : fc.arg(k)));
      let effect: Effect = def.effect ?? PURE;
      args.forEach((a, i) => {
        if (a === undefined) return;
        effect = maxEffect(effect, def.lambdaKeys.includes(all[i]!) ? lambdaArgEffect(a) : a.effect);
      });
      const site = fc.site;
      const impl = def.impl;
      const n = args.length;
      return {
        run: (ctx: EvalContext, env: Env) => {
          const vals = new Array<Value | undefined>(n);
          for (let i = 0; i < n; i++) {
            const a = args[i];
            vals[i] = a === undefined ? undefined : a.run(ctx, env);
          }
          return impl(ctx, vals, site);
        },
        effect,
        position: site.position,
      };
    },
  });
}

// --- value identity ---------------------------------------------------------------------

/**
 * A canonical text for a value, equal exactly when FaunaDB considers two values
 * equal: integers and doubles differ (1 vs 1.0), objects ignore key order.
 */
export function valueKey(v: Value): string {
  switch (typeof v) {
    case 'bigint':
      return `i${v}`;
    case 'number':
      return Number.isNaN(v) ? 'dNaN' : `d${v === 0 ? 0 : v}`;
    case 'string':
      return `s${JSON.stringify(v)}`;
    case 'boolean':
      return v ? 'T' : 'F';
    default:
      break;
  }
  if (v === null) return 'N';
  if (Array.isArray(v)) return `[${v.map(valueKey).join(',')}]`;
  if (v instanceof Ref) return refKey(v);
  if (v instanceof FTime) return `t${v.ns}`;
  if (v instanceof FDate) return `D${v.days}`;
  if (v instanceof Bytes) return `b${Buffer.from(v.bytes).toString('hex')}`;
  if (v instanceof SetRef) return `S${stringifyJson(setToWire(v.node))}`;
  if (v instanceof LambdaValue) return `L${stringifyJson(v.source)}`;
  if (v instanceof Page) {
    const b = v.before === undefined ? '' : valueKey(v.before);
    const a = v.after === undefined ? '' : valueKey(v.after);
    return `P(${valueKey(v.data)};${b};${a})`;
  }
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${valueKey(v[k]!)}`).join(',')}}`;
}

function refKey(r: Ref): string {
  return `r(${JSON.stringify(r.id)},${r.collection === null ? '' : refKey(r.collection)},${r.database === null ? '' : refKey(r.database)})`;
}

/** FaunaDB value equality (deep; 1 and 1.0 differ). */
export function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b) return false;
  return valueKey(a) === valueKey(b);
}

// --- pages and their cursors ---------------------------------------------------------------

/** The cursor an element of a page stands at, when the page did not record it. */
function derivedCursor(el: Value): Value {
  if (Array.isArray(el)) return el;
  if (isObject(el) && el.value !== undefined && el.sources !== undefined && Object.keys(el).length === 2) {
    return derivedCursor(el.value);
  }
  return [el];
}

/** The cursor of every element of a page (Fauna's unmapped values). */
export function pageCursorsOf(page: Page): Value[] {
  const known = page.cursors;
  if (known === undefined) return page.data.map(derivedCursor);
  if (typeof known !== 'function') return known;
  const cursors = known();
  page.cursors = cursors;
  return cursors;
}

/** A new page with recorded element cursors (or a function computing them on demand). */
export function makePage(data: Value[], cursors: Value[] | (() => Value[]), before: Value | undefined, after: Value | undefined): Page {
  return new Page(data, before, after, cursors);
}

// --- argument casts ------------------------------------------------------------------------

type Iterable_ = { kind: 'array'; items: Value[] } | { kind: 'page'; page: Page } | { kind: 'set'; set: SetRef };

/** Array, Page or Set (a native collection ref is its set); else "Array, Set, or Page expected". */
export function castIterable(v: Value | undefined, position: Position): Iterable_ {
  if (Array.isArray(v)) return { kind: 'array', items: v };
  if (v instanceof Page) return { kind: 'page', page: v };
  if (v instanceof SetRef) return { kind: 'set', set: v };
  if (v instanceof Ref && v.isNative) return { kind: 'set', set: new SetRef({ kind: 'native', native: v }) };
  throw invalidArgument(`Array, Set, or Page expected, ${typeName(v)} provided.`, position);
}

/** Array or Set, as First/Last and the set combinators take them. */
function castSetOrArray(v: Value | undefined, position: Position): Iterable_ {
  const it = castIterable(v, position);
  if (it.kind === 'page') throw invalidArgument('Set or Array expected, Page provided.', position);
  return it;
}

type ArrayOrPage = { kind: 'array'; items: Value[] } | { kind: 'page'; page: Page };

/** Array or Page only, any other value rejected as such: Take, Drop. */
function castArrayOrPage(v: Value | undefined, position: Position): ArrayOrPage {
  if (Array.isArray(v)) return { kind: 'array', items: v };
  if (v instanceof Page) return { kind: 'page', page: v };
  throw invalidArgument(`Array or Page expected, ${typeName(v)} provided.`, position);
}

/**
 * Map and Foreach: the argument is cast as an iterable first ("Array, Set, or
 * Page expected"), then a set is refused ("Array or Page expected, Set provided.").
 */
function castMappable(v: Value | undefined, position: Position): ArrayOrPage {
  const it = castIterable(v, position);
  if (it.kind === 'set') throw invalidArgument('Array or Page expected, Set provided.', position);
  return it;
}

/** A Long argument narrowed as the server does (`toInt`: the low 32 bits). */
function toInt32(n: bigint): number {
  return Number(BigInt.asIntN(32, n));
}

/** Elements of a varargs value with their positions (an array value is split). */
function elemsWithPositions(v: Value | undefined, position: Position): [Value, Position][] {
  if (Array.isArray(v)) return v.map((e, i) => [e, [...position, i]]);
  return [[v === undefined ? null : v, position]];
}

// --- reading sets ----------------------------------------------------------------------------

function setSource(ctx: EvalContext, set: SetRef, position: Position): SetSource {
  return sourceOf(ctx, set, { atTs: ctx.readTs, position });
}

/** The elements of a set in order, read lazily. */
export function* setElements(ctx: EvalContext, set: SetRef, position: Position, descending = false): Generator<Value> {
  const source = setSource(ctx, set, position);
  for (const entry of source.scan(null, null, descending)) {
    ctx.tick(1, position);
    yield entryElement(source, entry);
  }
}

/** Elements of any iterable, lazily for sets. */
function* elementsOf(ctx: EvalContext, it: Iterable_, position: Position): Generator<Value> {
  if (it.kind === 'set') {
    yield* setElements(ctx, it.set, position);
    return;
  }
  const items = it.kind === 'array' ? it.items : it.page.data;
  for (const v of items) {
    ctx.tick(1, position);
    yield v;
  }
}

// --- Map / Foreach / Filter ------------------------------------------------------------------

function applyAll(ctx: EvalContext, lambda: LambdaValue, items: Value[], position: Position): Value[] {
  ctx.checkSize(items.length, position);
  const out = new Array<Value>(items.length);
  for (let i = 0; i < items.length; i++) {
    ctx.tick(1, position);
    out[i] = lambda.apply(ctx, items[i]!);
  }
  return out;
}

defineLambdaFunction({
  keys: ['map', 'collection'],
  lambdaKeys: ['map'],
  impl(ctx, [lambdaValue, collection], site) {
    const lambda = castLambda(lambdaValue, site.at('map'));
    const it = castMappable(collection, site.at('collection'));
    if (it.kind === 'array') return applyAll(ctx, lambda, it.items, site.position);
    const page = it.page;
    return makePage(applyAll(ctx, lambda, page.data, site.position), pageCursorsOf(page), page.before, page.after);
  },
});

defineLambdaFunction({
  keys: ['foreach', 'collection'],
  lambdaKeys: ['foreach'],
  impl(ctx, [lambdaValue, collection], site) {
    const lambda = castLambda(lambdaValue, site.at('foreach'));
    const it = castMappable(collection, site.at('collection'));
    applyAll(ctx, lambda, it.kind === 'array' ? it.items : it.page.data, site.position);
    return collection!;
  },
});

/** Where each filter set was built, for the position of a non-Boolean result. */
const filterSites = new WeakMap<SetNode, Position>();

/** The Booleans a lambda returned for each element (all applied first, then checked). */
function predicateResults(ctx: EvalContext, lambda: LambdaValue, items: Value[], position: Position): boolean[] {
  const results = applyAll(ctx, lambda, items, position);
  return results.map((r, i) => {
    if (typeof r !== 'boolean') throw invalidArgument(`Boolean expected, ${typeName(r)} provided.`, [...position, i]);
    return r;
  });
}

defineLambdaFunction({
  keys: ['filter', 'collection'],
  lambdaKeys: ['filter'],
  impl(ctx, [lambdaValue, collection], site) {
    const lambda = castLambda(lambdaValue, site.at('filter'));
    const it = castIterable(collection, site.at('collection'));
    if (it.kind === 'array') {
      const keep = predicateResults(ctx, lambda, it.items, site.position);
      return it.items.filter((_, i) => keep[i]);
    }
    if (it.kind === 'page') {
      const page = it.page;
      const keep = predicateResults(ctx, lambda, page.data, site.position);
      const cursors = pageCursorsOf(page);
      const data: Value[] = [];
      const kept: Value[] = [];
      page.data.forEach((v, i) => {
        if (!keep[i]) return;
        data.push(v);
        if (i < cursors.length) kept.push(cursors[i]!);
      });
      return makePage(data, kept, page.before, page.after);
    }
    if (lambda.effect === WRITE) {
      throw invalidArgument('Invalid lambda. Lambda in this context may not write or call a user function.', site.at('filter'));
    }
    const node: SetNode = { kind: 'filter', set: it.set, lambda };
    filterSites.set(node, site.at('filter'));
    return new SetRef(node);
  },
});

defineSetKind('filter', (ctx, node, options) => {
  const inner = sourceOf(ctx, node.set, options);
  const position = filterSites.get(node) ?? options.position;
  const lambda = node.lambda;
  return {
    arity: inner.arity,
    keyOf: (tuple: Value[]) => inner.keyOf(tuple),
    *scan(lo, hi, descending) {
      for (const entry of inner.scan(lo, hi, descending)) {
        ctx.tick(1, position);
        const keep = lambda.apply(ctx, entryElement(inner, entry));
        if (typeof keep !== 'boolean') throw invalidArgument(`Boolean expected, ${typeName(keep)} provided.`, position);
        if (keep) yield entry;
      }
    },
  };
});

// --- folds: Reduce, Count, Sum, Mean, Any, All, Max, Min ---------------------------------------------

/**
 * Folds an iterable. Arrays and sets give the plain result; a page gives a page
 * holding the one result, with the input's cursors.
 */
function fold<A>(
  ctx: EvalContext,
  collection: Value | undefined,
  castAt: Position,
  readAt: Position,
  seed: A,
  step: (acc: A, v: Value) => A,
  finish: (acc: A, scanned: number) => Value,
): Value {
  const it = castIterable(collection, castAt);
  let acc = seed;
  let scanned = 0;
  for (const v of elementsOf(ctx, it, readAt)) {
    acc = step(acc, v);
    scanned++;
  }
  const result = finish(acc, scanned);
  if (it.kind === 'page') return makePage([result], pageCursorsOf(it.page), it.page.before, it.page.after);
  return result;
}

defineLambdaFunction({
  keys: ['reduce', 'initial', 'collection'],
  lambdaKeys: ['reduce'],
  effect: READ,
  impl(ctx, [lambdaValue, initial, collection], site) {
    const lambda = castLambda(lambdaValue, site.at('reduce'));
    return fold<Value>(
      ctx,
      collection,
      site.at('collection'),
      site.at('reduce'),
      initial === undefined ? null : initial,
      (acc, v) => lambda.apply(ctx, [acc, v]),
      (acc) => acc,
    );
  },
});

defineFunction({
  keys: ['count'],
  effect: READ,
  impl(ctx, [collection], site) {
    const at = site.at('count');
    // A set whose source counts in storage (Documents, Match) is not read entry by entry.
    if (collection instanceof SetRef) {
      const source = setSource(ctx, collection, at);
      if (source.count !== undefined) return BigInt(source.count());
    }
    return fold<null>(ctx, collection, at, at, null, () => null, (_acc, n) => BigInt(n));
  },
});

function addNumbers(acc: bigint | number, v: Value, position: Position): bigint | number {
  if (typeof v === 'bigint') return typeof acc === 'bigint' ? BigInt.asIntN(64, acc + v) : acc + Number(v);
  if (typeof v === 'number') return Number(acc) + v;
  throw invalidArgument(`Number expected, ${typeName(v)} provided.`, position);
}

defineFunction({
  keys: ['sum'],
  effect: READ,
  impl(ctx, [collection], site) {
    const at = site.at('sum');
    return fold<bigint | number>(ctx, collection, at, at, 0n, (acc, v) => addNumbers(acc, v, at), (acc) => acc);
  },
});

defineFunction({
  keys: ['mean'],
  effect: READ,
  impl(ctx, [collection], site) {
    const at = site.at('mean');
    return fold<bigint | number>(
      ctx,
      collection,
      at,
      at,
      0n,
      (acc, v) => addNumbers(acc, v, at),
      (acc, n) => {
        if (n === 0) throw invalidArgument('Non-empty array expected.', at);
        return Number(acc) / n;
      },
    );
  },
});

for (const [key, seed] of [
  ['any', false],
  ['all', true],
] as const) {
  defineFunction({
    keys: [key],
    effect: READ,
    impl(ctx, [collection], site) {
      const at = site.at(key);
      return fold<boolean>(
        ctx,
        collection,
        at,
        at,
        seed,
        (acc, v) => {
          const b = castBoolean(v, at);
          return key === 'any' ? acc || b : acc && b;
        },
        (acc) => acc,
      );
    },
  });
}

for (const key of ['max', 'min'] as const) {
  defineFunction({
    keys: [key],
    effect: READ,
    impl(ctx, [collection], site) {
      const at = site.at(key);
      let input = collection;
      // A single iterable inside an array is unwrapped: Max([[1, 2]]) is Max([1, 2]).
      while (Array.isArray(input) && input.length === 1) {
        const only = input[0]!;
        if (!Array.isArray(only) && !(only instanceof Page) && !(only instanceof SetRef)) break;
        input = only;
      }
      const keep = key === 'max' ? (c: number) => c > 0 : (c: number) => c < 0;
      return fold<Value | undefined>(
        ctx,
        input,
        at,
        at,
        undefined,
        (acc, v) => (acc === undefined ? v : keep(compareValues(acc, v)) ? acc : v),
        (acc) => {
          if (acc === undefined) throw invalidArgument('Non-empty array expected.', at);
          return acc;
        },
      );
    },
  });
}

// --- IsEmpty / IsNonEmpty / First / Last -----------------------------------------------------------

function isEmptyIterable(ctx: EvalContext, v: Value | undefined, position: Position): boolean {
  const it = castIterable(v, position);
  if (it.kind === 'array') return it.items.length === 0;
  if (it.kind === 'page') return it.page.data.length === 0;
  for (const _ of setElements(ctx, it.set, position)) return false;
  return true;
}

defineFunction({
  keys: ['is_empty'],
  impl: (ctx, [collection], site) => isEmptyIterable(ctx, collection, site.at('is_empty')),
});

defineFunction({
  keys: ['is_nonempty'],
  impl: (ctx, [collection], site) => !isEmptyIterable(ctx, collection, site.at('is_nonempty')),
});

for (const key of ['first', 'last'] as const) {
  defineFunction({
    keys: [key],
    effect: READ,
    impl(ctx, [collection], site) {
      const at = site.at(key);
      const it = castSetOrArray(collection, at);
      if (it.kind === 'array') {
        if (it.items.length === 0) throw invalidArgument('Non-empty array expected.', at);
        return key === 'first' ? it.items[0]! : it.items[it.items.length - 1]!;
      }
      if (it.kind === 'set') {
        for (const v of setElements(ctx, it.set, site.position, key === 'last')) return v;
        throw invalidArgument('Non-empty set expected.', at);
      }
      throw invalidArgument('Set or Array expected, Page provided.', at);
    },
  });
}

// --- Take / Drop / Prepend / Append ------------------------------------------------------------------

defineFunction({
  keys: ['take', 'collection'],
  impl(_ctx, [num, collection], site) {
    const n = toInt32(castInt(num, site.at('take')));
    const it = castArrayOrPage(collection, site.at('collection'));
    if (it.kind === 'array') return n <= 0 ? [] : it.items.slice(0, n);
    const page = it.page;
    const cursors = pageCursorsOf(page);
    const count = Math.max(n, 0);
    const after = n < 0 ? page.before : n < cursors.length ? cursors[n]! : page.after;
    return makePage(page.data.slice(0, count), cursors.slice(0, count), page.before, after);
  },
});

defineFunction({
  keys: ['drop', 'collection'],
  impl(_ctx, [num, collection], site) {
    const n = toInt32(castInt(num, site.at('drop')));
    const it = castArrayOrPage(collection, site.at('collection'));
    const count = Math.max(n, 0);
    if (it.kind === 'array') return it.items.slice(count);
    const page = it.page;
    const dropped = pageCursorsOf(page).slice(count);
    const before = n < 0 ? page.before : dropped.length > 0 ? dropped[0]! : page.after;
    return makePage(page.data.slice(count), dropped, before, page.after);
  },
});

function elementList(v: Value | undefined): Value[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

defineFunction({
  keys: ['prepend', 'collection'],
  impl(ctx, [elems, collection], site) {
    const arr = castArray(collection, site.at('collection'));
    const items = elementList(elems);
    ctx.checkSize(items.length + arr.length, site.position);
    return [...items, ...arr];
  },
});

defineFunction({
  keys: ['append', 'collection'],
  impl(ctx, [elems, collection], site) {
    const arr = castArray(collection, site.at('collection'));
    const items = elementList(elems);
    ctx.checkSize(items.length + arr.length, site.position);
    return [...arr, ...items];
  },
});

// --- Distinct / Reverse ----------------------------------------------------------------------------

/** Distinct elements, first occurrences in order. */
export function distinctValues(items: readonly Value[]): Value[] {
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const v of items) {
    const k = valueKey(v);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(v);
  }
  return out;
}

defineFunction({
  keys: ['distinct'],
  impl(_ctx, [collection], site) {
    const it = castIterable(collection, site.at('distinct'));
    if (it.kind === 'array') return distinctValues(it.items);
    if (it.kind === 'page') return makePage(distinctValues(it.page.data), pageCursorsOf(it.page), it.page.before, it.page.after);
    return new SetRef({ kind: 'distinct', set: it.set });
  },
});

defineFunction({
  keys: ['reverse'],
  impl(_ctx, [collection], site) {
    const it = castIterable(collection, site.at('reverse'));
    if (it.kind === 'array') return [...it.items].reverse();
    if (it.kind === 'page') return makePage([...it.page.data].reverse(), pageCursorsOf(it.page), it.page.before, it.page.after);
    return new SetRef({ kind: 'reverse', set: it.set });
  },
});

// --- Union / Intersection / Difference ----------------------------------------------------------------

function counts(items: readonly Value[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of items) {
    const k = valueKey(v);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

/** Multiset union: each element as often as in the array holding it most, grouped in first-seen order. */
export function unionArrays(left: readonly Value[], right: readonly Value[]): Value[] {
  const occurrence = counts(left);
  for (const [k, n] of counts(right)) occurrence.set(k, Math.max(occurrence.get(k) ?? 0, n));
  const out: Value[] = [];
  for (const v of [...left, ...right]) {
    const k = valueKey(v);
    const n = occurrence.get(k) ?? 0;
    for (let i = 0; i < n; i++) out.push(v);
    occurrence.set(k, 0);
  }
  return out;
}

/** Multiset intersection, in the left array's order. */
export function intersectArrays(left: readonly Value[], right: readonly Value[]): Value[] {
  const remaining = counts(right);
  const out: Value[] = [];
  for (const v of left) {
    const k = valueKey(v);
    const n = remaining.get(k) ?? 0;
    if (n > 0) {
      out.push(v);
      remaining.set(k, n - 1);
    }
  }
  return out;
}

/** Multiset difference, in the left array's order. */
export function differenceArrays(left: readonly Value[], right: readonly Value[]): Value[] {
  const remaining = counts(right);
  const out: Value[] = [];
  for (const v of left) {
    const k = valueKey(v);
    const n = remaining.get(k) ?? 0;
    if (n > 0) remaining.set(k, n - 1);
    else out.push(v);
  }
  return out;
}

const ARRAY_OPS = {
  union: unionArrays,
  intersection: intersectArrays,
  difference: differenceArrays,
} as const;

for (const key of ['union', 'intersection', 'difference'] as const) {
  defineFunction({
    keys: [key],
    impl(ctx, [arg], site) {
      const at = site.at(key);
      const parts = elemsWithPositions(arg, at).map(([v, pos]) => castSetOrArray(v, pos));
      if (parts.length === 0) throw invalidArgument('Non-empty array expected.', at);
      const sets = parts.filter((p): p is { kind: 'set'; set: SetRef } => p.kind === 'set');
      if (sets.length === parts.length) {
        const members = sets.map((p) => p.set);
        checkCompatible(ctx, members, at);
        return new SetRef({ kind: key, sets: members });
      }
      if (sets.length > 0) throw invalidArgument('Arguments cannot be of different types, expected Set or Array.', at);
      const arrays = parts.map((p) => (p.kind === 'array' ? p.items : []));
      let acc = arrays[0]!;
      for (let i = 1; i < arrays.length; i++) {
        ctx.tick(acc.length + arrays[i]!.length, site.position);
        acc = ARRAY_OPS[key](acc, arrays[i]!);
      }
      return acc === arrays[0] ? [...acc] : acc;
    },
  });
}
