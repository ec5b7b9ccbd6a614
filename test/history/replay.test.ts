/**
 * The ledger is a complete record (issue 6): a mixed workload on the sample
 * store — creates with generated and chosen ids, updates with nested merges
 * and null removal, replaces, deletes, grouped writes, schema creates and
 * changes, a collection dropped with its index, submit_order calls (some
 * refused), shipping, restocking, history edits (Insert/Remove) and failed
 * transactions — then the whole ledger, read page by page with
 * Paginate(Ledger()), is applied in order to an empty database:
 * CreateCollection/CreateIndex/CreateFunction with the recorded fields,
 * Create(Ref(coll, id), {data}) for creates, Replace for updates, Delete for
 * deletes, one transaction per entry. Both databases then hold the same
 * documents (ids and data), the same schema and the same index contents, and
 * the copy's own ledger records the same writes.
 *
 * STOCKROOM_SEED=n replays a run; STOCKROOM_SOAK=1 runs ten times more operations.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { provisionSampleStore } from '../../electron/sample/sample-store.js';
import { toWire } from '../../electron/engine/wire/encode.js';
import { stringifyJson, type Json } from '../../shared/fql/json.js';
import { fqlExpr, Rng } from '../jepsen/conn.js';
import { memoryEngine } from '../helpers/engine.js';
import { allDocuments, assertSameDocuments, canonical, collectionNames, fql, int, wholeLedger } from './helpers.js';

const seed = process.env.STOCKROOM_SEED ? Number(process.env.STOCKROOM_SEED) : Math.floor(Math.random() * 0x7fffffff);
const OPS = process.env.STOCKROOM_SOAK === '1' ? 3000 : 300;

type WireRef = { '@ref': { id: string; collection?: WireRef } };

/** The entries of Paginate(Ledger()), oldest first, read in pages of `size` following the after cursors. */
function ledgerPages(engine: Engine, size: number): { entries: Json[]; pages: number } {
  const entries: Json[] = [];
  let after: Json | undefined;
  let pages = 0;
  for (;;) {
    const expr = { paginate: { ledger: null }, size: BigInt(size), ...(after !== undefined ? { after: { quote: after } } : {}) } as unknown as Json;
    const r = engine.query(expr);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.description}`);
    const page = r.resource as { data: Json[]; after?: Json };
    pages++;
    entries.push(...page.data);
    if (page.after === undefined) return { entries, pages };
    after = page.after;
  }
}

/** A wire literal as an expression. */
const quote = (v: Json): Json => ({ quote: v }) as unknown as Json;

/** True for refs to schema documents (collections, indexes, functions, ...): their collection is a native one. */
function isSchemaRef(ref: WireRef): boolean {
  return ref['@ref'].collection?.['@ref'].collection === undefined;
}

const CREATE_FORM: Record<string, string> = { collections: 'create_collection', indexes: 'create_index', functions: 'create_function', roles: 'create_role' };

/** The wire expression that applies one ledger write to another database. */
function replayWrite(w: { document: WireRef; action: string; data: Json }): Json {
  const ref = w.document as unknown as Json;
  if (w.action === 'delete') return { delete: ref } as unknown as Json;
  if (isSchemaRef(w.document)) {
    const kind = w.document['@ref'].collection!['@ref'].id;
    if (w.action === 'create') return { [CREATE_FORM[kind]!]: quote(w.data) } as unknown as Json;
    return { replace: ref, params: quote(w.data) } as unknown as Json;
  }
  const params = { object: { data: quote(w.data) } };
  return (w.action === 'create' ? { create: ref, params } : { replace: ref, params }) as unknown as Json;
}

/** What a ledger entry says, without its ts, origin and query (for comparing the copy's ledger with the original's). */
function writesOf(entry: Json): string {
  return canonical((entry as { writes: Json }).writes);
}

/** Schema documents of a kind, without ref and ts, by name. */
function schemaDocs(engine: Engine, native: string): Map<string, string> {
  const page = fql(engine, `Map(Paginate(${native}(), {size: 100000}), Lambda("r", Get(Var("r"))))`) as { data: Record<string, Json>[] };
  return new Map(page.data.map(({ ref, ts: _ts, ...rest }) => [(ref as unknown as WireRef)['@ref'].id, canonical(rest)]));
}

/** The contents of every index, read through Match (term-less indexes) and the index verifier (all). */
function indexContents(engine: Engine): Map<string, string> {
  const out = new Map<string, string>();
  const page = fql(engine, 'Map(Paginate(Indexes(), {size: 100000}), Lambda("r", Get(Var("r"))))') as { data: { name: string; terms?: Json }[] };
  for (const idx of page.data) {
    if (idx.terms !== undefined) continue;
    out.set(idx.name, stringifyJson(fql(engine, `Paginate(Match(Index(${JSON.stringify(idx.name)})), {size: 100000})`)));
  }
  return out;
}

// --- the workload -------------------------------------------------------------------

interface Tally {
  committed: number;
  refused: number;
  readOnly: number;
  byKind: Record<string, number>;
}

class Workload {
  readonly tally: Tally = { committed: 0, refused: 0, readOnly: 0, byKind: {} };
  private nextNote = 1;
  private nextSchema = 1;
  private tagsAlive = false;

  constructor(
    private readonly engine: Engine,
    private readonly rng: Rng,
    /**
     * Insert/Remove rewrite the past, and dropping a collection erases its
     * documents' history (and At does not read schema as it was), so with
     * either a prefix of the ledger no longer matches At(its ts): off for that test.
     */
    private readonly rewritesPast = true,
  ) {}

  /** Runs one statement; counts it as committed (a ledger entry), refused or read-only. */
  private run(kind: string, text: string, expect: 'write' | 'maybe' | 'refused' = 'write'): Json | null {
    const r = this.engine.query(fqlExpr(text), { origin: 'workload', summary: kind });
    this.tally.byKind[kind] = (this.tally.byKind[kind] ?? 0) + 1;
    if (!r.ok) {
      assert.ok(expect !== 'write', `seed ${seed}: ${kind} failed: ${r.error.code}: ${r.error.description}\n${text}`);
      this.tally.refused++;
      return null;
    }
    assert.ok(expect !== 'refused', `seed ${seed}: ${kind} should have been refused\n${text}`);
    if (r.writes.length > 0) this.tally.committed++;
    else this.tally.readOnly++;
    return r.resource;
  }

  private ids(collection: string): string[] {
    const page = fql(this.engine, `Map(Paginate(Documents(Collection(${JSON.stringify(collection)})), {size: 100000}), Lambda("r", Select("id", Var("r"))))`) as { data: Json[] };
    return page.data.map(String);
  }

  private value(depth = 0): string {
    const r = this.rng.next();
    if (r < 0.25) return String(this.rng.int(-50, 1000));
    if (r < 0.4) return `${this.rng.int(0, 99)}.${this.rng.int(1, 9)}`;
    if (r < 0.55) return JSON.stringify(this.rng.pick(['alpha', 'beta', 'gamma', 'ünïcode ✓', '', 'a "quoted" word']));
    if (r < 0.62) return this.rng.pick(['true', 'false']);
    if (r < 0.68) return 'Time("2024-05-06T07:08:09.123456Z")';
    if (r < 0.72) return 'Ref(Collection("stores"), "301")';
    if (r < 0.85 && depth < 2) return `[${Array.from({ length: this.rng.int(0, 3) }, () => (this.rng.next() < 0.2 ? 'null' : this.value(depth + 1))).join(', ')}]`;
    if (depth < 2) return this.object(depth + 1);
    return '0';
  }

  private object(depth: number, nulls = 0.15): string {
    const keys = this.rng.shuffle(['a', 'b', 'c', 'title', 'meta', 'n', 'list', 'x.y']).slice(0, this.rng.int(1, 5));
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${this.rng.next() < nulls ? 'null' : this.value(depth)}`).join(', ')}}`;
  }

  private note(): string | null {
    const ids = this.ids('notes');
    return ids.length === 0 ? null : `Ref(Collection("notes"), ${JSON.stringify(this.rng.pick(ids))})`;
  }

  setup(): void {
    this.run('schema', 'CreateCollection({name: "notes", history_days: 3, data: {purpose: "replay"}})');
    this.run('schema', 'CreateIndex({name: "notes_by_n", source: Collection("notes"), values: [{field: ["data", "n"]}, {field: ["ref"]}]})');
  }

  step(): void {
    const r = this.rng.next();
    if (r < 0.22) {
      const target = this.rng.next() < 0.5 ? `Ref(Collection("notes"), "${this.nextNote++}")` : 'Collection("notes")';
      this.run('create', `Create(${target}, {data: ${this.object(0)}})`);
    } else if (r < 0.4) {
      const ref = this.note();
      if (ref) this.run('update', `Update(${ref}, {data: ${this.object(0, 0.35)}})`);
    } else if (r < 0.44) {
      const ref = this.note();
      if (ref) this.run('replace', `Replace(${ref}, {data: ${this.object(0)}})`);
    } else if (r < 0.5) {
      const ref = this.note();
      if (ref) this.run('delete', `Delete(${ref})`);
    } else if (r < 0.63) {
      const products = this.rng.shuffle(['201', '202', '203', '204', '205', '206', '207', '208', '209']).slice(0, this.rng.int(1, 3));
      const lines = products.map((p) => `{productId: "${p}", quantity: ${this.rng.int(1, 25)}}`).join(', ');
      this.run('submit_order', `Call("submit_order", "${this.rng.pick(['101', '102', '103'])}", [${lines}])`, 'maybe');
    } else if (r < 0.67) {
      const p = this.rng.pick(['201', '202', '203', '206', '207', '209']);
      this.run('restock', `Let({p: Get(Ref(Collection("products"), "${p}"))}, Update(Select("ref", Var("p")), {data: {quantity: Add(Select(["data", "quantity"], Var("p")), ${this.rng.int(1, 40)}), backordered: false}}))`);
    } else if (r < 0.7) {
      const orders = this.ids('orders');
      if (orders.length > 0) this.run('ship', `Update(Ref(Collection("orders"), "${this.rng.pick(orders)}"), {data: {status: "shipped", shipDate: Now()}})`);
    } else if (r < 0.76) {
      const a = this.nextNote++;
      const other = this.note();
      const parts = [`Create(Ref(Collection("notes"), "${a}"), {data: ${this.object(0)}})`, `Update(Ref(Collection("notes"), "${a}"), {data: ${this.object(0, 0.4)}})`];
      if (other) parts.push(`Update(${other}, {data: {meta: {grouped: true}, a: null}})`);
      if (this.rng.next() < 0.5) parts.push(`Delete(Ref(Collection("notes"), "${a}"))`);
      this.run('grouped', `Do(${parts.join(', ')})`);
    } else if (r < 0.8) {
      // Refused: a constraint violated in a group, or an Abort after writes.
      const ref = this.note();
      const text =
        this.rng.next() < 0.5
          ? `Do(${ref ? `Update(${ref}, {data: {refused: true}}), ` : ''}Update(Ref(Collection("products"), "201"), {data: {quantity: -1}}))`
          : `Do(Create(Collection("notes"), {data: {refused: true}}), Abort("no"))`;
      this.run('refused', text, 'refused');
    } else if (r < 0.84) {
      this.schemaStep();
    } else if (r < 0.92 && this.rewritesPast) {
      this.historyEdit();
    } else {
      this.run('read', `Count(Documents(Collection("notes")))`);
    }
  }

  private schemaStep(): void {
    const n = this.nextSchema++;
    const r = this.rng.next();
    if (r < 0.25) this.run('schema', `CreateIndex({name: "notes_by_a_${n}", source: Collection("notes"), terms: [{field: ["data", "a"]}], values: [{field: ["data", "title"]}]})`);
    else if (r < 0.45) this.run('schema', `CreateFunction({name: "f_${n}", body: Query(Lambda("x", Add(Var("x"), ${n}))), data: {n: ${n}}})`);
    else if (r < 0.65) this.run('schema', `Update(Collection("notes"), {data: {rev: ${n}, purpose: ${this.rng.next() < 0.5 ? 'null' : '"replay"'}}})`);
    else if (!this.rewritesPast) this.run('schema', `CreateFunction({name: "g_${n}", body: Query(Lambda("x", Var("x")))})`);
    else if (!this.tagsAlive) {
      this.run('schema', `Do(CreateCollection({name: "tags", constraints: {schema: {required: ["label"]}}}), CreateIndex({name: "tags_by_label", source: Collection("tags"), values: [{field: ["data", "label"]}]}))`);
      this.run('create', `Do(Create(Ref(Collection("tags"), "1"), {data: {label: "x"}}), Create(Collection("tags"), {data: {label: "y"}}))`);
      this.tagsAlive = true;
    } else {
      this.run('schema', 'Delete(Collection("tags"))');
      this.tagsAlive = false;
    }
  }

  /** Insert/Remove on a live note: an old version, a new current version, or removing the newest version. */
  private historyEdit(): void {
    const ref = this.note();
    if (!ref) return;
    const r = this.rng.next();
    if (r < 0.4) {
      const first = int(fql(this.engine, `Select(["data", 0, "ts"], Paginate(Events(${ref})))`));
      this.run('insert-old', `Insert(${ref}, ${first + BigInt(this.rng.int(1, 50))}, "update", {data: ${this.object(0)}})`);
    } else if (r < 0.7) {
      this.run('insert-now', `Insert(${ref}, Now(), "${this.rng.next() < 0.8 ? 'update' : 'delete'}", {data: ${this.object(0)}})`);
    } else {
      this.run('remove', `Remove(${ref}, Select("ts", Get(${ref})), "update")`);
    }
  }
}

describe(`ledger replay (seed ${seed}; replay with STOCKROOM_SEED=${seed})`, () => {
  test(`${OPS} mixed operations, replayed from the ledger into an empty database, give the same documents`, (t) => {
    const original = memoryEngine();
    const copy = memoryEngine();
    try {
      const provisioned = provisionSampleStore(original);
      assert.ok(provisioned.ok);
      const w = new Workload(original, new Rng(seed));
      w.setup();
      for (let i = 0; i < OPS; i++) w.step();

      // The ledger holds exactly the committed transactions: the sample store plus each committed write.
      const records = wholeLedger(original);
      assert.equal(records.length, 1 + w.tally.committed, `seed ${seed}: ledger entries vs committed transactions ${JSON.stringify(w.tally)}`);
      assert.ok(w.tally.refused > 0 && w.tally.byKind.submit_order! > 0 && w.tally.byKind.grouped! > 0, JSON.stringify(w.tally));

      // Ledger() read in pages agrees with readLedger, entry by entry.
      const { entries, pages } = ledgerPages(original, 7);
      assert.ok(pages > 1);
      assert.equal(entries.length, records.length);
      entries.forEach((e, i) => {
        const rec = records[i]!;
        const entry = e as { ts: Json; query: Json; origin: Json; writes: { document: WireRef; action: string; data: Json }[] };
        assert.equal(entry.ts, rec.ts);
        assert.equal(entry.query, rec.query);
        assert.equal(entry.origin, rec.origin);
        assert.equal(entry.writes.length, rec.writes.length);
        entry.writes.forEach((wr, j) => {
          const lw = rec.writes[j]!;
          assert.equal(wr.document['@ref'].id, lw.id);
          assert.equal(wr.action, lw.action);
          const want = lw.after === null ? null : isSchemaRef(wr.document) ? toWire(lw.after) : toWire(lw.after.data ?? {});
          assert.equal(canonical(wr.data), canonical(want as Json), `entry ${i} write ${j}`);
        });
      });

      // Apply every entry, in order, one transaction each.
      let applied = 0;
      for (const [i, e] of entries.entries()) {
        const writes = (e as { writes: { document: WireRef; action: string; data: Json }[] }).writes;
        const expr = { do: [...writes.map(replayWrite), null] } as unknown as Json;
        const r = copy.query(expr, { origin: 'replay', summary: String(i) });
        assert.ok(r.ok, `seed ${seed}: replaying entry ${i} (${(e as { query: string }).query}) failed: ${r.ok ? '' : `${r.error.code}: ${r.error.description} at ${JSON.stringify(r.error.position)}`}`);
        applied += writes.length;
      }

      // Same documents (ids and data), same schema, same index contents.
      assert.deepEqual(collectionNames(copy), collectionNames(original));
      const docs = allDocuments(original);
      assertSameDocuments(allDocuments(copy), docs, `seed ${seed}`);
      for (const native of ['Collections', 'Functions']) assert.deepEqual(schemaDocs(copy, native), schemaDocs(original, native), `${native}, seed ${seed}`);
      const indexes = (m: Map<string, string>): Map<string, string> => new Map([...m].map(([k, v]) => [k, v.replace(/"active":(true|false),?/, '')]));
      assert.deepEqual(indexes(schemaDocs(copy, 'Indexes')), indexes(schemaDocs(original, 'Indexes')), `indexes, seed ${seed}`);
      assert.deepEqual(indexContents(copy), indexContents(original), `index contents, seed ${seed}`);
      const verify = verifyDatabase(copy);
      assert.ok(verify.ok, verify.problems.join('\n'));

      // The copy's own ledger records the same writes, entry for entry.
      const copied = ledgerPages(copy, 50).entries;
      assert.equal(copied.length, entries.length);
      copied.forEach((e, i) => assert.equal(writesOf(e), writesOf(entries[i]!), `seed ${seed}: entry ${i} of the copy's ledger`));

      t.diagnostic(`seed ${seed}: ${records.length} ledger entries, ${applied} writes replayed, ${docs.size} documents; ${JSON.stringify(w.tally)}`);
    } finally {
      original.close();
      copy.close();
    }
  });

  test('a replay of only a prefix of the ledger gives the database as it was then (At the entry ts)', () => {
    const original = memoryEngine();
    const copy = memoryEngine();
    try {
      assert.ok(provisionSampleStore(original).ok);
      const w = new Workload(original, new Rng(seed ^ 0x5bd1e995), false);
      w.setup();
      for (let i = 0; i < 120; i++) w.step();
      const { entries } = ledgerPages(original, 100);
      const cut = Math.floor(entries.length / 2);
      for (const e of entries.slice(0, cut)) {
        const r = copy.query({ do: [...(e as { writes: never[] }).writes.map(replayWrite), null] } as unknown as Json);
        assert.ok(r.ok, r.ok ? '' : r.error.description);
      }
      // The original as of the cut: every document read At the last replayed entry's ts.
      const at = (entries[cut - 1] as { ts: bigint }).ts;
      const past = new Map<string, string>();
      const names = fql(original, `At(${at}, Map(Paginate(Collections(), {size: 1000}), Lambda("c", Select("id", Var("c")))))`) as { data: string[] };
      for (const name of names.data) {
        const page = fql(original, `At(${at}, Map(Paginate(Documents(Collection(${JSON.stringify(name)})), {size: 100000}), Lambda("r", Get(Var("r")))))`) as { data: Record<string, Json>[] };
        for (const { ref, ts: _ts, ...rest } of page.data) past.set(`${name}/${(ref as unknown as WireRef)['@ref'].id}`, canonical(rest));
      }
      assertSameDocuments(allDocuments(copy), past, `seed ${seed}: prefix of ${cut} entries`);
    } finally {
      original.close();
      copy.close();
    }
  });
});
