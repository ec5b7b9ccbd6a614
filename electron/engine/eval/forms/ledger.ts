/**
 * `Ledger()` (a Stockroom extension): the set of committed write transactions
 * in commit order, readable with Paginate like any set. Each element is
 *   { ts, origin, query, writes: [{ document, action, data }] }
 * where `document` is the ref written, `action` create/update/delete and
 * `data` what the document holds after the write: a user document's `data`
 * (`{}` when it has none), a schema document's fields (name, source, body,
 * ...), null after a delete.
 * Cursors are transaction timestamps, given and echoed as plain integers;
 * `Paginate(Ledger(), {before: null})` gives the newest page. Read at a past
 * time (At, Paginate's `ts`), the ledger holds the transactions committed by
 * then.
 */
import { parseLedgerWrites } from '../../ledger.js';
import { FDate, NATIVE_KINDS, READ, Ref, SetRef, collectionRef, newObject, schemaRef, type NativeKind, type Value } from '../../values/value.js';
import { defineFunction } from '../registry.js';
import { defineSetKind, type SetEntry } from '../sets/source.js';
import { FTime } from '../../values/value.js';

function isSchemaKind(collection: string): boolean {
  return (NATIVE_KINDS as readonly string[]).includes(collection);
}

function writeRef(collection: string, id: string): Ref {
  if (isSchemaKind(collection)) return schemaRef(collection as NativeKind, id);
  return new Ref(id, collectionRef(collection));
}

/** The ledger's own key space: a transaction's ts as 8 big-endian bytes; null sorts after all. */
function tsKey(ts: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(ts < 0n ? 0n : ts);
  return b;
}

const AFTER_ALL = Buffer.alloc(9, 0xff);

function keyTs(key: Buffer): bigint {
  if (key.length === 0) return 0n;
  if (key.length > 8) return 9223372036854775807n;
  const b = Buffer.alloc(8);
  key.copy(b);
  return b.readBigInt64BE();
}

defineFunction({
  keys: ['ledger'],
  effect: READ,
  impl: () => new SetRef({ kind: 'ledger' }),
});

/** A ts cursor comes back as the plain integer it was given (`[null]` and others as arrays, as for any set). */
function cursorEcho(v: Value): Value {
  if (typeof v === 'bigint') return v;
  if (v instanceof FTime) return v.micros;
  if (v instanceof FDate) return BigInt(v.days) * 86_400_000_000n;
  return Array.isArray(v) ? v : [v];
}

defineSetKind('ledger', (ctx, _node, options) => ({
  arity: 1,
  cursorEcho,
  keyOf(tuple: Value[]) {
    const first = tuple[0];
    if (first instanceof FTime) return tsKey(first.micros);
    if (first instanceof FDate) return tsKey(BigInt(first.days) * 86_400_000_000n);
    if (typeof first === 'bigint') return tsKey(first);
    if (first === null) return AFTER_ALL;
    return Buffer.alloc(0);
  },
  *scan(lo, hi, descending) {
    const from = lo === null ? 0n : keyTs(lo);
    let to = hi === null ? 9223372036854775807n : keyTs(hi);
    // Read at a past time, the ledger ends with the transactions committed by then.
    const readTs = options.atTs ?? ctx.readTs;
    if (readTs !== null && readTs < to - 1n) to = readTs + 1n;
    const rows = ctx.txn.store.db
      .prepare(`SELECT ts, origin, query, writes FROM ledger WHERE ts >= ? AND ts < ? ORDER BY ts ${descending ? 'DESC' : 'ASC'}`)
      .iterate(from, to) as IterableIterator<{ ts: bigint; origin: string; query: string; writes: string }>;
    for (const row of rows) {
      ctx.tick();
      const key = tsKey(row.ts);
      const entry = newObject();
      entry.ts = row.ts;
      entry.origin = row.origin;
      entry.query = row.query;
      entry.writes = parseLedgerWrites(row.writes).map((w) => {
        const o = newObject();
        o.document = writeRef(w.collection, w.id);
        o.action = w.action;
        o.data = w.after === null ? null : isSchemaKind(w.collection) ? w.after : (w.after.data ?? newObject());
        return o;
      });
      const e: SetEntry = { key, values: [entry], ref: writeRef('collections', 'ledger'), cursor: row.ts };
      yield e;
    }
  },
}));
