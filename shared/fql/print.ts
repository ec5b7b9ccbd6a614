/**
 * Prints FQL values and wire expressions the way Fauna's shell shows them:
 * `Ref(Collection("orders"), "101")`, `Time("...")`, `{ data: { ... } }`.
 *
 * `printFql` renders a query *result* (wire values with `@ref`, `@ts`, `@set`,
 * `@query` ... tags; objects are data). `printExpr` renders a wire *expression*
 * back to shell syntax, inverting the parser: `parseFql(printExpr(e))[0].expr`
 * equals `e` for every expression the parser can produce.
 *
 * Output is compact on one line when it fits in `maxWidth`, otherwise broken
 * over several lines with `indent` spaces per level.
 */

import { formatDouble, isJsonObject, type Json, type JsonObject } from './json.js';
import {
  FQL_FUNCTIONS_BY_HEAD,
  NATIVE_COLLECTION_FUNCTIONS,
  SCHEMA_REF_FUNCTIONS,
  type FnSpec,
} from './print-functions.js';

export interface PrintOptions {
  /** Spaces per indentation level (default 2). */
  indent?: number;
  /** Lines longer than this are broken (default 80). */
  maxWidth?: number;
}

/** Prints a query result (a wire value) as FQL. */
export function printFql(value: Json, options?: PrintOptions): string {
  return render(valueDoc(value), options);
}

/** Prints a wire expression as FQL shell syntax. */
export function printExpr(expr: Json, options?: PrintOptions): string {
  return render(exprDoc(expr), options);
}

/** Formats a double the way FQL prints it: always with a fraction or an exponent (`4.0`, `1.0E21`). */
export function formatFqlDouble(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const text = formatDouble(value);
  const e = text.indexOf('E');
  if (e > 0 && !text.slice(0, e).includes('.')) return `${text.slice(0, e)}.0${text.slice(e)}`;
  return text;
}

/** Prints an object key bare when it is an identifier, quoted otherwise. */
export function formatFqlKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key);
}

// ---- documents and layout ----------------------------------------------------

interface Group {
  readonly kind: 'group';
  readonly open: string;
  readonly close: string;
  /** Put a space inside the brackets when flat (`{ a: 1 }`). */
  readonly pad: boolean;
  readonly items: Doc[];
  readonly width: number;
}

interface Pair {
  readonly kind: 'pair';
  readonly prefix: string;
  readonly value: Doc;
  readonly width: number;
}

type Doc = string | Group | Pair;

function widthOf(doc: Doc): number {
  return typeof doc === 'string' ? doc.length : doc.width;
}

function group(open: string, items: Doc[], close: string, pad = false): Group {
  let width = open.length + close.length;
  if (items.length > 0) {
    for (const item of items) width += widthOf(item);
    width += 2 * (items.length - 1);
    if (pad) width += 2;
  }
  return { kind: 'group', open, close, pad, items, width };
}

function pair(prefix: string, value: Doc): Pair {
  return { kind: 'pair', prefix, value, width: prefix.length + widthOf(value) };
}

function call(name: string, args: Doc[]): Group {
  return group(`${name}(`, args, ')');
}

function objectDoc(entries: Array<[string, Doc]>): Group {
  return group('{', entries.map(([k, v]) => pair(`${formatFqlKey(k)}: `, v)), '}', true);
}

function render(doc: Doc, options?: PrintOptions): string {
  const step = Math.max(0, Math.floor(options?.indent ?? 2));
  const maxWidth = options?.maxWidth ?? 80;
  const out: string[] = [];

  const flat = (d: Doc): void => {
    if (typeof d === 'string') {
      out.push(d);
    } else if (d.kind === 'pair') {
      out.push(d.prefix);
      flat(d.value);
    } else {
      out.push(d.open);
      if (d.items.length > 0) {
        if (d.pad) out.push(' ');
        d.items.forEach((item, i) => {
          if (i > 0) out.push(', ');
          flat(item);
        });
        if (d.pad) out.push(' ');
      }
      out.push(d.close);
    }
  };

  const layout = (d: Doc, level: number, column: number, trailing: number): void => {
    if (typeof d === 'string') {
      out.push(d);
      return;
    }
    if (d.kind === 'pair') {
      out.push(d.prefix);
      layout(d.value, level, column + d.prefix.length, trailing);
      return;
    }
    if (d.items.length === 0 || column + d.width + trailing <= maxWidth) {
      flat(d);
      return;
    }
    const inner = ' '.repeat(step * (level + 1));
    out.push(d.open);
    d.items.forEach((item, i) => {
      const last = i === d.items.length - 1;
      out.push('\n', inner);
      layout(item, level + 1, inner.length, last ? 0 : 1);
      if (!last) out.push(',');
    });
    out.push('\n', ' '.repeat(step * level), d.close);
  };

  layout(doc, 0, 0, 0);
  return out.join('');
}

