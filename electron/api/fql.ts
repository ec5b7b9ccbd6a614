/**
 * A tiny typed builder for FQL v4 wire expressions, the same JSON the
 * `faunadb` driver sends. The domain handlers build every query with it, so
 * user input only ever lands in a query as a literal value: a string is a
 * string literal (never a form), objects are always wrapped in `{object: …}`,
 * and numbers say whether they are Integers (`int`) or Doubles (`dbl`).
 */
import { newJsonObject, type Json, type JsonObject } from '../../shared/fql/json.js';

/** A wire expression. */
export type Expr = Json;

function form(entries: [string, Expr | undefined][]): JsonObject {
  const o = newJsonObject();
  for (const [k, v] of entries) if (v !== undefined) o[k] = v;
  return o;
}

// ---- literals ---------------------------------------------------------------

/** An FQL Integer. */
export const int = (n: number | bigint): Expr => {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not a whole number: ${n}`);
  return BigInt(n);
};

/** An FQL Double. */
export const dbl = (n: number): Expr => {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  return n;
};

/** An object literal whose values are expressions (evaluated). */
export function obj(fields: Record<string, Expr | undefined>): Expr {
  const inner = newJsonObject();
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) inner[k] = v;
  return form([['object', inner]]);
}

// ---- references and sets ----------------------------------------------------

export const collection = (name: string): Expr => form([['collection', name]]);
export const index = (name: string): Expr => form([['index', name]]);
export const fn = (name: string): Expr => form([['function', name]]);
export const ref = (collectionName: string, id: string): Expr => form([['ref', collection(collectionName)], ['id', id]]);
export const collections = (): Expr => form([['collections', null]]);
export const indexes = (): Expr => form([['indexes', null]]);
export const functions = (): Expr => form([['functions', null]]);
export const documents = (coll: Expr): Expr => form([['documents', coll]]);

/** Match(index) or Match(index, term). */
export function match(idx: Expr, term?: Expr): Expr {
  return form([['match', idx], ['terms', term]]);
}

export const intersection = (...sets: Expr[]): Expr => form([['intersection', sets]]);

export interface PageOptions {
  size?: number;
  after?: Expr;
  /** `null` reads the set's last page. */
  before?: Expr;
  events?: boolean;
}

export function paginate(set: Expr, opts: PageOptions = {}): Expr {
  return form([
    ['paginate', set],
    ['size', opts.size === undefined ? undefined : int(opts.size)],
    ['after', opts.after],
    ['before', opts.before],
    ['events', opts.events === undefined ? undefined : opts.events],
  ]);
}

// ---- documents ----------------------------------------------------------------

export const get = (x: Expr): Expr => form([['get', x]]);
export const exists = (x: Expr): Expr => form([['exists', x]]);
export const create = (coll: Expr, params: Expr): Expr => form([['create', coll], ['params', params]]);
export const update = (r: Expr, params: Expr): Expr => form([['update', r], ['params', params]]);
export const del = (r: Expr): Expr => form([['delete', r]]);
/** `{ data: { … } }` as the params of Create / Update. */
export const dataParams = (data: Record<string, Expr | undefined>): Expr => obj({ data: obj(data) });

// ---- functions and control ----------------------------------------------------

export const call = (f: Expr, ...args: Expr[]): Expr => form([['call', f], ['arguments', args.length === 1 ? args[0]! : args]]);
export const v = (name: string): Expr => form([['var', name]]);
export const lambda = (params: string | string[], body: Expr): Expr => form([['lambda', params], ['expr', body]]);

/** Let with ordered bindings (each may use the ones before it). */
export function let_(bindings: Record<string, Expr>, body: Expr): Expr {
  return form([['let', Object.entries(bindings).map(([k, val]) => form([[k, val]]))], ['in', body]]);
}

export const if_ = (cond: Expr, then: Expr, otherwise: Expr): Expr => form([['if', cond], ['then', then], ['else', otherwise]]);
export const do_ = (...exprs: Expr[]): Expr => form([['do', exprs]]);
export const abort = (message: Expr): Expr => form([['abort', message]]);
export const map = (coll: Expr, fnExpr: Expr): Expr => form([['map', fnExpr], ['collection', coll]]);
export const filter = (coll: Expr, fnExpr: Expr): Expr => form([['filter', fnExpr], ['collection', coll]]);
export const count = (x: Expr): Expr => form([['count', x]]);
export const now = (): Expr => form([['now', null]]);
/** At(ts, expr): evaluates `expr` as of a past time (a Time, or Integer microseconds). */
export const at = (ts: Expr, expr: Expr): Expr => form([['at', ts], ['expr', expr]]);

/** Select(path, from) or Select(path, from, default). */
export function select(path: string | (string | number)[], from: Expr, def?: Expr): Expr {
  const p: Expr = typeof path === 'string' ? path : path.map((x) => (typeof x === 'number' ? int(x) : x));
  return form([['select', p], ['from', from], ['default', def]]);
}

// ---- logic, comparison, strings --------------------------------------------------

export const equals = (...xs: Expr[]): Expr => form([['equals', xs]]);
export const and = (...xs: Expr[]): Expr => form([['and', xs]]);
export const or = (...xs: Expr[]): Expr => form([['or', xs]]);
export const not = (x: Expr): Expr => form([['not', x]]);
export const lte = (...xs: Expr[]): Expr => form([['lte', xs]]);
export const add = (...xs: Expr[]): Expr => form([['add', xs]]);
export const isRef = (x: Expr): Expr => form([['is_ref', x]]);
export const concat = (strings: Expr[], separator?: string): Expr => form([['concat', strings], ['separator', separator]]);
export const lowerCase = (x: Expr): Expr => form([['lowercase', x]]);
export const containsStr = (value: Expr, search: Expr): Expr => form([['containsstr', value], ['search', search]]);

/** `x` when it is a Ref to an existing document, else `otherwise` (never fails on a dangling ref). */
export function ifLive(x: Expr, then: Expr, otherwise: Expr): Expr {
  return if_(isRef(x), if_(exists(x), then, otherwise), otherwise);
}
