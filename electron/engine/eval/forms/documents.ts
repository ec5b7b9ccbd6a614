/**
 * Document reads and writes: Get, Exists, Create, Update, Replace, Delete,
 * and CreateCollection / CreateFunction (CreateIndex lives with indexes).
 */
import { FaunaError, invalidArgument, invalidRef, validationFailed, type Position, type ValidationFailure } from '../../errors.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import type { StoredDoc } from '../../storage/transaction.js';
import { FTime, READ, Ref, SetRef, WRITE, collectionRef, isObject, newObject, type FObject, type NativeKind, type Value } from '../../values/value.js';
import { castObject, castRef, castString, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { checkDataField, deepMerge, pickFields, USER_DOC_FIELDS } from '../data.js';
import { defineFunction, type Site } from '../registry.js';
import { databaseOid, documentId, findSchema, kindNoun, renderDocument, renderSchemaDoc, requireCollection, requireSchema } from '../resolve.js';
import { createSchemaDoc, deleteSchemaDoc, reviseSchemaDoc } from '../schema-kinds.js';
import { firstOfSet } from '../sets/first.js';
import { timeArgMicros } from '../time-arg.js';

// --- reading ------------------------------------------------------------------------

/** The read timestamp in force: an explicit `ts`, else `At`'s, else the transaction's own. */
function readTsOf(ctx: EvalContext, explicit: bigint | null): bigint | null {
  return explicit ?? ctx.readTs;
}

/** Reads a user document (honouring At / ts and ttl); null when it does not exist. */
export function readDocument(ctx: EvalContext, coll: SchemaDoc, id: bigint, atTs: bigint | null = null): StoredDoc | null {
  const ts = readTsOf(ctx, atTs);
  const doc = ts === null || ts >= ctx.txnTs ? ctx.txn.getDoc(coll, id) : ctx.txn.getDocAt(coll, id, ts);
  if (doc === null) return null;
  const ttl = doc.fields.ttl;
  if (ttl instanceof FTime && ttl.micros <= (ts ?? ctx.txnTs)) return null;
  return doc;
}

/** Get of a single ref: a user document or a schema document. */
export function getRef(ctx: EvalContext, ref: Ref, position: Position, atTs: bigint | null = null): FObject {
  if (ref.isNative) {
    const first = firstOfSet(ctx, new SetRef({ kind: 'native', native: ref }), position);
    if (first === null) throw new FaunaError('instance not found', 'Set not found.', position);
    return getRef(ctx, first, position, atTs);
  }
  if (ref.schemaKind !== null) {
    const doc = requireSchema(ctx, ref, position);
    return renderSchemaDoc(doc, ref.collection!.database);
  }
  return getUserDocument(ctx, ref, requireCollection(ctx, ref, position), position, atTs);
}

/** Get of a user document whose collection is resolved. */
function getUserDocument(ctx: EvalContext, ref: Ref, coll: SchemaDoc, position: Position, atTs: bigint | null): FObject {
  const doc = readDocument(ctx, coll, documentId(ref, position), atTs);
  if (doc === null) throw new FaunaError('instance not found', 'Document not found.', position);
  return renderDocument(ref, doc);
}

export function refExists(ctx: EvalContext, ref: Ref, position: Position, atTs: bigint | null = null): boolean {
  if (ref.isNative) return firstOfSet(ctx, new SetRef({ kind: 'native', native: ref }), position) !== null;
  if (ref.schemaKind !== null) return findSchema(ctx, ref, position) !== null;
  const collRef = ref.collection;
  if (collRef === null || collRef.schemaKind !== 'collections') return false;
  const coll = findSchema(ctx, collRef, position);
  if (coll === null || !/^\d{1,19}$/.test(ref.id)) return false;
  return readDocument(ctx, coll, BigInt(ref.id), atTs) !== null;
}

function tsArg(v: Value | undefined, site: Site): bigint | null {
  return v === undefined || v === null ? null : timeArgMicros(v, site.at('ts'));
}

defineFunction({
  keys: ['get'],
  optional: ['ts'],
  effect: READ,
  impl(ctx, [target, ts], site) {
    const atTs = tsArg(ts, site);
    if (target instanceof SetRef) {
      const first = firstOfSet(ctx, target, site.at('get'), atTs);
      if (first === null) throw new FaunaError('instance not found', 'Set not found.', site.position);
      return getRef(ctx, first, site.position, atTs);
    }
    const ref = castRefOrSet(target, site.at('get'));
    if (!ref.isNative && ref.schemaKind === null) {
      // Unknown collections are reported at the argument, missing documents at the form.
      return getUserDocument(ctx, ref, requireCollection(ctx, ref, site.at('get')), site.position, atTs);
    }
    if (ref.schemaKind !== null) {
      requireSchema(ctx, ref, site.at('get'));
    }
    return getRef(ctx, ref, site.position, atTs);
  },
});

defineFunction({
  keys: ['exists'],
  optional: ['ts'],
  effect: READ,
  impl(ctx, [target, ts], site) {
    const atTs = tsArg(ts, site);
    if (target instanceof SetRef) {
      const first = firstOfSet(ctx, target, site.at('exists'), atTs);
      return first !== null && refExists(ctx, first, site.position, atTs);
    }
    return refExists(ctx, castRefOrSet(target, site.at('exists')), site.position, atTs);
  },
});

function castRefOrSet(v: Value | undefined, position: Position): Ref {
  if (v instanceof Ref) return v;
  throw invalidArgument(`Ref or Set expected, ${typeName(v)} provided.`, position);
}

// --- writing ------------------------------------------------------------------------

function checkWriteTime(ctx: EvalContext, position: Position): void {
  if (ctx.readTs !== null && ctx.readTs !== ctx.txnTs) {
    throw new FaunaError('invalid write time', 'Cannot write outside of snapshot time.', position);
  }
}

/** Refs stored in data must resolve: a ref into an unknown collection is `invalid reference`. */
function checkStoredRefs(ctx: EvalContext, v: Value, path: (string | number)[], failures: ValidationFailure[]): void {
  if (v instanceof Ref) {
    const coll = v.collection;
    if (coll !== null && coll.schemaKind === 'collections' && findSchema(ctx, coll, []) === null) {
      failures.push({ field: [...path], code: 'invalid reference', description: 'Cannot read reference.' });
    } else if (v.schemaKind !== null && v.schemaKind !== 'collections' && findSchema(ctx, v, []) === null && v.schemaKind !== 'keys') {
      failures.push({ field: [...path], code: 'invalid reference', description: 'Cannot read reference.' });
    }
    return;
  }
  // One path array, extended and shortened on the way (a failure takes a copy).
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      checkStoredRefs(ctx, v[i]!, path, failures);
      path.pop();
    }
  } else if (isObject(v)) {
    for (const key in v) {
      path.push(key);
      checkStoredRefs(ctx, v[key]!, path, failures);
      path.pop();
    }
  }
}

