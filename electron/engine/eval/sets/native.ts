/**
 * Native collections as sets: `Paginate(Collections())` lists the schema
 * documents of that kind in the (scoped) database, as refs in ref order.
 */
import { encodeKey } from '../../storage/keys.js';
import { schemaRef, type NativeKind, type Value } from '../../values/value.js';
import { databaseOid } from '../resolve.js';
import { defineSetKind, type SetEntry } from './source.js';

defineSetKind('native', (ctx, node, options) => {
  const kind = node.native.id as NativeKind;
  const db = databaseOid(ctx, node.native.database, options.position);
  return {
    arity: 0,
    keyOf: (tuple: Value[]) => encodeKey(tuple),
    *scan(lo, hi, descending): Iterable<SetEntry> {
      const entries = ctx.txn.listSchema(kind, db).map((doc) => {
        const ref = schemaRef(kind, doc.row.name, node.native.database);
        return { key: encodeKey([ref]), values: [], ref };
      });
      entries.sort((a, b) => Buffer.compare(a.key, b.key));
      if (descending) entries.reverse();
      for (const e of entries) {
        if (lo !== null && Buffer.compare(e.key, lo) < 0) continue;
        if (hi !== null && Buffer.compare(e.key, hi) >= 0) continue;
        yield e;
      }
    },
  };
});