// ---- values ------------------------------------------------------------------

function scalarDoc(value: Json): string | null {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return formatFqlDouble(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return value === null ? 'null' : null;
  }
}

function singleKey(obj: JsonObject): string | null {
  let found: string | null = null;
  for (const k in obj) {
    if (found !== null) return null;
    found = k;
  }
  return found;
}

function valueDoc(value: Json): Doc {
  const scalar = scalarDoc(value);
  if (scalar !== null) return scalar;
  if (Array.isArray(value)) return group('[', value.map(valueDoc), ']');
  const obj = value as JsonObject;
  const tagged = taggedDoc(obj, false);
  if (tagged !== null) return tagged;
  return objectDoc(Object.keys(obj).map((k) => [k, valueDoc(obj[k]!)]));
}

/** `@ref`, `@ts`, `@date`, `@bytes`, `@set`, `@query`, `@obj`. */
function taggedDoc(obj: JsonObject, exprMode: boolean): Doc | null {
  const tag = singleKey(obj);
  if (tag === null || tag[0] !== '@') return null;
  const body = obj[tag]!;
  switch (tag) {
    case '@ref':
      // In an expression, Ref(x) with any argument is sent as {"@ref": x}.
      return refDoc(body) ?? (exprMode ? call('Ref', [exprDoc(body)]) : null);
    case '@ts':
      return typeof body === 'string' ? call('Time', [JSON.stringify(body)]) : null;
    case '@date':
      return typeof body === 'string' ? call('Date', [JSON.stringify(body)]) : null;
    case '@bytes':
      return typeof body === 'string' ? call('Bytes', [JSON.stringify(body)]) : null;
    case '@set':
      return exprDoc(body);
    case '@query': {
      if (isJsonObject(body) && 'lambda' in body && 'expr' in body) {
        return call('Query', [call('Lambda', [exprDoc(body.lambda!), exprDoc(body.expr!)])]);
      }
      return call('Query', [exprDoc(body)]);
    }
    case '@obj':
      if (exprMode) return exprDoc(body);
      if (isJsonObject(body)) return objectDoc(Object.keys(body).map((k) => [k, valueDoc(body[k]!)]));
      return valueDoc(body);
    default:
      return null;
  }
}

function refDoc(body: Json): Doc | null {
  if (typeof body === 'string') return call('Ref', [JSON.stringify(body)]);
  if (!isJsonObject(body) || typeof body.id !== 'string') return null;
  const id = body.id;
  const collection = refBody(body.collection);
  let database: Doc | null = null;
  if (body.database !== undefined) {
    database = refOf(body.database);
    if (database === null) return null;
  }
  if (body.collection === undefined) {
    const native = NATIVE_COLLECTION_FUNCTIONS[id];
    if (native !== undefined && Object.prototype.hasOwnProperty.call(NATIVE_COLLECTION_FUNCTIONS, id)) {
      return call(native, database ? [database] : []);
    }
    return call('Ref', [JSON.stringify(id)]);
  }
  if (collection === null) return null;
  if (collection.collection === undefined && typeof collection.id === 'string') {
    // A schema document: Collection("x"), Index("x"), ... possibly scoped.
    let scope = database;
    if (scope === null && collection.database !== undefined) scope = refOf(collection.database);
    const fn = SCHEMA_REF_FUNCTIONS[collection.id];
    if (fn !== undefined && Object.prototype.hasOwnProperty.call(SCHEMA_REF_FUNCTIONS, collection.id)) {
      return call(fn, scope ? [JSON.stringify(id), scope] : [JSON.stringify(id)]);
    }
    if (collection.id === 'access_providers' && scope === null) return call('AccessProvider', [JSON.stringify(id)]);
    const native = NATIVE_COLLECTION_FUNCTIONS[collection.id];
    if (native !== undefined && Object.prototype.hasOwnProperty.call(NATIVE_COLLECTION_FUNCTIONS, collection.id)) {
      // Keys, tokens, credentials, scoped access providers: Ref(Keys(), "123").
      return call('Ref', [call(native, scope ? [scope] : []), JSON.stringify(id)]);
    }
  }
  const collDoc = refOf(body.collection!);
  if (collDoc === null) return null;
  return call('Ref', [collDoc, JSON.stringify(id)]);
}

