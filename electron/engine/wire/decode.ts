/**
 * Fauna's typed JSON wire format -> engine values, for literal data: tagged
 * escapes (`@ref`, `@ts`, `@date`, `@bytes`, `@set`, `@query`, `@obj`) and
 * plain JSON. Expressions are compiled elsewhere; this reads values only.
 */
import { isJsonObject, type Json, type JsonObject } from '../../../shared/fql/json.js';
import { FaunaError, type Position } from '../errors.js';
import type { SetNode } from '../values/set.js';
import { parseDate, parseInstant } from '../values/time.js';
import {
  Bytes,
  FDate,
  FTime,
  LambdaValue,
  NATIVE_KINDS,
  Ref,
  SetRef,
  nativeRef,
  newObject,
  schemaRef,
  type NativeKind,
  type Value,
} from '../values/value.js';

/** Compiles a `@query` body into a lambda; installed by the evaluator to avoid an import cycle. */
type QueryCompiler = (source: JsonObject, position: Position) => LambdaValue;
let compileQuery: QueryCompiler | null = null;

export function installQueryCompiler(compiler: QueryCompiler): void {
  compileQuery = compiler;
}

const bad = (description: string, position: Position): FaunaError =>
  new FaunaError('invalid expression', description, position);

/** Decodes a literal wire value. Throws `invalid expression` for malformed escapes. */
export function jsonToWireValue(json: Json, position: Position = []): Value {
  switch (typeof json) {
    case 'bigint':
    case 'number':
    case 'string':
    case 'boolean':
      return json;
    default:
      break;
  }
  if (json === null) return null;
  if (Array.isArray(json)) return json.map((item, i) => jsonToWireValue(item, [...position, i]));
  const keys = Object.keys(json);
  if (keys.length === 1 && keys[0]!.startsWith('@')) {
    return decodeEscape(keys[0]!, json[keys[0]!]!, position);
  }
  const obj = newObject();
  for (const key of keys) obj[key] = jsonToWireValue(json[key]!, [...position, key]);
  return obj;
}

/** Decodes one `@tag` escape. */
export function decodeEscape(tag: string, body: Json, position: Position): Value {
  switch (tag) {
    case '@ref':
      return decodeRef(body, position);
    case '@ts': {
      if (typeof body !== 'string') throw bad('Invalid time.', position);
      const ns = parseInstant(body);
      if (ns === null) throw bad('Invalid time.', position);
      return new FTime(ns);
    }
    case '@date': {
      if (typeof body !== 'string') throw bad('Invalid date.', position);
      const days = parseDate(body);
      if (days === null) throw bad('Invalid date.', position);
      return new FDate(days);
    }
    case '@bytes': {
      if (typeof body !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(body)) throw bad('Invalid bytes.', position);
      const normal = body.replace(/-/g, '+').replace(/_/g, '/');
      return new Bytes(new Uint8Array(Buffer.from(normal, 'base64')));
    }
    case '@obj': {
      if (!isJsonObject(body)) throw bad('Invalid object.', position);
      const obj = newObject();
      for (const key of Object.keys(body)) obj[key] = jsonToWireValue(body[key]!, [...position, '@obj', key]);
      return obj;
    }
    case '@query': {
      if (!isJsonObject(body) || compileQuery === null) throw bad('Invalid lambda.', position);
      return compileQuery(body, position);
    }
    case '@set':
      return new SetRef(decodeSetBody(body, position));
    default:
      throw bad(`No form/function found, or invalid argument keys: { ${tag} }.`, position);
  }
}

const LEGACY_KIND: Record<string, NativeKind> = { classes: 'collections' };

export function decodeRef(body: Json, position: Position): Ref {
  if (typeof body === 'string') return decodeRefPath(body, position);
  if (!isJsonObject(body) || typeof body.id !== 'string') throw bad('Invalid ref.', position);
  const collection = body.collection === undefined ? (body.class === undefined ? null : decodeRefValue(body.class, position)) : decodeRefValue(body.collection, position);
  const database = body.database === undefined ? null : decodeRefValue(body.database, position);
  if (collection === null) {
    const kind = LEGACY_KIND[body.id] ?? body.id;
    if (!(NATIVE_KINDS as readonly string[]).includes(kind)) throw bad('Invalid ref.', position);
    return nativeRef(kind as NativeKind, database);
  }
  return new Ref(body.id, collection, database);
}

function decodeRefValue(json: Json, position: Position): Ref {
  if (isJsonObject(json) && json['@ref'] !== undefined) return decodeRef(json['@ref'], position);
  throw bad('Invalid ref.', position);
}

