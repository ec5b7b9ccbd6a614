/**
 * Collections as schema documents: `{ref, ts, history_days, name, ttl_days?, data?}`.
 */
import { validationFailed } from '../../errors.js';
import { DEFAULT_HISTORY_DAYS, historyDays, raiseFloorMark } from '../../storage/retention.js';
import { newObject, type FObject } from '../../values/value.js';
import { typeName } from '../cast.js';
import { defineSchemaKind, onlyFields, requireObjectField } from '../schema-kinds.js';
import { dropIndexesOnlyOn } from './index-hooks.js';
import { compileConstraints } from './constraints.js';

const FIELDS = ['name', 'history_days', 'ttl_days', 'data', 'permissions', 'constraints'] as const;

export { DEFAULT_HISTORY_DAYS };

function checkDays(fields: FObject, key: string, position: (string | number)[]): void {
  const v = fields[key];
  if (v !== undefined && v !== null && typeof v !== 'bigint') {
    throw validationFailed([{ field: [key], code: 'invalid type', description: `Invalid type ${typeName(v)}, expected type Integer.` }], position);
  }
  if (typeof v === 'bigint' && v < 0n) {
    throw validationFailed([{ field: [key], code: 'bounds error', description: `${key} must be at least 0.` }], position);
  }
}

function normalise(params: FObject, position: (string | number)[]): FObject {
  const fields = onlyFields(params, FIELDS);
  checkDays(fields, 'history_days', position);
  checkDays(fields, 'ttl_days', position);
  requireObjectField(fields, 'data', position);
  compileConstraints(fields.constraints, position);
  const out = newObject();
  out.history_days = fields.history_days ?? DEFAULT_HISTORY_DAYS;
  out.name = fields.name!;
  for (const key of Object.keys(fields)) if (!(key in out)) out[key] = fields[key]!;
  return out;
}

defineSchemaKind('collections', {
  noun: 'Collection',
  prepare: (_ctx, params, position) => normalise(params, position),
  revise(ctx, before, next, position, replace) {
    if (replace && next.history_days === undefined) next.history_days = before.fields.history_days ?? DEFAULT_HISTORY_DAYS;
    if (replace && next.name === undefined) next.name = before.fields.name!;
    const fields = normalise(next, position);
    // History trimmed under the old history_days stays out of reach when it is raised.
    const previous = historyDays(before.fields.history_days);
    if (historyDays(fields.history_days) !== previous) raiseFloorMark(ctx.txn.store, before.row.oid, previous, ctx.txnTs);
    return fields;
  },
  beforeDelete(ctx, doc) {
    dropIndexesOnlyOn(ctx, doc);
    ctx.txn.dropCollectionData(doc);
  },
});
