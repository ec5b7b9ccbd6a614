/**
 * History: Events (of a document or a set), Insert and Remove.
 *
 * A document's events are its stored versions in ts order:
 * `{ts, action: "create"|"update"|"delete", document, data}`. A set's events
 * are its entries' additions and removals: `{ts, action: "add"|"remove",
 * document, data: [covered values]}`. Event sets paginate by ts; a cursor is
 * a ts (µs), a Time, null (the newest page with `before`) or an event-like
 * object `{ts, action?, document?}`.
 */
import { FaunaError, invalidArgument } from '../../errors.js';
import { decodeFields, decodeValue, encodeFields } from '../../storage/codec.js';
import { encodeKey } from '../../storage/keys.js';
import { ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE } from '../../storage/schema-sql.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import type { StoredDoc } from '../../storage/transaction.js';
import { FDate, FTime, Ref, SetRef, WRITE, collectionRef, isObject, newObject, type FObject, type Value } from '../../values/value.js';
import { castObject, castRef, castString, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { checkDataField, pickFields, USER_DOC_FIELDS } from '../data.js';
import { indexDef, indexesOf } from '../indexes/definition.js';
import { requireIndex } from '../indexes/match.js';
import { reindexDoc } from '../indexes/maintainer.js';
import { defineFunction } from '../registry.js';
import { documentId, requireCollection } from '../resolve.js';
import { defineSetKind, sourceOf, type SetEntry, type SetSource } from '../sets/source.js';
import { timeArgMicros } from '../time-arg.js';

const ACTION_NAMES = ['create', 'update', 'delete'] as const;
const ACTION_CODES: Record<string, number> = { create: ACTION_CREATE, update: ACTION_UPDATE, delete: ACTION_DELETE };

function eventObject(ts: bigint, action: string, document: Ref, data: Value): FObject {
  const o = newObject();
  o.ts = ts;
  o.action = action;
  o.document = document;
  o.data = data;
  return o;
}

/** A cursor for an event set, in its key space (ts, then ref). */
function eventKey(tuple: Value[]): Buffer {
  const first = tuple[0];
  if (first === undefined) return encodeKey([]);
  if (typeof first === 'bigint') return encodeKey([first]);
  if (first instanceof FTime) return encodeKey([first.micros]);
  if (first instanceof FDate) return encodeKey([BigInt(first.days) * 86_400_000_000n]);
  if (isObject(first) && typeof first.ts === 'bigint') {
    const doc = first.document ?? first.resource ?? first.instance;
    return doc instanceof Ref ? encodeKey([first.ts, doc]) : encodeKey([first.ts]);
  }
  return encodeKey([first]);
}

function eventEntry(ts: bigint, action: string, document: Ref, data: Value): SetEntry {
  const event = eventObject(ts, action, document, data);
  const cursor = newObject();
  cursor.ts = ts;
  cursor.action = action;
  cursor.document = document;
  return { key: encodeKey([ts, document, action]), values: [event], ref: document, cursor };
}

function documentEvents(ctx: EvalContext, ref: Ref, position: (string | number)[]): SetSource {
  const coll = requireCollection(ctx, ref, position);
  const id = documentId(ref, position);
  return {
    arity: 1,
    keyOf: eventKey,
    *scan(lo, hi, descending) {
      const rows = ctx.txn.store.versionsOf(coll.row.oid, id, -9223372036854775808n, 9223372036854775807n, descending, Number.MAX_SAFE_INTEGER);
      for (const row of rows) {
        ctx.tick();
        const data = row.body === null ? null : (decodeFields(row.body).data ?? null);
        const entry = eventEntry(row.ts, ACTION_NAMES[Number(row.action)] ?? 'update', ref, data);
        if (lo !== null && Buffer.compare(entry.key, lo) < 0) continue;
        if (hi !== null && Buffer.compare(entry.key, hi) >= 0) continue;
        yield entry;
      }
    },
  };
}

/** Add/remove events of an index set: current entries (added) and removed ones (added + removed). */
function indexEvents(ctx: EvalContext, set: SetRef, position: (string | number)[]): SetSource {
  const node = set.node;
  if (node.kind !== 'match') {
    // Other sets: additions of their current members (a conservative history).
    const inner = sourceOf(ctx, set, { atTs: null, position });
    return {
      arity: 1,
      keyOf: eventKey,
      *scan(lo, hi, descending) {
        const all: SetEntry[] = [];
        for (const e of inner.scan(null, null, false)) all.push(eventEntry(0n, 'add', e.ref, e.values));
        all.sort((a, b) => (descending ? -1 : 1) * Buffer.compare(a.key, b.key));
        for (const e of all) {
          if (lo !== null && Buffer.compare(e.key, lo) < 0) continue;
          if (hi !== null && Buffer.compare(e.key, hi) >= 0) continue;
          yield e;
        }
      },
    };
  }
  const def = indexDef(requireIndex(ctx, node.index, position));
  const prefix = encodeKey(node.terms);
  return {
    arity: 1,
    keyOf: eventKey,
    *scan(lo, hi, descending) {
      const store = ctx.txn.store;
      const collName = (oid: bigint): Ref => collectionRef(ctx.txn.getSchemaByOid(oid)?.row.name ?? String(oid));
      const events: SetEntry[] = [];
      const current = store.db.prepare('SELECT key, coll, id, vals, ts FROM index_entries WHERE idx = ? AND substr(key, 1, ?) = ?').all(def.oid, prefix.length, prefix) as { coll: bigint; id: bigint; vals: string; ts: bigint }[];
      for (const r of current) events.push(eventEntry(r.ts, 'add', new Ref(r.id.toString(), collName(r.coll)), decodeValue(r.vals)));
      const past = store.db.prepare('SELECT coll, id, vals, added, removed FROM index_history WHERE idx = ? AND substr(key, 1, ?) = ?').all(def.oid, prefix.length, prefix) as { coll: bigint; id: bigint; vals: string; added: bigint; removed: bigint }[];
      for (const r of past) {
        const ref = new Ref(r.id.toString(), collName(r.coll));
        events.push(eventEntry(r.added, 'add', ref, decodeValue(r.vals)));
        events.push(eventEntry(r.removed, 'remove', ref, decodeValue(r.vals)));
      }
      events.sort((a, b) => (descending ? -1 : 1) * Buffer.compare(a.key, b.key));
      for (const e of events) {
        ctx.tick();
        if (lo !== null && Buffer.compare(e.key, lo) < 0) continue;
        if (hi !== null && Buffer.compare(e.key, hi) >= 0) continue;
        yield e;
      }
    },
  };
}

defineSetKind('events', (ctx, node, options) => {
  const source = node.source;
  if (source instanceof Ref && !source.isNative) return documentEvents(ctx, source, options.position);
  const set = source instanceof Ref ? new SetRef({ kind: 'native', native: source }) : source;
  if (set.node.kind === 'events') throw invalidArgument('Set does not support events history.', options.position);
  if (set.node.kind === 'singleton') return documentEvents(ctx, set.node.ref, options.position);
  return indexEvents(ctx, set, options.position);
});

defineFunction({
  keys: ['events'],
  impl(_ctx, [target], site) {
    if (target instanceof Ref || target instanceof SetRef) {
      if (target instanceof SetRef && target.node.kind === 'events') throw invalidArgument('Set does not support events history.', site.at('events'));
      return new SetRef({ kind: 'events', source: target });
    }
    throw invalidArgument(`Ref or Set expected, ${typeName(target)} provided.`, site.at('events'));
  },
});

// --- Insert / Remove -----------------------------------------------------------------

/** Makes the live set and the index entries agree with the document's newest version after a history edit. */
function settleCurrent(ctx: EvalContext, coll: SchemaDoc, id: bigint, before: StoredDoc | null): void {
  const after = ctx.txn.getDoc(coll, id);
  ctx.txn.store.setLive(coll.row.oid, id, after !== null);
  for (const def of indexesOf(ctx, coll)) reindexDoc(ctx.txn, ctx, def, coll, id, before, after === null ? null : after.fields);
}

function actionArg(v: Value | undefined, position: (string | number)[]): string {
  const action = castString(v, position);
  if (!(action in ACTION_CODES)) throw invalidArgument(`Action expected to be one of create, update, delete; got '${action}'.`, position);
  return action;
}

defineFunction({
  keys: ['insert', 'ts', 'action', 'params'],
  effect: WRITE,
  impl(ctx, [target, tsValue, actionValue, paramsValue], site) {
    const ref = castRef(target, site.at('insert'));
    if (!ref.isDocument) throw invalidArgument('Cannot insert event for specified ref.', site.at('insert'));
    const coll = requireCollection(ctx, ref, site.at('insert'));
    const id = documentId(ref, site.at('insert'));
    const ts = timeArgMicros(tsValue, site.at('ts'));
    if (ts > ctx.txnTs) throw new FaunaError('invalid write time', 'Cannot write outside of snapshot time.', site.at('ts'));
    const action = actionArg(actionValue, site.at('action'));
    const params = castObject(paramsValue, site.at('params'));
    checkDataField(params, site.position);
    const fields = pickFields(params, USER_DOC_FIELDS);
    const before = ctx.txn.getDoc(coll, id);
    ctx.txn.store.putVersion(coll.row.oid, id, ts, ACTION_CODES[action]!, action === 'delete' ? null : encodeFields(fields));
    ctx.txn.writes.push({ db: coll.row.db, collection: coll.row.name, id: id.toString(), action: action === 'delete' ? 'delete' : 'update', before: null, after: action === 'delete' ? null : fields });
    settleCurrent(ctx, coll, id, before);
    return eventObject(ts, action, ref, action === 'delete' ? null : (fields.data ?? newObject()));
  },
});

defineFunction({
  keys: ['remove', 'ts', 'action'],
  effect: WRITE,
  impl(ctx, [target, tsValue, actionValue], site) {
    const ref = castRef(target, site.at('remove'));
    if (!ref.isDocument) throw invalidArgument('Cannot remove event for specified ref.', site.at('remove'));
    const coll = requireCollection(ctx, ref, site.at('remove'));
    const id = documentId(ref, site.at('remove'));
    const ts = timeArgMicros(tsValue, site.at('ts'));
    actionArg(actionValue, site.at('action'));
    const before = ctx.txn.getDoc(coll, id);
    ctx.txn.store.db.prepare('DELETE FROM versions WHERE coll = ? AND id = ? AND ts = ?').run(coll.row.oid, id, ts);
    ctx.txn.writes.push({ db: coll.row.db, collection: coll.row.name, id: id.toString(), action: 'update', before: null, after: null });
    settleCurrent(ctx, coll, id, before);
    return null;
  },
});
