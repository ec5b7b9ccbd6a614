/**
 * Schema documents by kind. Each native collection (collections, functions,
 * indexes, ...) says how its documents are created, updated, replaced and
 * deleted; Create/Update/Replace/Delete and the CreateX functions dispatch here.
 */
import { FaunaError, validationFailed, type Position, type ValidationFailure } from '../errors.js';
import type { SchemaDoc } from '../storage/schema-cache.js';
import { isObject, newObject, type FObject, type Ref } from '../values/value.js';
import { typeName } from './cast.js';
import type { EvalContext } from './context.js';
import { deepMerge, stripNulls } from './data.js';
import { renderSchemaDoc } from './resolve.js';

export interface SchemaKind {
  /** Singular noun used in messages ("Collection already exists."). */
  readonly noun: string;
  /** Validates and completes create params into the stored fields. */
  prepare(ctx: EvalContext, params: FObject, position: Position, db: bigint): FObject;
  /** Validates an update: `before` and the merged result; may throw. Returns the fields to store. */
  revise(ctx: EvalContext, before: SchemaDoc, next: FObject, position: Position, replace: boolean): FObject;
  /** Runs after the document is written (index builds, cache work). */
  afterCreate?(ctx: EvalContext, doc: SchemaDoc, position: Position): SchemaDoc;
  /** Runs before the document is removed (drop data, dependent indexes). */
  beforeDelete?(ctx: EvalContext, doc: SchemaDoc, position: Position): void;
}

const kinds = new Map<string, SchemaKind>();

export function defineSchemaKind(kind: string, def: SchemaKind): void {
  kinds.set(kind, def);
}

export function schemaKind(kind: string, position: Position): SchemaKind {
  const def = kinds.get(kind);
  if (def === undefined) throw new FaunaError('feature not available', `Documents of ${kind} are not supported by this engine.`, position);
  return def;
}

const NAME_RE = /^[;@+$\-_.!~%\p{L}\p{N}\p{M}\p{Pc}]+$/u;
const RESERVED = new Set(['_', 'events', 'sets', 'self', 'documents']);

/** Checks a schema name; failures are reported as `validation failed` on `name`. */
export function checkName(name: unknown, position: Position): string {
  const failures: ValidationFailure[] = [];
  if (name === undefined || name === null) failures.push({ field: ['name'], code: 'value required', description: 'Value required.' });
  else if (typeof name !== 'string') failures.push({ field: ['name'], code: 'invalid type', description: `Invalid type ${typeName(name as never)}, expected type String.` });
  else if (RESERVED.has(name)) failures.push({ field: ['name'], code: 'reserved name', description: 'Cannot use reserved name.' });
  else if (!NAME_RE.test(name)) failures.push({ field: ['name'], code: 'invalid characters', description: 'Name contains invalid characters.' });
  if (failures.length > 0) throw validationFailed(failures, position);
  return name as string;
}

/** Create a schema document of `kind` from params. Duplicate names are `instance already exists`. */
export function createSchemaDoc(ctx: EvalContext, kind: string, params: FObject, position: Position, db: bigint, database: Ref | null): FObject {
  const def = schemaKind(kind, position);
  const name = checkName(params.name, position);
  if (ctx.txn.getSchema(kind, name, db) !== null) {
    throw new FaunaError('instance already exists', `${def.noun} already exists.`, position);
  }
  const fields = def.prepare(ctx, stripNulls(params) as FObject, position, db);
  let doc = ctx.txn.createSchema(kind, name, fields, db);
  if (def.afterCreate) doc = def.afterCreate(ctx, doc, position);
  return renderSchemaDoc(doc, database);
}

/** Update (deep merge) or Replace a schema document. */
export function reviseSchemaDoc(ctx: EvalContext, doc: SchemaDoc, params: FObject, position: Position, replace: boolean, database: Ref | null): FObject {
  const def = schemaKind(doc.row.kind, position);
  const merged = replace ? (stripNulls(params) as FObject) : deepMerge(doc.fields, params);
  const fields = def.revise(ctx, doc, merged, position, replace);
  const name = checkName(fields.name, position);
  if (name !== doc.row.name && ctx.txn.getSchema(doc.row.kind, name, doc.row.db) !== null) {
    throw new FaunaError('instance already exists', `${def.noun} already exists.`, position);
  }
  const next = ctx.txn.updateSchema(doc, name, fields);
  return renderSchemaDoc(next, database);
}

export function deleteSchemaDoc(ctx: EvalContext, doc: SchemaDoc, position: Position, database: Ref | null): FObject {
  const def = schemaKind(doc.row.kind, position);
  const rendered = renderSchemaDoc(doc, database);
  def.beforeDelete?.(ctx, doc, position);
  ctx.txn.deleteSchema(doc);
  return rendered;
}

/** Keeps only `allowed` keys of params, in a fresh object. */
export function onlyFields(params: FObject, allowed: readonly string[]): FObject {
  const out = newObject();
  for (const key of allowed) if (params[key] !== undefined) out[key] = params[key]!;
  return out;
}

export function requireObjectField(params: FObject, field: string, position: Position): void {
  const v = params[field];
  if (v !== undefined && !isObject(v)) {
    throw validationFailed([{ field: [field], code: 'invalid type', description: `Invalid type ${typeName(v)}, expected type Object.` }], position);
  }
}
