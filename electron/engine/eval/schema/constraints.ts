/**
 * Collection constraints: a collection may carry
 *   constraints: {
 *     schema: <a JSON Schema for its documents' `data`>,
 *     checks: [{ name: "...", predicate: Query(Lambda("doc", <Boolean>)) }]
 *   }
 * Every write to the collection is checked; a violation fails the whole
 * transaction with `validation failed`, naming the field and the rule
 * (e.g. "quantity: -10 is less than the minimum of 0").
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { FaunaError, validationFailed, type Position, type ValidationFailure } from '../../errors.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import { LambdaValue, Ref, isObject, newObject, type FObject, type Value } from '../../values/value.js';
import { refToWire, toWire } from '../../wire/encode.js';
import type { Json } from '../../../../shared/fql/json.js';
import type { EvalContext } from '../context.js';
import { addWriteValidator } from '../forms/documents.js';

interface Check {
  name: string;
  predicate: LambdaValue;
}

interface CompiledConstraints {
  validate: ValidateFunction | null;
  checks: Check[];
}

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });

/**
 * What a JSON Schema sees of a document's data: plain JSON, integers and
 * doubles as numbers, other FQL values in their wire form (a ref as
 * `{"@ref": ...}`, a time as `{"@ts": "..."}`).
 */
function toSchemaJson(v: Value): unknown {
  switch (typeof v) {
    case 'bigint':
      return Number(v);
    case 'number':
    case 'string':
    case 'boolean':
      return v;
    default:
      break;
  }
  if (v === null) return null;
  if (Array.isArray(v)) return v.map(toSchemaJson);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (k === '__proto__') Object.defineProperty(out, k, { value: toSchemaJson(v[k]!), enumerable: true, writable: true, configurable: true });
      else out[k] = toSchemaJson(v[k]!);
    }
    return out;
  }
  // A ref's wire form holds strings only (and is not changed by validation).
  if (v instanceof Ref) return refToWire(v);
  const walk = (j: Json): unknown => {
    if (typeof j === 'bigint') return Number(j);
    if (Array.isArray(j)) return j.map(walk);
    if (j !== null && typeof j === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(j)) Object.defineProperty(out, k, { value: walk(j[k]!), enumerable: true, writable: true, configurable: true });
      return out;
    }
    return j;
  };
  return walk(toWire(v));
}

/**
 * The path of the value an error is about, below `data`: JSON Pointer
 * segments unescaped, array positions as numbers (found by walking the data),
 * and for `required` the missing field itself.
 */
function fieldPath(e: ErrorObject, data: unknown): (string | number)[] {
  const segments = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const path: (string | number)[] = [];
  let at: unknown = data;
  for (const seg of segments) {
    if (Array.isArray(at)) {
      path.push(Number(seg));
      at = at[Number(seg)];
    } else {
      path.push(seg);
      at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[seg] : undefined;
    }
  }
  if (e.keyword === 'required') path.push((e.params as { missingProperty: string }).missingProperty);
  return path;
}

function fieldName(e: ErrorObject, data: unknown): string {
  const path = fieldPath(e, data);
  return path.length === 0 ? 'data' : path.join('.');
}

