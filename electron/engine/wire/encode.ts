/**
 * Engine values -> Fauna's typed JSON wire format (`@ref`, `@ts`, `@date`,
 * `@bytes`, `@set`, `@query`, `@obj`).
 */
import { newJsonObject, type Json, type JsonObject } from '../../../shared/fql/json.js';
import type { SetNode } from '../values/set.js';
import { formatDate } from '../values/time.js';
import { Bytes, FDate, FTime, LambdaValue, Page, Ref, SetRef, isObject, type Value } from '../values/value.js';

export function refToWire(ref: Ref): JsonObject {
  const body = newJsonObject();
  body.id = ref.id;
  if (ref.collection !== null) body.collection = ref.collection.database === null && ref.collection.collection?.collection === null ? rootSchemaRefWire(ref.collection) : refToWire(ref.collection);
  if (ref.database !== null) body.database = refToWire(ref.database);
  return tagged('@ref', body);
}

/**
 * The wire form of a schema ref in the root database (a document's
 * collection, mostly), made once per name and shared, frozen, by every
 * result that holds it: a page of 1 000 refs does not build 1 000 copies.
 */
const rootSchemaWire = new Map<string, JsonObject>();
const MAX_SHARED_WIRE = 10_000;

const wireOfRef = new WeakMap<Ref, JsonObject>();

function rootSchemaRefWire(ref: Ref): JsonObject {
  let wire = wireOfRef.get(ref);
  if (wire !== undefined) return wire;
  const key = `${ref.collection!.id}/${ref.id}`;
  wire = rootSchemaWire.get(key);
  if (wire === undefined) {
    wire = deepFreeze(refToWire(ref));
    if (rootSchemaWire.size < MAX_SHARED_WIRE) rootSchemaWire.set(key, wire);
  }
  wireOfRef.set(ref, wire);
  return wire;
}

function deepFreeze<T extends Json>(json: T): T {
  if (typeof json === 'object' && json !== null) {
    for (const v of Object.values(json)) deepFreeze(v);
    Object.freeze(json);
  }
  return json;
}

function tagged(tag: string, body: Json): JsonObject {
  const obj = newJsonObject();
  obj[tag] = body;
  return obj;
}

export function toWire(value: Value): Json {
  switch (typeof value) {
    case 'bigint':
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    default:
      break;
  }
  if (value === null) return null;
  if (Array.isArray(value)) return value.map(toWire);
  if (value instanceof Ref) return refToWire(value);
  if (value instanceof FTime) return tagged('@ts', value.iso);
  if (value instanceof FDate) return tagged('@date', formatDate(value.days));
  if (value instanceof Bytes) return tagged('@bytes', Buffer.from(value.bytes).toString('base64'));
  if (value instanceof SetRef) return tagged('@set', setToWire(value.node));
  if (value instanceof LambdaValue) return tagged('@query', lambdaToWire(value));
  if (value instanceof Page) {
    const page = newJsonObject();
    if (value.before !== undefined) page.before = toWire(value.before);
    if (value.after !== undefined) page.after = toWire(value.after);
    page.data = value.data.map(toWire);
    return page;
  }
  if (isObject(value)) {
    const obj = newJsonObject();
    let needsEscape = false;
    for (const key of Object.keys(value)) {
      if (key.startsWith('@')) needsEscape = true;
      obj[key] = toWire(value[key]!);
    }
    return needsEscape ? tagged('@obj', obj) : obj;
  }
  throw new Error('unknown value type');
}

function lambdaToWire(lambda: LambdaValue): JsonObject {
  const out = newJsonObject();
  for (const key of Object.keys(lambda.source)) out[key] = lambda.source[key]!;
  out.api_version = '4';
  return out;
}

function setsToWire(sets: SetRef[]): Json {
  return sets.length === 1 ? setValueToWire(sets[0]!) : sets.map(setValueToWire);
}

function setValueToWire(set: SetRef): Json {
  // A native collection used as a set renders as its plain ref.
  if (set.node.kind === 'native') return refToWire(set.node.native);
  return tagged('@set', setToWire(set.node));
}

/** The body of a `@set`, in the shape FaunaDB renders. */
export function setToWire(node: SetNode): JsonObject {
  const o = newJsonObject();
  switch (node.kind) {
    case 'documents':
      o.documents = refToWire(node.collection);
      return o;
    case 'native':
      // Native collections render as plain refs when used as sets.
      return refToWire(node.native);
    case 'match':
      o.match = refToWire(node.index);
      if (node.terms.length === 1) o.terms = toWire(node.terms[0]!);
      else if (node.terms.length > 1) o.terms = node.terms.map(toWire);
      return o;
    case 'union':
    case 'intersection':
    case 'difference':
      o[node.kind] = setsToWire(node.sets);
      return o;
    case 'distinct':
      o.distinct = setValueToWire(node.set);
      return o;
    case 'join':
      o.join = setValueToWire(node.source);
      o.with = node.with instanceof Ref ? refToWire(node.with) : lambdaToWire(node.with);
      return o;
    case 'range':
      o.range = setValueToWire(node.set);
      o.from = toWire(node.from);
      o.to = toWire(node.to);
      return o;
    case 'reverse':
      o.reverse = setValueToWire(node.set);
      return o;
    case 'filter':
      o.filter = lambdaToWire(node.lambda);
      o.collection = setValueToWire(node.set);
      return o;
    case 'singleton':
      o.singleton = refToWire(node.ref);
      return o;
    case 'ledger':
      o.ledger = null;
      return o;
    case 'events':
      o.events = node.source instanceof Ref ? refToWire(node.source) : setValueToWire(node.source);
      return o;
  }
}
