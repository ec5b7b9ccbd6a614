/**
 * History: Events (of a document or a set), Insert and Remove.
 *
 * A document's events are its stored versions in ts order:
 * `{ts, action: "create"|"update"|"delete", document, data}`. A set's events
 * are its entries' additions and removals: `{ts, action: "add"|"remove",
 * document, data: [covered values]}`. Event sets paginate by ts; a cursor is
 * a ts (µs), a Time, null (the newest page with `before`) or an event-like
 * object `{ts, action?, document?}`. Read at a past time (At, Paginate's
 * `ts`), a history holds only the events up to that time.
 *
 * As in FaunaDB, history below a collection's history floor (retention.ts)
 * is not shown, and reading it is not an error: a document's history starts
 * with the version live at the floor, shown as a create of its whole data
 * (none when it was a delete); a set's history keeps the events after the
 * floor, and the adds at it.
 */
import { FaunaError, invalidArgument } from '../../errors.js';
import { decodeEntryValues, decodeFields, encodeFields, encodeValue } from '../../storage/codec.js';
import { encodeKey } from '../../storage/keys.js';
import { ACTION_CREATE, ACTION_DELETE, ACTION_UPDATE } from '../../storage/schema-sql.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import { FDate, FTime, Ref, SetRef, WRITE, collectionRef, isObject, newObject, type FObject, type Value } from '../../values/value.js';
import { castObject, castRef, castString, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { validateUserFields } from './documents.js';
import { checkDataField, pickFields, USER_DOC_FIELDS } from '../data.js';
import { indexDef, indexesOf } from '../indexes/definition.js';
import { requireIndex } from '../indexes/match.js';
import { rebuildDocEntries, versionKeys, type DocVersion } from '../indexes/maintainer.js';
import { termsKey } from '../indexes/entries.js';
import { defineFunction } from '../registry.js';
import { documentId, requireCollection, requireSchema } from '../resolve.js';
import { checkConstraints } from '../schema/constraints.js';
import { defineSetKind, sourceOf, throughScan, type SetEntry, type SetSource } from '../sets/source.js';
import { timeArgMicros } from '../time-arg.js';

const ACTION_NAMES = ['create', 'update', 'delete'] as const;
const ACTION_CODES: Record<string, number> = { create: ACTION_CREATE, update: ACTION_UPDATE, delete: ACTION_DELETE };

function eventObject(ts: bigint, action: string, document: Ref, data: Value | undefined): FObject {
  const o = newObject();
  o.ts = ts;
  o.action = action;
  o.document = document;
  if (data !== undefined) o.data = data;
  return o;
}

/** The server's order of actions at one ts: add < create < update < delete < remove. */
const ACTION_RANK: Record<string, bigint> = { add: 0n, create: 1n, update: 2n, delete: 3n, remove: 4n };
/** Sorts after every document at a (ts, action): the server's "max document id" of a cursor. */
const MAX_DOC = Buffer.from([0xff]);

function actionRank(v: Value | undefined): bigint {
  return typeof v === 'string' && v in ACTION_RANK ? ACTION_RANK[v]! : 0n;
}

/**
 * A cursor for an event set, in its key space (ts, action, document, values).
 * A ts (µs), Time or Date is a floor at the start of that ts. An object
 * `{ts, action?, document?}` stands where the server puts it: a missing action
 * is "add" (the first), a missing document is after every document.
 */
function eventKey(tuple: Value[]): Buffer {
  const first = tuple[0];
  if (first === undefined) return encodeKey([]);
  if (typeof first === 'bigint') return encodeKey([first]);
  if (first instanceof FTime) return encodeKey([first.micros]);
  if (first instanceof FDate) return encodeKey([BigInt(first.days) * 86_400_000_000n]);
  if (isObject(first) && typeof first.ts === 'bigint') {
    const doc = first.document ?? first.resource ?? first.instance;
    const head = encodeKey([first.ts, actionRank(first.action)]);
    return doc instanceof Ref ? Buffer.concat([head, encodeKey([doc])]) : Buffer.concat([head, MAX_DOC]);
  }
  return encodeKey([first]);
}

/** How a page echoes a cursor it was given for an event set: as an event cursor object. */
function eventCursorEcho(v: Value): Value {
  const ts = typeof v === 'bigint' ? v : v instanceof FTime ? v.micros : v instanceof FDate ? BigInt(v.days) * 86_400_000_000n : null;
  if (ts !== null) {
    const o = newObject();
    o.ts = ts;
    return o;
  }
  if (isObject(v) && typeof v.ts === 'bigint') {
    const o = newObject();
    o.ts = v.ts;
    if (v.action !== undefined) o.action = v.action;
    const doc = v.document ?? v.resource ?? v.instance;
    if (doc !== undefined) o.document = doc;
    return o;
  }
  return Array.isArray(v) ? v : [v];
}

/** An event entry; set events carry their covered values (`data` only when there are some). */
function eventEntry(ts: bigint, action: string, document: Ref, data: Value | undefined, values: Value[] = []): SetEntry {
  const event = eventObject(ts, action, document, data);
  const cursor = newObject();
  cursor.ts = ts;
  cursor.action = action;
  cursor.document = document;
  return { key: encodeKey([ts, ACTION_RANK[action] ?? 2n, document, values]), values: [event], ref: document, cursor };
}

/** Events in key order between bounds, either way. */
function* ordered(ctx: EvalContext, events: SetEntry[], lo: Buffer | null, hi: Buffer | null, descending: boolean): Iterable<SetEntry> {
  events.sort((a, b) => (descending ? -1 : 1) * Buffer.compare(a.key, b.key));
  for (const e of events) {
    ctx.tick();
    if (lo !== null && Buffer.compare(e.key, lo) < 0) continue;
    if (hi !== null && Buffer.compare(e.key, hi) >= 0) continue;
    yield e;
  }
}

function eventSource(scan: SetSource['scan']): SetSource {
  return { arity: 1, historical: true, keyOf: eventKey, cursorEcho: eventCursorEcho, scan };
}

/**
 * What a document event shows as `data`: as FaunaDB renders a version's diff,
 * the whole data for a first version, else the fields that changed (objects
 * compared field by field, a removed field as null), null when nothing did.
 */
function dataChange(before: Value | undefined, after: Value | undefined): Value {
  if (before === undefined) return after ?? null;
  if (after === undefined) return null;
  const diff = diffValue(before, after);
  return diff === undefined ? null : diff;
}

function diffValue(before: Value, after: Value): Value | undefined {
  if (isObject(before) && isObject(after)) {
    const out = newObject();
    let changed = false;
    for (const k of Object.keys(after)) {
      const d = before[k] === undefined ? after[k]! : diffValue(before[k]!, after[k]!);
      if (d !== undefined) {
        out[k] = d;
        changed = true;
      }
    }
    for (const k of Object.keys(before)) {
      if (after[k] === undefined) {
        out[k] = null;
        changed = true;
      }
    }
    return changed ? out : undefined;
  }
  return encodeValue(before) === encodeValue(after) ? undefined : after;
}

/** A stored version with its action (ACTION_CREATE, ACTION_UPDATE or ACTION_DELETE). */
interface StoredVersion extends DocVersion {
  action: number;
}

/** A document's versions in ts order (all of them, below the history floor too). */
function docVersions(ctx: EvalContext, coll: SchemaDoc, id: bigint): StoredVersion[] {
  return ctx.txn.store
    .versionsOf(coll.row.oid, id, -9223372036854775808n, 9223372036854775807n, false, Number.MAX_SAFE_INTEGER)
    .map((row) => ({ ts: row.ts, fields: row.body === null || row.action === BigInt(ACTION_DELETE) ? null : decodeFields(row.body), action: Number(row.action) }));
}

/** Where a document's visible history starts: the version live at the floor (the first one when none is). */
function historyStart(versions: readonly StoredVersion[], floor: bigint): number {
  let start = 0;
  while (start + 1 < versions.length && versions[start + 1]!.ts <= floor) start++;
  return start;
}

/** True when the version live at the history floor still shows: a live document whose ttl had not passed by then. */
function showsAtFloor(version: DocVersion, floor: bigint): boolean {
  const ttl = version.fields?.ttl;
  return version.fields !== null && !(ttl instanceof FTime && ttl.micros < floor);
}

/** A document's history: its versions as create/update/delete events with what changed. */
function documentEvents(ctx: EvalContext, ref: Ref, position: (string | number)[]): SetSource {
  const coll = requireCollection(ctx, ref, position);
  const id = documentId(ref, position);
  return eventSource(function* (lo, hi, descending) {
    const versions = docVersions(ctx, coll, id);
    const floor = ctx.txn.historyFloor(coll);
    const events: SetEntry[] = [];
    let previous: Value | undefined;
    for (let i = historyStart(versions, floor); i < versions.length; i++) {
      const v = versions[i]!;
      const current = v.fields?.data;
      if (v.ts <= floor) {
        // The version live at the floor: the document's history starts here, as a create.
        if (showsAtFloor(v, floor)) events.push(eventEntry(v.ts, 'create', ref, dataChange(undefined, current)));
      } else {
        events.push(eventEntry(v.ts, ACTION_NAMES[v.action] ?? 'update', ref, v.fields === null ? null : dataChange(previous, current)));
      }
      previous = current;
    }
    yield* ordered(ctx, events, lo, hi, descending);
  });
}

/** As FaunaDB truncates a set's history: events after the floor, and adds at it. */
function aboveSetFloor(ts: bigint, action: 'add' | 'remove', floor: bigint): boolean {
  return ts > floor || (ts === floor && action === 'add');
}

/**
 * Membership history of Documents(c) or Singleton(ref): an `add` when a
 * document comes to life, a `remove` when it is deleted; updates change nothing.
 */
function membershipEvents(ctx: EvalContext, collection: Ref, id: bigint | null, position: (string | number)[]): SetSource {
  const coll = requireSchema(ctx, collection, position);
  return eventSource(function* (lo, hi, descending) {
    const rows = (
      id === null
        ? ctx.txn.store.db.prepare('SELECT id, ts, action FROM versions WHERE coll = ? ORDER BY id, ts').all(coll.row.oid)
        : ctx.txn.store.db.prepare('SELECT id, ts, action FROM versions WHERE coll = ? AND id = ? ORDER BY ts').all(coll.row.oid, id)
    ) as { id: bigint; ts: bigint; action: bigint }[];
    const events: SetEntry[] = [];
    const floor = ctx.txn.historyFloor(coll);
    let current: bigint | null = null;
    let live = false;
    for (const row of rows) {
      if (row.id !== current) {
        current = row.id;
        live = false;
      }
      const deleted = row.action === BigInt(ACTION_DELETE);
      const ref = new Ref(row.id.toString(), collectionRef(coll.row.name));
      if (!deleted && !live && aboveSetFloor(row.ts, 'add', floor)) events.push(eventEntry(row.ts, 'add', ref, undefined));
      if (deleted && live && aboveSetFloor(row.ts, 'remove', floor)) events.push(eventEntry(row.ts, 'remove', ref, undefined));
      live = !deleted;
    }
    yield* ordered(ctx, events, lo, hi, descending);
  });
}

/** Add/remove events of an index set: current entries (added) and removed ones (added + removed). */
function indexEvents(ctx: EvalContext, set: SetRef, position: (string | number)[]): SetSource {
  const node = set.node;
  // As in FaunaDB, ranges, reversed and filtered sets have no history.
  if (node.kind === 'range' || node.kind === 'reverse' || node.kind === 'filter') throw invalidArgument('Set does not support events history.', position);
  if (node.kind === 'documents') return membershipEvents(ctx, node.collection, null, position);
  if (node.kind === 'singleton') return membershipEvents(ctx, node.ref.collection!, documentId(node.ref, position), position);
  if (node.kind !== 'match') {
    // Other sets: additions of their current members (a conservative history).
    const inner = sourceOf(ctx, set, { atTs: null, position });
    return eventSource(function* (lo, hi, descending) {
      const all: SetEntry[] = [];
      for (const e of inner.scan(null, null, false)) all.push(eventEntry(0n, 'add', e.ref, e.values.length > 0 ? e.values : undefined, e.values));
      yield* ordered(ctx, all, lo, hi, descending);
    });
  }
  const def = indexDef(requireIndex(ctx, node.index, position));
  const prefix = termsKey(node.terms);
  const data = (vals: string, ref: Ref): { data: Value | undefined; values: Value[] } => {
    const values = decodeEntryValues(vals, () => ref, def.valueIsOwnRef);
    return { data: values.length > 0 ? values : undefined, values };
  };
  return eventSource(function* (lo, hi, descending) {
    const store = ctx.txn.store;
    const collName = (oid: bigint): Ref => collectionRef(ctx.txn.getSchemaByOid(oid)?.row.name ?? String(oid));
    const floorOf = (oid: bigint): bigint => {
      const coll = ctx.txn.getSchemaByOid(oid);
      return coll === null ? -9223372036854775808n : ctx.txn.historyFloor(coll);
    };
    const events: SetEntry[] = [];
    const push = (ts: bigint, action: 'add' | 'remove', coll: bigint, ref: Ref, d: { data: Value | undefined; values: Value[] }): void => {
      if (aboveSetFloor(ts, action, floorOf(coll))) events.push(eventEntry(ts, action, ref, d.data, d.values));
    };
    const current = store.db.prepare('SELECT key, coll, id, vals, ts FROM index_entries WHERE idx = ? AND substr(key, 1, ?) = ?').all(def.oid, prefix.length, prefix) as { coll: bigint; id: bigint; vals: string; ts: bigint }[];
    for (const r of current) {
      const ref = new Ref(r.id.toString(), collName(r.coll));
      push(r.ts, 'add', r.coll, ref, data(r.vals, ref));
    }
    const past = store.db.prepare('SELECT coll, id, vals, added, removed FROM index_history WHERE idx = ? AND substr(key, 1, ?) = ?').all(def.oid, prefix.length, prefix) as { coll: bigint; id: bigint; vals: string; added: bigint; removed: bigint }[];
    for (const r of past) {
      const ref = new Ref(r.id.toString(), collName(r.coll));
      const d = data(r.vals, ref);
      push(r.added, 'add', r.coll, ref, d);
      push(r.removed, 'remove', r.coll, ref, d);
    }
    yield* ordered(ctx, events, lo, hi, descending);
  });
}

/** Read at a past time (At, Paginate's `ts`), a history ends with the events of that time. */
function asOf(source: SetSource, readTs: bigint | null): SetSource {
  if (readTs === null) return source;
  return throughScan(source, function* (lo, hi, descending) {
    for (const e of source.scan(lo, hi, descending)) {
      const event = e.values[0];
      if (isObject(event) && typeof event.ts === 'bigint' && event.ts > readTs) continue;
      yield e;
    }
  });
}

defineSetKind('events', (ctx, node, options) => {
  const source = node.source;
  const readTs = options.atTs ?? ctx.readTs;
  if (source instanceof Ref && !source.isNative) return asOf(documentEvents(ctx, source, options.position), readTs);
  const set = source instanceof Ref ? new SetRef({ kind: 'native', native: source }) : source;
  if (set.node.kind === 'events') throw invalidArgument('Set does not support events history.', options.position);
  return asOf(indexEvents(ctx, set, options.position), readTs);
});

defineFunction({
  keys: ['events'],
  impl(_ctx, [target], site) {
    if (target instanceof Ref || target instanceof SetRef) {
      // Reported at the Events form itself, as the server does.
      if (target instanceof SetRef && target.node.kind === 'events') throw invalidArgument('Set does not support events history.', site.position);
      return new SetRef({ kind: 'events', source: target });
    }
    throw invalidArgument(`Ref or Set expected, ${typeName(target)} provided.`, site.at('events'));
  },
});

// --- Insert / Remove -----------------------------------------------------------------

/**
 * Applies a history edit to a document (`edit` returns false when it changed
 * nothing) and makes what derives from its versions agree: the index entries,
 * current and past, rebuilt from the edited versions (so that At over an
 * index sees what At over the document sees), and the live set. The edit is
 * recorded for the ledger as what it did to the document's current state: a
 * create when the document came to life, a delete when it is gone (or never
 * was), else an update, with the current data before and after (so that
 * replaying the ledger gives the same documents).
 */
function editHistory(ctx: EvalContext, coll: SchemaDoc, id: bigint, edit: () => boolean): void {
  const before = ctx.txn.getDoc(coll, id);
  const indexes = indexesOf(ctx, coll);
  const ref = new Ref(id.toString(), collectionRef(coll.row.name));
  const old = indexes.length === 0 ? [] : docVersions(ctx, coll, id);
  const staleKeys = indexes.map((def) => versionKeys(ctx, def, ref, old));
  if (!edit()) return;
  ctx.txn.forgetDoc(coll, id);
  const versions = indexes.length === 0 ? [] : docVersions(ctx, coll, id);
  indexes.forEach((def, i) => rebuildDocEntries(ctx.txn, ctx, def, coll, id, versions, staleKeys[i]!.values()));
  const after = ctx.txn.getDoc(coll, id);
  ctx.txn.store.setLive(coll.row.oid, id, after !== null);
  const action = after === null ? 'delete' : before === null ? 'create' : 'update';
  ctx.txn.writes.push({ db: coll.row.db, collection: coll.row.name, id: id.toString(), action, before: before?.fields ?? null, after: after?.fields ?? null });
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
    validateUserFields(ctx, fields, site.position);
    // An inserted version is a version of the collection's documents like any other: it meets the constraints.
    if (action !== 'delete') checkConstraints(ctx, coll, ref, fields, site.position, ts);
    editHistory(ctx, coll, id, () => {
      ctx.txn.store.putVersion(coll.row.oid, id, ts, ACTION_CODES[action]!, action === 'delete' ? null : encodeFields(fields));
      return true;
    });
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
    // Removing an event that is not there changes nothing (and leaves no ledger entry).
    editHistory(ctx, coll, id, () => ctx.txn.store.db.prepare('DELETE FROM versions WHERE coll = ? AND id = ? AND ts = ?').run(coll.row.oid, id, ts).changes > 0);
    return null;
  },
});
