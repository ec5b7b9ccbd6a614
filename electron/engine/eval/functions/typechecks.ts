/**
 * Type checks: `{"is_<x>": v}` returns a Boolean and never fails.
 *
 * Documents, pages and events are objects (IsObject); a document is an object
 * whose `ref` is a Ref and whose `ts` is an Integer. IsRef holds for every ref,
 * including unresolved ones (`Collection("missing")`). IsDoc holds for resolved
 * refs and documents, and IsCollection, IsIndex ... for a resolved ref *or* a
 * document of that native kind (`Collection("c")`, `Get(Collection("c"))`), as
 * in FaunaDB, where a ref to something that does not exist is a separate
 * "unresolved ref" value. IsSet also holds for native collection refs such as
 * `Collections()`, which read as sets.
 */
import { Bytes, FDate, FTime, LambdaValue, Page, Ref, SetRef, isObject, type NativeKind, type Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';
import { databaseOid, findSchema } from '../resolve.js';
import { defineFunction } from '../registry.js';

/** True for an object shaped like a document: `{ref: Ref, ts: Integer, ...}`. */
export function isDocument(v: Value | undefined): boolean {
  return isObject(v) && v.ref instanceof Ref && typeof v.ts === 'bigint';
}

/** Kinds whose documents are named by id, so their refs resolve without a lookup. */
const BY_ID: ReadonlySet<string> = new Set(['keys', 'tokens', 'credentials']);

/**
 * Whether a ref resolves: native collections and key/token/credentials refs
 * always do (within an existing database); schema refs when the schema
 * document exists; document refs when their collection exists.
 */
export function refResolves(ctx: EvalContext, ref: Ref): boolean {
  try {
    if (ref.isNative) {
      databaseOid(ctx, ref.database, []);
      return true;
    }
    const kind = ref.schemaKind;
    if (kind === null) return ref.isDocument && refResolves(ctx, ref.collection!);
    if (BY_ID.has(kind)) {
      databaseOid(ctx, ref.collection!.database, []);
      return true;
    }
    return findSchema(ctx, ref, []) !== null;
  } catch {
    return false;
  }
}

/** The ref a value names as a document: a resolved ref, or a document's `ref`. */
function docRefOf(ctx: EvalContext, v: Value | undefined): Ref | null {
  if (v instanceof Ref) return refResolves(ctx, v) ? v : null;
  if (isDocument(v)) return (v as { ref: Ref }).ref;
  return null;
}

function ofKind(kind: NativeKind): (v: Value | undefined, ctx: EvalContext) => boolean {
  return (v, ctx) => docRefOf(ctx, v)?.schemaKind === kind;
}

const checks: Record<string, (v: Value | undefined, ctx: EvalContext) => boolean> = {
  is_number: (v) => typeof v === 'bigint' || typeof v === 'number',
  is_double: (v) => typeof v === 'number',
  is_integer: (v) => typeof v === 'bigint',
  is_boolean: (v) => typeof v === 'boolean',
  is_null: (v) => v === null,
  is_bytes: (v) => v instanceof Bytes,
  is_timestamp: (v) => v instanceof FTime,
  is_date: (v) => v instanceof FDate,
  is_string: (v) => typeof v === 'string',
  is_array: (v) => Array.isArray(v),
  is_object: (v) => isObject(v) || v instanceof Page,
  is_ref: (v) => v instanceof Ref,
  is_set: (v) => v instanceof SetRef || (v instanceof Ref && v.isNative),
  is_doc: (v, ctx) => docRefOf(ctx, v) !== null,
  is_lambda: (v) => v instanceof LambdaValue,
  is_collection: ofKind('collections'),
  is_database: ofKind('databases'),
  is_index: ofKind('indexes'),
  is_function: ofKind('functions'),
  is_key: ofKind('keys'),
  is_token: ofKind('tokens'),
  is_credentials: ofKind('credentials'),
  is_role: ofKind('roles'),
};

for (const [key, check] of Object.entries(checks)) {
  defineFunction({
    keys: [key],
    impl: (ctx, [v]) => check(v, ctx),
  });
}
