/**
 * Indexes as schema documents: CreateIndex validates the shape, stores the
 * document and builds the index over the documents already in its sources
 * (in the same transaction when they are few, otherwise in the background;
 * see build.ts), then marks it active. The shape (source, terms,
 * values) is immutable afterwards; name, data, unique and active may change.
 */
import { FaunaError, validationFailed } from '../../errors.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import type { Transaction } from '../../storage/transaction.js';
import { isObject, newObject, type FObject, type Value } from '../../values/value.js';
import { compareValues } from '../../storage/keys.js';
import { defineSchemaKind, onlyFields, requireObjectField } from '../schema-kinds.js';
import { parseIndexFields } from './definition.js';
import { activate, buildNow, countSourceDocs, scheduleBuild, SYNC_BUILD_LIMIT } from './build.js';

const FIELDS = ['name', 'source', 'terms', 'values', 'unique', 'serialized', 'active', 'partitions', 'data', 'permissions'] as const;
const SHAPE = ['source', 'terms', 'values', 'partitions'] as const;

function normalise(params: FObject, position: (string | number)[]): FObject {
  const fields = onlyFields(params, FIELDS);
  requireObjectField(fields, 'data', position);
  for (const flag of ['unique', 'serialized', 'active'] as const) {
    const v = fields[flag];
    if (v !== undefined && typeof v !== 'boolean') {
      throw validationFailed([{ field: [flag], code: 'invalid type', description: 'Invalid type, expected type Boolean.' }], position);
    }
  }
  const out = newObject();
  out.name = fields.name!;
  out.source = sourceAsStored(fields.source!);
  if (fields.terms !== undefined) out.terms = fields.terms;
  if (fields.values !== undefined) out.values = fields.values;
  // As the server stores it: `unique` only when given; partitions 8 for an
  // index without terms (even a unique one, which reads as one partition).
  if (fields.unique !== undefined) out.unique = fields.unique;
  out.serialized = fields.serialized ?? true;
  out.active = false;
  out.partitions = fields.partitions ?? (fields.terms === undefined || (Array.isArray(fields.terms) && fields.terms.length === 0) ? 8n : 1n);
  const parts = out.partitions;
  if (typeof parts !== 'bigint') {
    throw validationFailed([{ field: ['partitions'], code: 'invalid type', description: 'Invalid type, expected type Integer.' }], position);
  }
  if (parts < 1n || parts > 8n) {
    throw validationFailed([{ field: ['partitions'], code: 'bounds error', description: `Value ${parts} is not in expected range 1 to 8.` }], position);
  }
  if (fields.data !== undefined) out.data = fields.data;
  if (fields.permissions !== undefined) out.permissions = fields.permissions;
  return out;
}

/** Source objects read back with `collection`, as under API v4, when given with the older `class`. */
function sourceAsStored(source: Value): Value {
  const one = (v: Value): Value => {
    if (!isObject(v) || v.class === undefined || v.collection !== undefined) return v;
    const out = newObject();
    for (const k of Object.keys(v)) out[k === 'class' ? 'collection' : k] = v[k]!;
    return out;
  };
  return Array.isArray(source) ? source.map(one) : one(source);
}

/** The partitions an index reads with: a unique index always has one. */
function effectivePartitions(fields: FObject): Value | undefined {
  return fields.unique === true ? 1n : fields.partitions;
}

function sameShape(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return compareValues(a, b) === 0;
}

/**
 * Makes the transaction's record of an index's create (what the ledger keeps)
 * show the index as committed: active when it was built at once. (An index
 * built in the background is recorded inactive, as it was at that commit.)
 */
function recordAsCommitted(tx: Transaction, doc: SchemaDoc): void {
  for (let i = tx.writes.length - 1; i >= 0; i--) {
    const w = tx.writes[i]!;
    if (w.collection === 'indexes' && w.id === doc.row.name && w.db === doc.row.db) {
      w.after = doc.fields;
      return;
    }
  }
}

defineSchemaKind('indexes', {
  noun: 'Index',
  prepare(ctx, params, position, db) {
    const fields = normalise(params, position);
    const def = parseIndexFields(fields, 0n, db, position);
    // A source collection must exist (the server's reference check on schema documents).
    for (const s of def.sources) {
      if (s.collection !== '_' && ctx.txn.getSchema('collections', s.collection, db) === null) {
        throw validationFailed([{ field: ['source'], code: 'invalid reference', description: 'Reference was not found.' }], position);
      }
    }
    return fields;
  },
  revise(_ctx, before, next, position) {
    if (next.source !== undefined) next.source = sourceAsStored(next.source);
    if (!sameShape(effectivePartitions(before.fields), effectivePartitions(next))) {
      // Toggling `unique` on a partitioned index would change how it is read.
      throw validationFailed([{ field: ['partitions'], code: 'invalid index', description: 'Index partition count may not be updated.' }], position);
    }
    for (const key of SHAPE) {
      if (!sameShape(before.fields[key], next[key])) {
        throw validationFailed([{ field: [key], code: 'invalid index', description: `Index ${key} cannot be changed.` }], position);
      }
    }
    // `active` latches: once true it stays true.
    if (before.fields.active === true) next.active = true;
    const fields = onlyFields(next, FIELDS);
    parseIndexFields(fields, before.row.oid, before.row.db, position);
    return fields;
  },
  afterCreate(ctx, doc, position): SchemaDoc {
    const def = parseIndexFields(doc.fields, doc.row.oid, doc.row.db, position);
    // A unique index is built at once whatever its size, so that documents that already repeat a
    // value fail the CreateIndex itself ("instance not unique") rather than a background build later.
    const total = countSourceDocs(ctx.txn, def);
    if (total > SYNC_BUILD_LIMIT && !def.unique) {
      scheduleBuild(ctx.txn, def, total);
      return doc;
    }
    try {
      buildNow(ctx, def);
    } catch (err) {
      if (err instanceof FaunaError && err.code === 'instance not unique') err.position = position;
      throw err;
    }
    activate(ctx.txn, doc);
    const active = ctx.txn.getSchema('indexes', doc.row.name, doc.row.db)!;
    recordAsCommitted(ctx.txn, active);
    return active;
  },
  beforeDelete(ctx, doc) {
    ctx.txn.store.deleteIndexEntries(doc.row.oid);
    ctx.txn.store.db.prepare('DELETE FROM meta WHERE key = ?').run(`index_build:${doc.row.oid}`);
  },
});