/** Legacy path syntax: `collections/widgets/123`, `indexes/by_name`, `keys/123`. */
function decodeRefPath(path: string, position: Position): Ref {
  const parts = path.split('/');
  const kind = (LEGACY_KIND[parts[0]!] ?? parts[0]) as NativeKind;
  if (!NATIVE_KINDS.includes(kind) || parts.some((p) => p === '')) throw bad('Invalid ref.', position);
  if (parts.length === 1) return nativeRef(kind);
  if (parts.length === 2) {
    if (kind === 'keys' || kind === 'tokens' || kind === 'credentials') return new Ref(parts[1]!, nativeRef(kind));
    return schemaRef(kind, parts[1]!);
  }
  if (parts.length === 3 && kind === 'collections') return new Ref(parts[2]!, schemaRef('collections', parts[1]!));
  throw bad('Invalid ref.', position);
}

function setArg(json: Json, position: Position): SetRef {
  const v = jsonToWireValue(json, position);
  if (v instanceof SetRef) return v;
  if (v instanceof Ref && v.isNative) return new SetRef({ kind: 'native', native: v });
  throw bad('Invalid set.', position);
}

function refArg(json: Json, position: Position): Ref {
  const v = jsonToWireValue(json, position);
  if (v instanceof Ref) return v;
  throw bad('Invalid set.', position);
}

function lambdaArg(json: Json, position: Position): LambdaValue {
  if (isJsonObject(json) && compileQuery !== null) {
    const inner = isJsonObject(json['@query']) ? json['@query'] : json;
    return compileQuery(inner, position);
  }
  throw bad('Invalid lambda.', position);
}

/** Parses the body of a `@set` (as FaunaDB renders sets) back into a set node. */
export function decodeSetBody(body: Json, position: Position): SetNode {
  if (isJsonObject(body) && body['@ref'] !== undefined && Object.keys(body).length === 1) {
    const ref = decodeRef(body['@ref'], position);
    if (ref.isNative) return { kind: 'native', native: ref };
  }
  if (!isJsonObject(body)) throw bad('Invalid set.', position);
  const keys = Object.keys(body).sort().join(',');
  const p = (k: string): Position => [...position, k];
  switch (keys) {
    case 'match':
    case 'match,terms': {
      const terms = body.terms === undefined ? [] : jsonToWireValue(body.terms, p('terms'));
      return { kind: 'match', index: refArg(body.match!, p('match')), terms: Array.isArray(terms) ? terms : [terms] };
    }
    case 'union':
    case 'intersection':
    case 'difference': {
      const k = keys as 'union' | 'intersection' | 'difference';
      const inner = body[k]!;
      const sets = Array.isArray(inner) ? inner.map((s, i) => setArg(s, [...p(k), i])) : [setArg(inner, p(k))];
      return { kind: k, sets };
    }
    case 'distinct':
      return { kind: 'distinct', set: setArg(body.distinct!, p('distinct')) };
    case 'join,with': {
      const w = body.with!;
      const withValue = isJsonObject(w) && w['@ref'] !== undefined ? refArg(w, p('with')) : lambdaArg(w, p('with'));
      return { kind: 'join', source: setArg(body.join!, p('join')), with: withValue };
    }
    case 'from,range,to':
      return { kind: 'range', set: setArg(body.range!, p('range')), from: jsonToWireValue(body.from!, p('from')), to: jsonToWireValue(body.to!, p('to')) };
    case 'range':
      return { kind: 'range', set: setArg(body.range!, p('range')), from: [], to: [] };
    case 'from,range':
      return { kind: 'range', set: setArg(body.range!, p('range')), from: jsonToWireValue(body.from!, p('from')), to: [] };
    case 'range,to':
      return { kind: 'range', set: setArg(body.range!, p('range')), from: [], to: jsonToWireValue(body.to!, p('to')) };
    case 'reverse':
      return { kind: 'reverse', set: setArg(body.reverse!, p('reverse')) };
    case 'collection,filter':
      return { kind: 'filter', set: setArg(body.collection!, p('collection')), lambda: lambdaArg(body.filter!, p('filter')) };
    case 'singleton':
      return { kind: 'singleton', ref: refArg(body.singleton!, p('singleton')) };
    case 'documents':
      return { kind: 'documents', collection: refArg(body.documents!, p('documents')) };
    case 'ledger':
      return { kind: 'ledger' };
    case 'events': {
      const v = jsonToWireValue(body.events!, p('events'));
      if (v instanceof Ref || v instanceof SetRef) return { kind: 'events', source: v };
      throw bad('Invalid set.', position);
    }
    default:
      throw bad('Invalid set.', position);
  }
}

export { schemaRef };
