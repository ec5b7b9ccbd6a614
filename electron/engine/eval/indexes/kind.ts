/**
 * Indexes as schema documents: CreateIndex validates the shape, stores the
 * document and builds the index over the documents already in its sources
 * (in the same transaction when they are few, otherwise in the background;
 * see build.ts), then marks it active. The shape (source, terms,
 * values) is immutable afterwards; name, data, unique and active may change.
 */
import { FaunaError, validationFailed } from '../../errors.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import { newObject, type FObject, type Value } from '../../values/value.js';
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
  out.source = fields.source!;
  if (fields.terms !== undefined) out.terms = fields.terms;
  if (fields.values !== undefined) out.values = fields.values;
  out.unique = fields.unique ?? false;
  out.serialized = fields.serialized ?? true;
  out.active = false;
  out.partitions = fields.partitions ?? (fields.terms === undefined ? 8n : 1n);
  if (out.unique === true) out.partitions = 1n;
  if (fields.data !== undefined) out.data = fields.data;
  if (fields.permissions !== undefined) out.permissions = fields.permissions;
  return out;
}

function sameShape(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return compareValues(a, b) === 0;
}

defineSchemaKind('indexes', {
  noun: 'Index',
  prepare(_ctx, params, position, db) {
    const fields = normalise(params, position);
    parseIndexFields(fields, 0n, db, position);
    return fields;
  },
  revise(_ctx, before, next, position) {
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
    if (countSourceDocs(ctx.txn, def) > SYNC_BUILD_LIMIT) {
      scheduleBuild(ctx.txn, def);
      return doc;
    }
    try {
      buildNow(ctx, def);
    } catch (err) {
      if (err instanceof FaunaError && err.code === 'instance not unique') err.position = position;
      throw err;
    }
    activate(ctx.txn, doc);
    return ctx.txn.getSchema('indexes', doc.row.name, doc.row.db)!;
  },
  beforeDelete(ctx, doc) {
    ctx.txn.store.deleteIndexEntries(doc.row.oid);
    ctx.txn.store.db.prepare('DELETE FROM meta WHERE key = ?').run(`index_build:${doc.row.oid}`);
  },
});

