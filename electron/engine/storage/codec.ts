/**
 * The storage encoding of values: JSON text that native JSON.parse reads fast.
 *
 * A JSON number that is integral is an Integer; one with a fraction is a
 * Double. Values that JSON cannot carry that way are tagged:
 *   {"@int":"digits"}  integers beyond 2^53
 *   {"@dbl":"4"}       doubles that are whole numbers, -0, NaN, +-Infinity
 *   {"@r":["coll","id"]}  a document ref in the root database
 *   {"@s":["kind","name"]} a schema ref (Collection("x") is ["collections","x"]) in the root database
 *   {"@ref":...} {"@ts":...} {"@date":...} {"@bytes":...} {"@set":...}
 *   {"@query":...} {"@obj":{...}} as in the wire format (scoped refs use @ref).
 */
import type { Json } from '../../../shared/fql/json.js';
import { jsonToWireValue } from '../wire/decode.js';
import { toWire } from '../wire/encode.js';
import { Bytes, FDate, FTime, LambdaValue, Page, Ref, SetRef, collectionRef, isObject, newObject, schemaRef, type FObject, type NativeKind, type Value } from '../values/value.js';

type Plain = number | string | boolean | null | Plain[] | { [k: string]: Plain };

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** Converts wire Json (bigint integers) to plain JSON-able data using the storage tags. */
function jsonToPlain(json: Json): Plain {
  if (typeof json === 'bigint') return json <= MAX_SAFE && json >= MIN_SAFE ? Number(json) : { '@int': json.toString() };
  if (typeof json === 'number') return Number.isInteger(json) || !Number.isFinite(json) ? { '@dbl': Object.is(json, -0) ? '-0' : String(json) } : json;
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map(jsonToPlain);
  const out: { [k: string]: Plain } = {};
  for (const key of Object.keys(json)) {
    Object.defineProperty(out, key, { value: jsonToPlain(json[key]!), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * The storage text of a value (see the tags above), written directly as
 * compact JSON. Values JSON has no plain form for (times, dates, bytes, sets,
 * lambdas, refs in another database) are written as their wire form.
 */
export function encodeValue(value: Value): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return value <= MAX_SAFE && value >= MIN_SAFE ? value.toString() : `{"@int":"${value.toString()}"}`;
    case 'number':
      if (Number.isInteger(value) || !Number.isFinite(value)) return `{"@dbl":"${Object.is(value, -0) ? '-0' : String(value)}"}`;
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    let out = '[' + encodeValue(value[0]!);
    for (let i = 1; i < value.length; i++) out += ',' + encodeValue(value[i]!);
    return out + ']';
  }
  if (isObject(value)) return encodeObject(value);
  if (value instanceof FTime) return `{"@ts":${JSON.stringify(value.iso)}}`;
  if (value instanceof Ref && value.database === null) {
    const coll = value.collection;
    if (coll !== null && coll.database === null && coll.collection !== null && coll.collection.database === null) {
      if (coll.collection.collection === null && coll.collection.id === 'collections') return `{"@r":[${JSON.stringify(coll.id)},${JSON.stringify(value.id)}]}`;
    }
    if (coll !== null && coll.collection === null && coll.database === null) return `{"@s":[${JSON.stringify(coll.id)},${JSON.stringify(value.id)}]}`;
  }
  if (value instanceof Ref || value instanceof FTime || value instanceof FDate || value instanceof Bytes || value instanceof SetRef || value instanceof LambdaValue || value instanceof Page) {
    return JSON.stringify(jsonToPlain(toWire(value)));
  }
  throw new Error('unstorable value');
}

/** An object's text; one with any key starting with '@' is wrapped as {"@obj": ...}. */
function encodeObject(obj: FObject): string {
  let out = '{';
  let escape = false;
  let first = true;
  for (const key in obj) {
    if (key.charCodeAt(0) === 64 /* @ */) escape = true;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + encodeValue(obj[key]!);
    first = false;
  }
  out += '}';
  return escape ? `{"@obj":${out}}` : out;
}

/** Encodes a document's stored fields (`data`, `ttl`, ...). */
export function encodeFields(fields: FObject): string {
  return encodeObject(fields);
}

/**
 * The covered values of an index entry as stored: encodeValue of the array
 * without the values the index defines as the document's own ref
 * (`ownRef[i]`, from `{field: ["ref"]}`), which are restored from the
 * entry's (coll, id) when read. Another element that is the entry's own ref
 * (a binding may return it) is written as {"@me":0} (a tag no stored object
 * can produce: objects with "@" keys are wrapped in @obj) and read back the
 * same way.
 */
export function encodeEntryValues(values: readonly Value[], self: Ref, ownRef: readonly boolean[]): string {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    if (ownRef[i] === true) continue;
    out += (out === '' ? '' : ',') + (values[i] === self ? SELF : encodeValue(values[i]!));
  }
  return `[${out}]`;
}
const SELF = '{"@me":0}';

/** The values of an entry from its stored text (see encodeEntryValues); `self` makes its document's ref. */
export function decodeEntryValues(text: string, self: () => Ref, ownRef: readonly boolean[]): Value[] {
  return entryValuesFromParsed(JSON.parse(text), self(), ownRef);
}

/** decodeEntryValues for entry values already parsed from JSON (batched reads parse many at once). */
export function entryValuesFromParsed(parsed: unknown, self: Ref, ownRef: readonly boolean[]): Value[] {
  // The parsed array is fresh: its elements are converted in place.
  const out = parsed as Value[];
  const p = parsed as Plain[];
  for (let i = 0; i < p.length; i++) {
    const item = p[i]!;
    if (typeof item === 'number') out[i] = Number.isInteger(item) ? BigInt(item) : item;
    else if (typeof item !== 'string') out[i] = isSelfMarker(item) ? self : fromPlain(item);
  }
  if (out.length === ownRef.length) return out;
  // The document's own ref goes back where the index defines it (an array of exactly that length:
  // growing the parsed one would reserve room for many more elements).
  const full = new Array<Value>(ownRef.length);
  for (let i = 0, j = 0; i < full.length; i++) full[i] = ownRef[i] === true ? self : out[j++]!;
  return full;
}

/** `{"@me": 0}`, an entry value standing for the entry's own document (checked without allocating). */
function isSelfMarker(item: Plain): boolean {
  if (typeof item !== 'object' || item === null || Array.isArray(item) || item['@me'] !== 0) return false;
  let keys = 0;
  for (const _ in item) keys++;
  return keys === 1;
}

export function decodeValue(text: string): Value {
  return fromPlain(JSON.parse(text) as Plain);
}

export function decodeFields(text: string): FObject {
  const v = decodeValue(text);
  return isObject(v) ? v : newObject();
}

function fromPlain(p: Plain): Value {
  if (typeof p === 'number') return Number.isInteger(p) ? BigInt(p) : p;
  if (p === null || typeof p !== 'object') return p;
  if (Array.isArray(p)) {
    const out = new Array<Value>(p.length);
    for (let i = 0; i < p.length; i++) out[i] = fromPlain(p[i]!);
    return out;
  }
  const keys = Object.keys(p);
  if (keys.length === 1 && keys[0]!.charCodeAt(0) === 64 /* @ */) {
    const key = keys[0]!;
    const body = p[key]!;
    if (key === '@int') return BigInt(body as string);
    if (key === '@dbl') return Number(body as string);
    if (key === '@obj') return plainObject(body as { [k: string]: Plain });
    if (key === '@r') {
      const [coll, id] = body as [string, string];
      return new Ref(id, internedCollection(coll));
    }
    if (key === '@s') {
      const [kind, name] = body as [string, string];
      return kind === 'collections' ? internedCollection(name) : schemaRef(kind as NativeKind, name);
    }
    return jsonToWireValue(plainToJson(p));
  }
  return plainObject(p);
}

const collectionRefs = new Map<string, Ref>();

/** Collection refs are immutable; decoding shares one per name. */
function internedCollection(name: string): Ref {
  let ref = collectionRefs.get(name);
  if (ref === undefined) {
    ref = collectionRef(name);
    if (collectionRefs.size < 10_000) collectionRefs.set(name, ref);
  }
  return ref;
}

function plainObject(p: { [k: string]: Plain }): FObject {
  const obj = newObject();
  for (const key of Object.keys(p)) obj[key] = fromPlain(p[key]!);
  return obj;
}

/** Converts tagged plain data back to wire Json (integers as bigint) for the wire decoder. */
function plainToJson(p: Plain): Json {
  if (typeof p === 'number') return Number.isInteger(p) ? BigInt(p) : p;
  if (p === null || typeof p !== 'object') return p;
  if (Array.isArray(p)) return p.map(plainToJson);
  const keys = Object.keys(p);
  if (keys.length === 1 && keys[0] === '@int') return BigInt(p['@int'] as string);
  if (keys.length === 1 && keys[0] === '@dbl') return Number(p['@dbl'] as string);
  const out = Object.create(null) as { [k: string]: Json };
  for (const key of keys) out[key] = plainToJson(p[key]!);
  return out;
}
