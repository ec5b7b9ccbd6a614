/**
 * From refs to stored things: a collection ref to its schema document, a
 * document ref to (collection, id), and back to refs and rendered documents.
 */
import { FaunaError, invalidArgument, invalidRef, type Position } from '../errors.js';
import type { SchemaDoc } from '../storage/schema-cache.js';
import type { StoredDoc } from '../storage/transaction.js';
import { Ref, collectionRef, newObject, schemaRef, type FObject, type NativeKind } from '../values/value.js';
import type { EvalContext } from './context.js';

const KIND_NOUN: Record<string, string> = {
  collections: 'collection',
  indexes: 'index',
  functions: 'function',
  databases: 'database',
  roles: 'role',
  keys: 'key',
  tokens: 'token',
  credentials: 'credentials',
  access_providers: 'access provider',
};

export function kindNoun(kind: string): string {
  return KIND_NOUN[kind] ?? kind;
}

/** The internal id of the database a ref is scoped to (0 = root). */
export function databaseOid(ctx: EvalContext, database: Ref | null, position: Position): bigint {
  if (database === null) return 0n;
  const parent = databaseOid(ctx, database.database, position);
  const doc = ctx.txn.getSchema('databases', database.id, parent);
  if (doc === null) throw invalidRef(`Ref refers to undefined database '${database.id}'`, position);
  return doc.row.oid;
}

/** The schema document a schema ref names, or null when it does not exist. */
export function findSchema(ctx: EvalContext, ref: Ref, position: Position): SchemaDoc | null {
  const kind = ref.schemaKind;
  if (kind === null) return null;
  const db = databaseOid(ctx, ref.collection!.database, position);
  return ctx.txn.getSchema(kind, ref.id, db);
}

/** The schema document of a schema ref; an unknown one is `invalid ref`. */
export function requireSchema(ctx: EvalContext, ref: Ref, position: Position): SchemaDoc {
  const doc = findSchema(ctx, ref, position);
  if (doc === null) throw invalidRef(`Ref refers to undefined ${kindNoun(ref.schemaKind ?? 'collection')} '${ref.id}'`, position);
  return doc;
}

/** The collection of a document ref. */
export function requireCollection(ctx: EvalContext, ref: Ref, position: Position): SchemaDoc {
  const coll = ref.collection;
  if (coll === null || coll.schemaKind !== 'collections') {
    throw invalidArgument('Collection Ref expected, Ref provided.', position);
  }
  return requireSchema(ctx, coll, position);
}

/** A document id from a ref: a decimal 64-bit integer. */
export function documentId(ref: Ref, position: Position): bigint {
  if (!/^-?\d{1,19}$/.test(ref.id)) throw invalidArgument(`Number or numeric String expected, non-numeric '${ref.id}' provided.`, position);
  const id = BigInt(ref.id);
  if (id > 9223372036854775807n || id < 0n) throw invalidArgument(`The id provided is too large: '${ref.id}'`, position);
  return id;
}

/** The ref of a schema document. */
export function schemaDocRef(doc: SchemaDoc, database: Ref | null): Ref {
  return schemaRef(doc.row.kind as NativeKind, doc.row.name, database);
}

/**
 * Renders a stored user document: `{ref, ts, data, ...}`. The rendering is
 * kept with the version for the ref object it was made for (a compiled query
 * holds its constant refs), frozen when the fields are (shared versions).
 */
export function renderDocument(ref: Ref, stored: StoredDoc): FObject {
  const kept = stored.rendered;
  if (kept !== undefined && kept.ref === ref) return kept.doc;
  const out = newObject();
  out.ref = ref;
  out.ts = stored.ts;
  for (const key of Object.keys(stored.fields)) out[key] = stored.fields[key]!;
  if (Object.isFrozen(stored.fields)) Object.freeze(out);
  stored.rendered = { ref, doc: out };
  return out;
}

/** Renders a schema document: `{ref, ts, ...fields}`. */
export function renderSchemaDoc(doc: SchemaDoc, database: Ref | null): FObject {
  const out = newObject();
  out.ref = schemaDocRef(doc, database);
  out.ts = doc.row.ts;
  for (const key of Object.keys(doc.fields)) out[key] = doc.fields[key]!;
  return out;
}

export function docRef(collectionName: string, id: bigint | string, database: Ref | null = null): Ref {
  return new Ref(typeof id === 'string' ? id : id.toString(), collectionRef(collectionName, database));
}

export function notFoundError(what: string, position: Position): FaunaError {
  return new FaunaError('instance not found', `${what} not found.`, position);
}
