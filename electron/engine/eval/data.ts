/**
 * Document data rules: nulls are removed on write (object keys and array
 * elements alike), Update deep-merges objects and replaces everything else,
 * and only the writable top-level fields are kept.
 */
import { validationFailed, type Position } from '../errors.js';
import { isObject, newObject, type FObject, type Value } from '../values/value.js';
import { typeName } from './cast.js';

/** Removes nulls recursively: null object values and null array elements. */
export function stripNulls(v: Value): Value {
  if (Array.isArray(v)) {
    const out: Value[] = [];
    for (const item of v) if (item !== null) out.push(stripNulls(item));
    return out;
  }
  if (isObject(v)) {
    const out = newObject();
    for (const key of Object.keys(v)) {
      const item = v[key]!;
      if (item !== null) out[key] = stripNulls(item);
    }
    return out;
  }
  return v;
}

/** Update's deep merge: objects merge recursively, null deletes, anything else replaces. */
export function deepMerge(base: FObject, patch: FObject): FObject {
  const out = newObject();
  for (const key of Object.keys(base)) out[key] = base[key]!;
  for (const key of Object.keys(patch)) {
    const p = patch[key]!;
    if (p === null) {
      delete out[key];
      continue;
    }
    const b = out[key];
    out[key] = isObject(p) && isObject(b) ? deepMerge(b, p) : stripNulls(p);
  }
  return out;
}

/** Checks that `data` (when present) is an Object. */
export function checkDataField(params: FObject, position: Position): void {
  const data = params.data;
  if (data !== undefined && data !== null && !isObject(data)) {
    throw validationFailed([{ field: ['data'], code: 'invalid type', description: `Invalid type ${typeName(data)}, expected type Object.` }], position);
  }
}

/** The writable top-level fields of a user document; anything else is dropped. */
export const USER_DOC_FIELDS = ['data', 'ttl'] as const;

export function pickFields(params: FObject, allowed: readonly string[]): FObject {
  const out = newObject();
  for (const key of allowed) {
    const v = params[key];
    if (v !== undefined && v !== null) out[key] = stripNulls(v);
  }
  return out;
}