export function validateUserFields(ctx: EvalContext, fields: FObject, position: Position): void {
  const failures: ValidationFailure[] = [];
  if (fields.data !== undefined) checkStoredRefs(ctx, fields.data, ['data'], failures);
  if (fields.ttl !== undefined && !(fields.ttl instanceof FTime)) {
    failures.push({ field: ['ttl'], code: 'invalid type', description: `Invalid type ${typeName(fields.ttl)}, expected type Time.` });
  }
  if (failures.length > 0) throw validationFailed(failures, position);
}

/** Post-write checks a collection imposes (constraints); installed by the constraints module. */
export type WriteValidator = (ctx: EvalContext, coll: SchemaDoc, ref: Ref, fields: FObject, position: Position) => void;
const writeValidators: WriteValidator[] = [];
export function addWriteValidator(v: WriteValidator): void {
  writeValidators.push(v);
}

function writeUserDoc(ctx: EvalContext, coll: SchemaDoc, ref: Ref, id: bigint, before: StoredDoc | null, fields: FObject, position: Position): FObject {
  validateUserFields(ctx, fields, position);
  for (const v of writeValidators) v(ctx, coll, ref, fields, position);
  try {
    ctx.txn.putDoc(coll, id, before, fields);
  } catch (err) {
    // Index maintenance reports uniqueness without knowing where the write was.
    if (err instanceof FaunaError && err.code === 'instance not unique') err.position = position;
    throw err;
  }
  return renderDocument(ref, { ts: ctx.txnTs, fields });
}

export function createDocument(ctx: EvalContext, target: Value | undefined, paramsValue: Value | undefined, site: Site): FObject {
  checkWriteTime(ctx, site.position);
  const targetPos = site.at('create');
  const params = paramsValue === undefined || paramsValue === null ? newObject() : castObject(paramsValue, site.at('params'));
  let ref: Ref;
  if (typeof target === 'string') ref = collectionRef(target);
  else ref = castRef(target, targetPos);

  if (ref.isNative) {
    const db = databaseOid(ctx, ref.database, targetPos);
    return createSchemaDoc(ctx, ref.id as NativeKind, params, site.position, db, ref.database);
  }
  checkDataField(params, site.position);
  let coll: SchemaDoc;
  let id: bigint;
  if (ref.schemaKind === 'collections') {
    coll = requireSchema(ctx, ref, targetPos);
    id = ctx.txn.newId();
    ref = new Ref(id.toString(), ref);
  } else if (ref.schemaKind !== null) {
    throw invalidArgument('Collection Ref expected, Ref provided.', targetPos);
  } else {
    coll = requireCollection(ctx, ref, targetPos);
    id = documentId(ref, targetPos);
    if (readDocument(ctx, coll, id) !== null || ctx.txn.getDoc(coll, id) !== null) {
      throw new FaunaError('instance already exists', 'Document already exists.', targetPos);
    }
  }
  return writeUserDoc(ctx, coll, ref, id, null, pickFields(params, USER_DOC_FIELDS), site.position);
}

