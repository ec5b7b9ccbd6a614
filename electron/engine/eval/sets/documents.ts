/**
 * `Documents(Collection(...))`: every live document of a collection in ref
 * (id) order, read from the documents table in batches. Under `At`, the
 * versions table answers instead (a time below the collection's history
 * floor is refused).
 */
import { encodeKey } from '../../storage/keys.js';
import { ACTION_DELETE } from '../../storage/schema-sql.js';
import { Ref, SetRef, type Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';
import { requireSchema } from '../resolve.js';
import { defineSetKind, type SetEntry, type SetSource } from './source.js';

const BATCH = 256;
const MIN_ID = -9223372036854775808n;
const MAX_ID = 9223372036854775807n;

/** Reads the id a document-ref key starts with, to turn key bounds into id bounds. */
function idBound(key: Buffer | null, fallback: bigint): bigint {
  if (key === null) return fallback;
  const refKey = encodeKey([new Ref('0', null)]);
  // Keys below every ref (numbers, strings, ...) or above them (times, null, ...).
  if (key[0]! < refKey[0]!) return MIN_ID;
  if (key[0]! > refKey[0]!) return MAX_ID;
  if (key.length < 2 || key[1]! < 0x01) return MIN_ID;
  if (key[1]! > 0x01) return MAX_ID;
  const bytes = Buffer.alloc(8);
  key.copy(bytes, 0, 2, Math.min(10, key.length));
  return BigInt.asIntN(64, bytes.readBigUInt64BE(0) ^ 0x8000000000000000n);
}

export function documentsSource(ctx: EvalContext, collection: Ref, atTs: bigint | null, position: (string | number)[]): SetSource {
  const coll = requireSchema(ctx, collection, position);
  const keyOf = (tuple: Value[]): Buffer => encodeKey(tuple);
  const historical = atTs !== null && atTs < ctx.txnTs;
  return {
    arity: 0,
    reversed: [false],
    keyOf,
    // Now (not under At) the live documents are the collection's rows of the live table.
    ...(historical ? {} : { count: () => ctx.txn.store.countDocs(coll.row.oid) }),
    *scan(lo, hi, descending): Iterable<SetEntry> {
      if (historical) ctx.txn.checkReadTime([coll], atTs);
      let from = idBound(lo, MIN_ID);
      let to = idBound(hi, MAX_ID);
      while (from <= to) {
        const batch = historical ? idsAt(ctx, coll.row.oid, from, to, descending, atTs) : liveIds(ctx, coll.row.oid, from, to, descending);
        for (const id of batch.ids) {
          ctx.tick();
          const ref = new Ref(id.toString(), collection);
          const key = encodeKey([ref]);
          if (lo !== null && Buffer.compare(key, lo) < 0) continue;
          if (hi !== null && Buffer.compare(key, hi) >= 0) continue;
          yield { key, values: [], ref };
        }
        if (batch.last === null) return;
        if (descending) to = batch.last - 1n;
        else from = batch.last + 1n;
      }
    },
  };
}

interface Batch {
  ids: bigint[];
  /** The last id looked at when the batch was full (more may follow), else null. */
  last: bigint | null;
}

function liveIds(ctx: EvalContext, coll: bigint, from: bigint, to: bigint, descending: boolean): Batch {
  const ids = ctx.txn.store.scanDocIds(coll, from, to, descending, BATCH);
  return { ids, last: ids.length === BATCH ? ids[ids.length - 1]! : null };
}

/** Ids of documents live at `ts`, in order, one batch. */
function idsAt(ctx: EvalContext, coll: bigint, from: bigint, to: bigint, descending: boolean, ts: bigint): Batch {
  const rows = ctx.txn.store.db
    .prepare(
      `SELECT id, action FROM versions v WHERE coll = ? AND id >= ? AND id <= ? AND ts = (SELECT max(ts) FROM versions WHERE coll = v.coll AND id = v.id AND ts <= ?) ORDER BY id ${descending ? 'DESC' : 'ASC'} LIMIT ?`,
    )
    .all(coll, from, to, ts, BATCH) as { id: bigint; action: bigint }[];
  const ids = rows.filter((r) => r.action !== BigInt(ACTION_DELETE)).map((r) => r.id);
  return { ids, last: rows.length === BATCH ? rows[rows.length - 1]!.id : null };
}

defineSetKind('documents', (ctx, node, options) => documentsSource(ctx, node.collection, options.atTs, options.position));

export { SetRef };
