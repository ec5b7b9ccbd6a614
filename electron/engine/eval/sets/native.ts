/**
 * Native collections as sets: `Paginate(Collections())` lists the schema
 * documents of that kind in the (scoped) database, as refs in creation order
 * (FaunaDB orders them by their internal ids, which grow as they are created).
 * The set's keys stand for the internal id; a cursor that is a ref of this
 * kind is looked up by name, any other cursor (`after: 0`, `before: null`)
 * keeps its place in the type order (numbers first, null last).
 */
import { encodeKey } from '../../storage/keys.js';
import { Ref, schemaRef, type NativeKind, type Value } from '../../values/value.js';
import { databaseOid } from '../resolve.js';
import { defineSetKind, type SetEntry } from './source.js';

/** The key of a schema document of internal id `oid`: an id-ordered ref key. */
function oidKey(oid: bigint): Buffer {
  return encodeKey([new Ref(oid.toString(), null)]);
}

defineSetKind('native', (ctx, node, options) => {
  const kind = node.native.id as NativeKind;
  const db = databaseOid(ctx, node.native.database, options.position);
  const docs = () => ctx.txn.listSchema(kind, db);
  return {
    arity: 0,
    reversed: [false],
    keyOf: (tuple: Value[]) => {
      const [first, ...rest] = tuple;
      if (first instanceof Ref && first.schemaKind === kind) {
        const doc = docs().find((d) => d.row.name === first.id);
        // A ref to no such document sorts among refs by name, after every existing one.
        const key = doc === undefined ? encodeKey([new Ref(first.id, null)]) : oidKey(doc.row.oid);
        return Buffer.concat([key, encodeKey(rest)]);
      }
      return encodeKey(tuple);
    },
    *scan(lo, hi, descending): Iterable<SetEntry> {
      const entries = docs().map((doc) => ({ key: oidKey(doc.row.oid), values: [], ref: schemaRef(kind, doc.row.name, node.native.database) }));
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
