/**
 * Match: the set of an index's entries for given terms, read lazily as range
 * scans over the order-preserving keys. Under At, current entries and
 * entries since removed are merged to give the index as it was.
 */
import { FaunaError, invalidArgument, invalidRef, type Position } from '../../errors.js';
import { decodeEntryValues, entryValuesFromParsed } from '../../storage/codec.js';
import { encodeKey, prefixEnd } from '../../storage/keys.js';
import type { EntryRow } from '../../storage/store.js';
import { Ref, SetRef, collectionRef, schemaRef, type Value } from '../../values/value.js';
import { typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction, type Site } from '../registry.js';
import { databaseOid } from '../resolve.js';
import { defineSetKind, type SetEntry, type SetSource } from '../sets/source.js';
import { entryKeyTuple, indexDef, type IndexDef } from './definition.js';
import { termsKey } from './entries.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';

const BATCH = 256;
const MAX_BATCH = 100_001;

function indexRef(v: Value | undefined, position: Position): Ref {
  if (typeof v === 'string') return schemaRef('indexes', v);
  if (v instanceof Ref && v.schemaKind === 'indexes') return v;
  throw invalidArgument(`Index Ref expected, ${typeName(v)} provided.`, position);
}

export function requireIndex(ctx: EvalContext, ref: Ref, position: Position): SchemaDoc {
  const db = databaseOid(ctx, ref.collection!.database, position);
  const doc = ctx.txn.getSchema('indexes', ref.id, db);
  if (doc === null) throw invalidRef(`Ref refers to undefined index '${ref.id}'`, position);
  return doc;
}

/**
 * As in FaunaDB, an index ref that does not resolve is reported where the
 * ref was given, while an unknown index *name* (a string), and an inactive
 * index, are reported at `index` below the Match form, whichever form was used.
 */
function matchSet(ctx: EvalContext, index: Value | undefined, terms: Value | undefined, site: Site, indexKey: string): SetRef {
  const ref = indexRef(index, site.at(indexKey));
  const doc = requireIndex(ctx, ref, typeof index === 'string' ? site.at('index') : site.at(indexKey));
  if (doc.fields.active !== true) throw new FaunaError('instance not found', `Index '${ref.id}' is not active.`, site.at('index'));
  const list = terms === undefined ? [] : Array.isArray(terms) ? terms : [terms];
  return new SetRef({ kind: 'match', index: ref, terms: list });
}

// Match and Join only describe sets (nothing is read until paginated): pure, as in
// FaunaDB, so a Join target lambda may use Match.
defineFunction({
  keys: ['match'],
  optional: ['terms'],
  impl: (ctx, [index, terms], site) => matchSet(ctx, index, terms, site, 'match'),
});

defineFunction({
  keys: ['match', 'index'],
  impl: (ctx, [terms, index], site) => matchSet(ctx, index, terms, site, 'index'),
});

function collRefCache(ctx: EvalContext): (oid: bigint | number) => Ref {
  let cache: Map<number, Ref> | undefined; // made on first use: most reads know their collection
  return (oid) => {
    cache ??= new Map();
    let ref = cache.get(Number(oid));
    if (ref === undefined) {
      const doc = ctx.txn.getSchemaByOid(BigInt(oid));
      ref = collectionRef(doc === null ? String(oid) : doc.row.name);
      cache.set(Number(oid), ref);
    }
    return ref;
  };
}

/**
 * An entry read in a batch. Its order key (entryKeyTuple: values then ref,
 * in the index's key space below the terms) is the stored key without the
 * terms prefix; it is encoded again only when a reader asks for it (set
 * combinators), which Paginate, Count and most reads never do.
 */
class MatchEntry implements SetEntry {
  private encoded: Buffer | undefined;
  constructor(
    readonly values: Value[],
    readonly ref: Ref,
    private readonly def: IndexDef,
    private readonly reverse: readonly boolean[],
  ) {}

  get key(): Buffer {
    if (this.encoded === undefined) this.encoded = encodeKey(entryKeyTuple(this.def, this.values, this.ref), this.reverse);
    return this.encoded;
  }
}

/**
 * A cursor tuple in an index's key space. A full cursor is the values and
 * the ref; where the key does not repeat the ref (keyEndsWithRef) neither
 * does the cursor's key. Shorter tuples are prefixes and encode as they are.
 */
function cursorKey(def: IndexDef, tuple: Value[], reverse: readonly boolean[]): Buffer {
  return encodeKey(def.keyEndsWithRef && tuple.length === def.values.length + 1 ? tuple.slice(0, -1) : tuple, reverse);
}

/** The collection ref of an index whose entries all come from one collection (null otherwise). */
function singleSourceCollection(ctx: EvalContext, def: IndexDef): Ref | null {
  if (def.sources.length !== 1 || def.sources[0]!.collection === '_') return null;
  const coll = ctx.txn.getSchema('collections', def.sources[0]!.collection, def.db);
  return coll === null || def.db !== 0n ? null : collectionRef(coll.row.name);
}

