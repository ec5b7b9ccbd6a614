/**
 * User-defined functions as schema documents: `{ref, ts, name, body: Query(Lambda), role?, data?}`.
 */
import { validationFailed, type Position } from '../../errors.js';
import { LambdaValue, type FObject } from '../../values/value.js';
import { typeName } from '../cast.js';
import { defineSchemaKind, onlyFields, requireObjectField } from '../schema-kinds.js';

const FIELDS = ['name', 'body', 'role', 'data'] as const;

function normalise(params: FObject, position: Position): FObject {
  const fields = onlyFields(params, FIELDS);
  if (fields.body === undefined) {
    throw validationFailed([{ field: ['body'], code: 'value required', description: 'Value required.' }], position);
  }
  if (!(fields.body instanceof LambdaValue)) {
    throw validationFailed([{ field: ['body'], code: 'invalid type', description: `Invalid type ${typeName(fields.body)}, expected type Query.` }], position);
  }
  requireObjectField(fields, 'data', position);
  return fields;
}

defineSchemaKind('functions', {
  noun: 'Function',
  prepare: (_ctx, params, position) => normalise(params, position),
  revise: (_ctx, _before, next, position) => normalise(next, position),
});
