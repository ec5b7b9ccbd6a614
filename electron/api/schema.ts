/** The schema screen: collections (with document counts), indexes and functions. */
import type { SchemaDescription } from '../../shared/api/contract.js';
import type { Json } from '../../shared/fql/json.js';
import { printFql } from '../../shared/fql/print.js';
import type { Handlers } from './context.js';
import { collections, count, documents, functions, get, indexes, lambda, let_, map, obj, paginate, v } from './fql.js';
import { asArray, asBoolean, asNumber, asString, field, refId } from './wire.js';

const ALL = 100_000;

/** An index term or value as text: `data.name`, `ref`, `binding:x`, with ` (reverse)` when reversed. */
export function describeField(x: Json): string {
  const path = field(x, 'field');
  const binding = field(x, 'binding');
  let text = Array.isArray(path) ? path.map((p) => (typeof p === 'bigint' ? p.toString() : String(p))).join('.') : typeof path === 'string' ? path : typeof binding === 'string' ? `binding:${binding}` : '?';
  if (field(x, 'reverse') === true) text += ' (reverse)';
  return text;
}

function sourceName(source: Json | undefined): string {
  if (Array.isArray(source)) return source.map((s) => sourceName(field(s, 'collection') ?? s)).join(', ');
  return refId(source) ?? '?';
}

export const schemaHandlers: Handlers<'schema.describe'> = {
  async 'schema.describe'(_args, ctx) {
    const result = await ctx.query(
      obj({
        collections: map(paginate(collections(), { size: ALL }), lambda('c', let_({ doc: get(v('c')) }, obj({ doc: v('doc'), documents: count(documents(v('c'))) })))),
        indexes: map(paginate(indexes(), { size: ALL }), lambda('i', get(v('i')))),
        functions: map(paginate(functions(), { size: ALL }), lambda('f', get(v('f')))),
      }),
      'schema.describe',
    );
    const out: SchemaDescription = {
      collections: asArray(field(result, 'collections', 'data')).map((row) => {
        const doc = field(row, 'doc');
        const days = field(doc, 'history_days');
        return { name: asString(field(doc, 'name')), historyDays: typeof days === 'bigint' || typeof days === 'number' ? asNumber(days) : null, documents: asNumber(field(row, 'documents')) };
      }),
      indexes: asArray(field(result, 'indexes', 'data')).map((doc) => ({
        name: asString(field(doc, 'name')),
        source: sourceName(field(doc, 'source')),
        terms: asArray(field(doc, 'terms')).map(describeField),
        values: asArray(field(doc, 'values')).map(describeField),
        unique: asBoolean(field(doc, 'unique')),
        active: asBoolean(field(doc, 'active'), true),
      })),
      functions: asArray(field(result, 'functions', 'data')).map((doc) => {
        const body = field(doc, 'body');
        return { name: asString(field(doc, 'name')), body: body === undefined ? '' : printFql(body) };
      }),
    };
    // Listed by name, whatever order the engine's native sets use.
    const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    out.collections.sort(byName);
    out.indexes.sort(byName);
    out.functions.sort(byName);
    return out;
  },
};