/** Reads the entries of an index under a key prefix (the encoded terms). */
export function indexSource(ctx: EvalContext, def: IndexDef, terms: Value[], atTs: bigint | null): SetSource {
  const termsMatch = terms.length === def.terms.length;
  const prefix = termsKey(terms);
  const prefixHi = prefixEnd(prefix);
  const valueReverse = def.keyReverse.slice(def.terms.length);
  const collOf = collRefCache(ctx);
  const onlyColl = singleSourceCollection(ctx, def);
  const historical = atTs !== null && atTs < ctx.txnTs;
  const toEntry = (row: EntryRow): SetEntry => {
    const ref = new Ref(row.id.toString(), collOf(row.coll));
    return { key: row.key.subarray(prefix.length), values: decodeEntryValues(row.vals, () => ref, def.valueIsOwnRef), ref };
  };
  const ownRef = def.valueIsOwnRef;
  /** Entries with from <= key < to, one array per read, the first read of `first` entries. */
  function* batches(from: Buffer, to: Buffer | null, descending: boolean, first: number): Generator<MatchEntry[]> {
    // The first read is what the reader expects to take; a reader that goes on gets larger reads.
    for (let size = first; ; size = Math.min(Math.max(size * 2, BATCH), MAX_BATCH)) {
      const read = ctx.txn.store.scanEntryBatch(def.oid, from, to, descending, size, onlyColl === null);
      if (read === null) return;
      // Parsed, not split: a string split from a long text may keep the whole text alive
      // (V8 slices it), and a page's refs outlive the read.
      const ids = JSON.parse(`[${read.ids}]`) as string[];
      const vals = JSON.parse(`[${read.vals}]`) as unknown[];
      const colls = read.colls === null ? null : (JSON.parse(`[${read.colls}]`) as number[]);
      const entries = new Array<MatchEntry>(ids.length);
      for (let i = 0; i < ids.length; i++) {
        ctx.tick();
        const ref = new Ref(ids[i]!, colls === null ? onlyColl! : collOf(colls[i]!));
        entries[i] = new MatchEntry(entryValuesFromParsed(vals[i], ref, ownRef), ref, def, valueReverse);
      }
      yield entries;
      if (ids.length < size) return;
      // Continue after the last entry: its key is the stored key without the terms prefix.
      const last = Buffer.concat([prefix, entries[entries.length - 1]!.key]);
      if (descending) to = last;
      else from = Buffer.concat([last, Buffer.from([0])]);
    }
  }
  const bounds = (lo: Buffer | null, hi: Buffer | null): [Buffer, Buffer | null] => [lo === null ? prefix : Buffer.concat([prefix, lo]), hi === null ? prefixHi : Buffer.concat([prefix, hi])];
  // A reader that says how many it wants (Paginate) gets them in one query.
  const batchFor = (wanted: number | undefined): number => (wanted === undefined ? BATCH : Math.min(Math.max(wanted, 1), MAX_BATCH));
  return {
    arity: def.values.length,
    reversed: [...def.values.map((v) => v.reverse), false],
    keyOf: (tuple: Value[]) => cursorKey(def, tuple, valueReverse),
    // Now (not under At) the entries under the terms are the index's current rows in that key range.
    ...(historical ? {} : { count: () => (termsMatch ? ctx.txn.store.countEntries(def.oid, prefix, prefixHi) : 0) }),
    *scan(lo, hi, descending, hint): Iterable<SetEntry> {
      if (!termsMatch) return;
      const [from, to] = bounds(lo, hi);
      if (historical) {
        yield* historicalScan(ctx, def, from, to, descending, atTs, toEntry);
        return;
      }
      for (const entries of batches(from, to, descending, batchFor(hint))) yield* entries;
    },
    take(lo, hi, descending, n): SetEntry[] {
      const out: SetEntry[] = [];
      if (!termsMatch || n <= 0) return out;
      const [from, to] = bounds(lo, hi);
      const read = historical ? [historicalScan(ctx, def, from, to, descending, atTs, toEntry)] : batches(from, to, descending, batchFor(n));
      for (const entries of read) {
        for (const e of entries) {
          out.push(e);
          if (out.length >= n) return out;
        }
      }
      return out;
    },
  };
}

/** The collections an index's entries come from (every collection of its database for `_`). */
export function indexCollections(ctx: EvalContext, def: IndexDef): SchemaDoc[] {
  return ctx.txn.listSchema('collections', def.db).filter((c) => def.sources.some((s) => s.collection === '_' || s.collection === c.row.name));
}

/**
 * Entries live at `ts`: current ones added by then, and removed ones live
 * then, merged in key order. A `ts` below the history floor of a source
 * collection is refused, as FaunaDB does.
 */
function* historicalScan(ctx: EvalContext, def: IndexDef, from: Buffer, to: Buffer | null, descending: boolean, ts: bigint, toEntry: (row: EntryRow) => SetEntry): Iterable<SetEntry> {
  ctx.txn.checkReadTime(indexCollections(ctx, def), ts);
  const store = ctx.txn.store;
  const current = store.scanEntries(def.oid, from, to, descending, Number.MAX_SAFE_INTEGER).filter((r) => r.ts <= ts);
  const past = (
    store.db
      .prepare(`SELECT key, coll, id, vals, added AS ts FROM index_history WHERE idx = ? AND key >= ? ${to === null ? '' : 'AND key < ?'} AND added <= ? AND removed > ?`)
      .all(...(to === null ? [def.oid, from, ts, ts] : [def.oid, from, to, ts, ts])) as EntryRow[]
  );
  const all = [...current, ...past].sort((a, b) => (descending ? -1 : 1) * Buffer.compare(a.key, b.key));
  let previous: Buffer | null = null;
  for (const row of all) {
    if (previous !== null && Buffer.compare(previous, row.key) === 0) continue;
    previous = row.key;
    ctx.tick();
    yield toEntry(row);
  }
}

defineSetKind('match', (ctx, node, options) => {
  const doc = requireIndex(ctx, node.index, options.position);
  return indexSource(ctx, indexDef(doc), node.terms, options.atTs);
});