function refBody(ref: Json | undefined): JsonObject | null {
  if (!isJsonObject(ref)) return null;
  const inner = ref['@ref'];
  return isJsonObject(inner) && singleKey(ref) === '@ref' ? inner : null;
}

function refOf(ref: Json): Doc | null {
  return isJsonObject(ref) && singleKey(ref) === '@ref' ? refDoc(ref['@ref']!) : null;
}

// ---- expressions -------------------------------------------------------------

function exprDoc(expr: Json): Doc {
  const scalar = scalarDoc(expr);
  if (scalar !== null) return scalar;
  if (Array.isArray(expr)) return group('[', expr.map(exprDoc), ']');
  const obj = expr as JsonObject;
  const tagged = taggedDoc(obj, true);
  if (tagged !== null) return tagged;
  for (const key in obj) {
    const spec = FQL_FUNCTIONS_BY_HEAD.get(key);
    if (spec === undefined) continue;
    const doc = formDoc(spec, obj);
    if (doc !== null) return doc;
  }
  // Not a form: print its fields as an object literal.
  return objectLiteral(obj);
}

function objectLiteral(obj: JsonObject): Group {
  return objectDoc(Object.keys(obj).map((k) => [k, exprDoc(obj[k]!)]));
}

function has(obj: JsonObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

function formDoc(spec: FnSpec, obj: JsonObject): Doc | null {
  const keys = Object.keys(obj);
  switch (spec.special) {
    case 'paginate': {
      const opts = keys.filter((k) => k !== 'paginate');
      const args: Doc[] = [exprDoc(obj.paginate!)];
      if (opts.length > 0) args.push(objectDoc(opts.map((k) => [k, exprDoc(obj[k]!)])));
      return call('Paginate', args);
    }
    case 'object': {
      const body = obj.object!;
      if (keys.length !== 1 || !isJsonObject(body)) return null;
      return objectLiteral(body);
    }
    case 'let':
      if (keys.length !== 2 || !has(obj, 'in')) return null;
      return letDoc(obj.let!, obj.in!);
    default:
      break;
  }
  for (const k of keys) if (!spec.keys.has(k)) return null;
  const args: Array<Doc | undefined> = [];
  let rest: Doc[] = [];
  for (const slot of spec.slots) {
    const present = has(obj, slot.key);
    const v = obj[slot.key];
    switch (slot.mode) {
      case 'required':
        // Range bounds may be missing in a rendered set: [] means unbounded.
        args[slot.arg] = present ? exprDoc(v!) : spec.name === 'Range' ? '[]' : 'null';
        break;
      case 'optional':
      case 'keep':
        if (present) args[slot.arg] = exprDoc(v!);
        break;
      case 'defaultNull':
        if (present && v !== null) args[slot.arg] = exprDoc(v!);
        break;
      case 'rest':
        if (present) rest = Array.isArray(v) && v.length !== 1 ? v.map(exprDoc) : [exprDoc(v!)];
        break;
      case 'restMin1':
        if (!present) return null;
        rest = Array.isArray(v) && v.length >= 2 ? v.map(exprDoc) : [exprDoc(v!)];
        break;
      case 'array':
        if (!present) return null;
        rest = Array.isArray(v) ? v.map(exprDoc) : [exprDoc(v!)];
        break;
      case 'nullary':
        if (v !== null) return null;
        break;
    }
  }
  const positional: Doc[] = [];
  for (let i = 0; i < args.length; i++) positional.push(args[i] ?? 'null');
  return call(spec.name, positional.concat(rest));
}

function letDoc(bindings: Json, body: Json): Doc {
  const inDoc = exprDoc(body);
  if (Array.isArray(bindings) && bindings.every(isJsonObject)) {
    const objs = bindings as JsonObject[];
    const names = new Set<string>();
    const simple = objs.every((b) => {
      const k = singleKey(b);
      if (k === null || names.has(k)) return false;
      names.add(k);
      return true;
    });
    if (simple) {
      return call('Let', [objectDoc(objs.map((b) => { const k = singleKey(b)!; return [k, exprDoc(b[k]!)]; })), inDoc]);
    }
    return call('Let', [group('[', objs.map((b) => objectDoc(Object.keys(b).map((k) => [k, exprDoc(b[k]!)]))), ']'), inDoc]);
  }
  if (isJsonObject(bindings)) {
    return call('Let', [objectDoc(Object.keys(bindings).map((k) => [k, exprDoc(bindings[k]!)])), inDoc]);
  }
  return call('Let', [exprDoc(bindings), inDoc]);
}