function describe(e: ErrorObject, data: unknown): string {
  const field = fieldName(e, data);
  const p = e.params as Record<string, unknown>;
  const shown = JSON.stringify(e.data);
  switch (e.keyword) {
    case 'minimum':
      return `${field}: ${shown} is less than the minimum of ${String(p.limit)}`;
    case 'maximum':
      return `${field}: ${shown} is greater than the maximum of ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `${field}: ${shown} must be greater than ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `${field}: ${shown} must be less than ${String(p.limit)}`;
    case 'required':
      return `${field}: is required`;
    case 'type':
      return `${field}: ${shown} is not of type ${String(p.type)}`;
    case 'enum':
      return `${field}: ${shown} is not one of ${JSON.stringify(p.allowedValues)}`;
    case 'minLength':
      return `${field}: must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `${field}: must be at most ${String(p.limit)} characters long`;
    case 'minItems':
      return `${field}: must have at least ${String(p.limit)} items`;
    case 'additionalProperties':
      return `${field}: unknown field ${String(p.additionalProperty)}`;
    default:
      return `${field}: ${e.message ?? e.keyword}`;
  }
}

/** Validates and compiles a collection's `constraints` field; bad ones are `validation failed`. */
export function compileConstraints(value: Value | undefined, position: Position): CompiledConstraints | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw validationFailed([{ field: ['constraints'], code: 'invalid type', description: 'constraints must be an Object.' }], position);
  let validate: ValidateFunction | null = null;
  if (value.schema !== undefined) {
    try {
      validate = ajv.compile(toSchemaJson(value.schema) as object);
    } catch (err) {
      throw validationFailed([{ field: ['constraints', 'schema'], code: 'invalid schema', description: `Invalid JSON Schema: ${(err as Error).message}` }], position);
    }
  }
  const checks: Check[] = [];
  const list = value.checks ?? [];
  if (!Array.isArray(list)) throw validationFailed([{ field: ['constraints', 'checks'], code: 'invalid type', description: 'checks must be an Array.' }], position);
  list.forEach((c, i) => {
    if (!isObject(c) || typeof c.name !== 'string' || !(c.predicate instanceof LambdaValue)) {
      throw validationFailed([{ field: ['constraints', 'checks', i], code: 'invalid type', description: 'A check is {name: String, predicate: Query(Lambda("doc", ...))}.' }], position);
    }
    checks.push({ name: c.name, predicate: c.predicate });
  });
  return { validate, checks };
}

function constraintsOf(coll: SchemaDoc): CompiledConstraints | null {
  if (!coll.derived.has('constraints')) coll.derived.set('constraints', compileConstraints(coll.fields.constraints, []));
  return coll.derived.get('constraints') as CompiledConstraints | null;
}

/**
 * Checks a version of a document of `coll` against the collection's
 * constraints; `ts` is the version's time (the transaction's for ordinary
 * writes, the event's for Insert). Throws `validation failed`.
 */
export function checkConstraints(ctx: EvalContext, coll: SchemaDoc, ref: Ref, fields: FObject, position: Position, ts: bigint = ctx.txnTs): void {
  const c = constraintsOf(coll);
  if (c === null) return;
  const failures: ValidationFailure[] = [];
  const data = fields.data ?? newObject();
  const json = c.validate === null ? null : toSchemaJson(data);
  if (c.validate !== null && !c.validate(json)) {
    for (const e of c.validate.errors ?? []) {
      failures.push({ field: ['data', ...fieldPath(e, json)], code: e.keyword, description: describe(e, json) });
    }
  }
  if (failures.length === 0 && c.checks.length > 0) {
    const doc = newObject();
    doc.ref = ref;
    doc.ts = ts;
    for (const k of Object.keys(fields)) doc[k] = fields[k]!;
    for (const check of c.checks) {
      let ok: Value;
      try {
        ok = check.predicate.apply(ctx, doc);
      } catch (err) {
        const inner = err instanceof FaunaError ? `${err.code}: ${err.description}` : String(err);
        failures.push({ field: ['data'], code: 'check constraint failure', description: `check '${check.name}' could not be evaluated (${inner})` });
        continue;
      }
      if (ok !== true) failures.push({ field: ['data'], code: 'check constraint failure', description: `check '${check.name}' failed` });
    }
  }
  if (failures.length > 0) {
    throw validationFailed(failures, position, failures.map((f) => f.description).join('; '));
  }
}

addWriteValidator((ctx: EvalContext, coll: SchemaDoc, ref: Ref, fields: FObject, position: Position) => checkConstraints(ctx, coll, ref, fields, position));