function reviseDocument(ctx: EvalContext, target: Value | undefined, paramsValue: Value | undefined, site: Site, key: 'update' | 'replace'): FObject {
  checkWriteTime(ctx, site.position);
  const targetPos = site.at(key);
  const ref = castRef(target, targetPos);
  const params = paramsValue === undefined || paramsValue === null ? newObject() : castObject(paramsValue, site.at('params'));
  if (ref.isNative) throw invalidArgument(`Cannot ${key} a native collection.`, targetPos);
  if (ref.schemaKind !== null) {
    const doc = requireSchema(ctx, ref, targetPos);
    return reviseSchemaDoc(ctx, doc, params, site.position, key === 'replace', ref.collection!.database);
  }
  checkDataField(params, site.position);
  const coll = requireCollection(ctx, ref, targetPos);
  const id = documentId(ref, targetPos);
  const before = readDocument(ctx, coll, id);
  if (before === null) throw new FaunaError('instance not found', 'Document not found.', site.position);
  const patch = pickFields(params, USER_DOC_FIELDS);
  let fields: FObject;
  if (key === 'update') {
    const raw = newObject();
    for (const k of USER_DOC_FIELDS) if (params[k] !== undefined) raw[k] = params[k]!;
    fields = deepMerge(before.fields, raw);
  } else {
    fields = patch;
  }
  return writeUserDoc(ctx, coll, ref, id, before, fields, site.position);
}

export function deleteRef(ctx: EvalContext, target: Value | undefined, site: Site): FObject {
  checkWriteTime(ctx, site.position);
  const ref = castRef(target, site.at('delete'));
  if (ref.isNative) throw invalidArgument('Cannot delete a native collection.', site.at('delete'));
  if (ref.schemaKind !== null) {
    const doc = findSchema(ctx, ref, site.at('delete'));
    if (doc === null) throw invalidRef(`Ref refers to undefined ${kindNoun(ref.schemaKind)} '${ref.id}'`, site.at('delete'));
    return deleteSchemaDoc(ctx, doc, site.position, ref.collection!.database);
  }
  const coll = requireCollection(ctx, ref, site.at('delete'));
  const id = documentId(ref, site.at('delete'));
  const before = readDocument(ctx, coll, id);
  if (before === null) throw new FaunaError('instance not found', 'Document not found.', site.position);
  ctx.txn.deleteDoc(coll, id, before);
  return renderDocument(ref, before);
}

defineFunction({
  keys: ['create'],
  optional: ['params'],
  effect: WRITE,
  impl: (ctx, [target, params], site) => createDocument(ctx, target, params, site),
});

defineFunction({
  keys: ['update'],
  optional: ['params'],
  effect: WRITE,
  impl: (ctx, [target, params], site) => reviseDocument(ctx, target, params, site, 'update'),
});

defineFunction({
  keys: ['replace'],
  optional: ['params'],
  effect: WRITE,
  impl: (ctx, [target, params], site) => reviseDocument(ctx, target, params, site, 'replace'),
});

defineFunction({
  keys: ['delete'],
  effect: WRITE,
  impl: (ctx, [target], site) => deleteRef(ctx, target, site),
});

// --- CreateCollection / CreateFunction / CreateRole ... ----------------------------------

const CREATE_FORMS: [string, NativeKind][] = [
  ['create_collection', 'collections'],
  ['create_class', 'collections'],
  ['create_function', 'functions'],
  ['create_index', 'indexes'],
  ['create_database', 'databases'],
  ['create_role', 'roles'],
];

for (const [key, kind] of CREATE_FORMS) {
  defineFunction({
    keys: [key],
    effect: WRITE,
    impl(ctx, [paramsValue], site) {
      checkWriteTime(ctx, site.position);
      const params = castObject(paramsValue, site.at(key));
      return createSchemaDoc(ctx, kind, params, site.at(key), 0n, null);
    },
  });
}

export { castString };
