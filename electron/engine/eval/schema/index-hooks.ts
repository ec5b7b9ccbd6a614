/**
 * What happens to indexes when a collection goes away: every index whose
 * only source is that collection is deleted with it, as in FaunaDB.
 */
import type { SchemaDoc } from '../../storage/schema-cache.js';
import { Ref, isObject, type Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';

/** The collection names an index's `source` field names ('_' for the wildcard). */
export function sourceCollectionNames(source: Value | undefined): string[] {
  const names: string[] = [];
  const visit = (v: Value | undefined): void => {
    if (v === undefined) return;
    if (v === '_') names.push('_');
    else if (v instanceof Ref && v.schemaKind === 'collections') names.push(v.id);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (isObject(v)) visit(v.collection ?? v.class);
  };
  visit(source);
  return names;
}

export function dropIndexesOnlyOn(ctx: EvalContext, coll: SchemaDoc): void {
  for (const index of ctx.txn.listSchema('indexes', coll.row.db)) {
    const names = sourceCollectionNames(index.fields.source);
    if (names.length > 0 && names.every((n) => n === coll.row.name)) {
      ctx.txn.store.deleteIndexEntries(index.row.oid);
      ctx.txn.deleteSchema(index);
    }
  }
}
