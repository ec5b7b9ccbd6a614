/**
 * History retention (issue 6): a collection's `history_days` bounds how far
 * back its documents can be read. The floor is `history_days` and 15 minutes
 * before the transaction (FaunaDB's MVT offset; so with `history_days: 0` the
 * last 15 minutes stay readable). Reads below it are refused with `bad
 * request`; history (events) below it is not shown, the version live at the
 * floor showing as the document's create. `Engine.trimHistoryStep()` removes
 * versions older than the floor in short transactions of their own, keeping
 * the version that was live at the floor and everything newer, which changes
 * no answer. Old versions are made with Insert at past timestamps.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, beforeEach, afterEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { parseInstant } from '../../electron/engine/values/time.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import type { Json } from '../../shared/fql/json.js';
import { Child } from '../helpers/child.js';
import { fqlExpr } from '../jepsen/conn.js';
import { now } from '../jepsen/history.js';
import { memoryEngine } from '../helpers/engine.js';
import { allDocuments, assertJson, fql, fqlError, int, wholeLedger } from './helpers.js';

/** µs since the epoch of an ISO instant in an error message. */
const isoMicros = (text: string): bigint => parseInstant(text)! / 1000n;

const here = dirname(fileURLToPath(import.meta.url));
const DAY = 86_400_000_000n;
const MINUTE = 60_000_000n;
const FLOOR_MESSAGE = /^Requested timestamp (\S+) less than minimum allowed timestamp (\S+)\.$/;
const R = (id: string): string => `Ref(Collection("c"), "${id}")`;

/** [ts, action, data] of every event of a document. */
function events(engine: Engine, ref: string): [bigint, string, Json][] {
  const page = fql(engine, `Map(Paginate(Events(${ref}), {size: 100000}), Lambda("e", [Select("ts", Var("e")), Select("action", Var("e")), Select("data", Var("e"))]))`) as { data: [bigint, string, Json][] };
  return page.data;
}

function versionCount(engine: Engine): number {
  return Number(engine.db.prepare('SELECT count(*) FROM versions').pluck().get());
}

/** Reads `ref` at `ts`: its data, or the error code. */
function dataAt(engine: Engine, ref: string, ts: bigint): Json {
  const r = engine.query({ at: ts, expr: { select: ['data'], from: { get: { quote: { '@ref': { id: ref.match(/"(\d+)"\)$/)![1]!, collection: { '@ref': { id: 'c', collection: { '@ref': { id: 'collections' } } } } } } } } } } as unknown as Json);
  return r.ok ? r.resource : r.error.code;
}

/** The floor a read below it reports ("minimum allowed timestamp Y"), checking the rest of the message. */
function floorOfRefusal(engine: Engine, ref: string, ts: bigint): bigint {
  const err = fqlError(engine, `At(${ts}, Get(${ref}))`);
  assert.equal(err.code, 'bad request', err.description);
  assert.equal(err.position, undefined);
  const m = FLOOR_MESSAGE.exec(err.description);
  assert.ok(m !== null, err.description);
  assert.equal(isoMicros(m[1]!), ts);
  return isoMicros(m[2]!);
}

/** Runs the trimming until it says it is done; returns the number of steps. */
function trimAll(engine: Engine, batch = 2000): number {
  let steps = 1;
  while (engine.trimHistoryStep(batch)) steps++;
  return steps;
}

describe('history_days: 1', () => {
  let engine: Engine;
  let now: bigint;
  beforeEach(() => {
    engine = memoryEngine();
    fql(engine, 'CreateCollection({name: "c", history_days: 1})');
    fql(engine, 'CreateIndex({name: "c_by_v", source: Collection("c"), terms: [{field: ["data", "v"]}]})');
    now = int(fql(engine, 'ToMicros(Now())'));
    // Document 1: versions 5, 4, 3 and 2 days old, and a current one.
    fql(engine, `Insert(${R('1')}, ${now - 5n * DAY}, "create", {data: {v: 5}})`);
    for (const d of [4n, 3n, 2n]) fql(engine, `Insert(${R('1')}, ${now - d * DAY}, "update", {data: {v: ${d}}})`);
    fql(engine, `Update(${R('1')}, {data: {v: 0}})`);
    // Document 2: only recent versions (an hour old and now).
    fql(engine, `Insert(${R('2')}, ${now - DAY / 24n}, "create", {data: {v: 7}})`);
    fql(engine, `Update(${R('2')}, {data: {v: 8}})`);
    // Document 3: created 5 days ago, deleted 3 days ago.
    fql(engine, `Insert(${R('3')}, ${now - 5n * DAY}, "create", {data: {v: 9}})`);
    fql(engine, `Insert(${R('3')}, ${now - 3n * DAY}, "delete", {})`);
    // Document 4: one version, 10 days old (it is the current version: kept).
    fql(engine, `Insert(${R('4')}, ${now - 10n * DAY}, "create", {data: {v: 10}})`);
  });
  afterEach(() => engine.close());

  test('reads below the floor (a day and 15 minutes back) are refused, before trimming as after', () => {
    for (const phase of ['before trimming', 'after trimming']) {
      if (phase === 'after trimming') trimAll(engine);
      for (const ts of [now - 5n * DAY, now - 3n * DAY, now - 2n * DAY - 1n, now - DAY - 16n * MINUTE]) {
        const floor = floorOfRefusal(engine, R('1'), ts);
        assert.ok(floor > now - DAY - 15n * MINUTE && floor <= now - DAY, `${phase}: floor ${now - floor} µs back`);
        assert.equal(fqlError(engine, `Get(${R('3')}, ${ts})`).code, 'bad request', phase);
        assert.equal(fqlError(engine, `Exists(${R('4')}, ${ts})`).code, 'bad request', phase);
      }
      // At the floor and after it the document reads as it was.
      assertJson(dataAt(engine, R('1'), now - DAY - 14n * MINUTE), { v: 2n }, phase);
      assertJson(dataAt(engine, R('4'), now - DAY), { v: 10n }, phase);
      assertJson(dataAt(engine, R('3'), now - DAY), 'instance not found', phase);
    }
  });

  test('trimming removes the versions below the floor, keeps the one live at the floor and everything newer; the history shown is the same before and after', () => {
    const ledger = wholeLedger(engine).length;
    const current = allDocuments(engine, { withTs: true });
    const shown = [R('1'), R('2'), R('3'), R('4')].map((r) => events(engine, r));
    const versions = versionCount(engine);
    assert.equal(engine.trimHistoryStep(), false, 'one step is enough (and says so)');
    // Document 1: the 5, 4 and 3 day old versions are gone; document 3: its create (its delete is live at the floor).
    assert.equal(versionCount(engine), versions - 4);
    assertJson(
      [R('1'), R('2'), R('3'), R('4')].map((r) => events(engine, r)),
      shown,
    );
    // Document 1's history starts with the 2 day old version, live at the floor, shown as its create.
    assertJson(
      events(engine, R('1')).map(([ts, action, data]) => [now - ts > DAY, action, data]),
      [
        [true, 'create', { v: 2n }],
        [false, 'update', { v: 0n }],
      ],
    );
    // Document 2 is untouched; document 3 did not exist at the floor (no history); document 4 keeps its only version.
    assert.equal(events(engine, R('2')).length, 2);
    assertJson(events(engine, R('3')), []);
    assertJson(
      events(engine, R('4')).map(([, action, data]) => [action, data]),
      [['create', { v: 10n }]],
    );
    // The current state, the ledger and the indexes are as they were.
    assert.deepEqual(allDocuments(engine, { withTs: true }), current);
    assert.equal(wholeLedger(engine).length, ledger, 'trimming is not a transaction of the ledger');
    assertJson(fql(engine, 'Paginate(Match(Index("c_by_v"), 0))'), { data: [{ '@ref': { id: '1', collection: { '@ref': { id: 'c', collection: { '@ref': { id: 'collections' } } } } } }] });
    assert.ok(verifyDatabase(engine).ok);
  });

  test('At and Get(ref, ts): at and after the cut-off the same answers as before trimming', () => {
    const probes = [now - 2n * DAY, now - DAY - 1n, now - DAY, now - DAY / 2n, now - 1n];
    const read = (): Json[] => probes.flatMap((ts) => [dataAt(engine, R('1'), ts), dataAt(engine, R('2'), ts), dataAt(engine, R('3'), ts), dataAt(engine, R('4'), ts)]);
    const getTs = (): Json => fql(engine, `[Select("data", Get(${R('1')}, ${now - DAY})), Exists(${R('3')}, ${now - DAY}), Select("data", Get(${R('4')}, ${now - DAY}))]`);
    const beforeTrim = read();
    const getBefore = getTs();
    trimAll(engine);
    assertJson(read(), beforeTrim);
    assertJson(getTs(), getBefore);
    assertJson(getBefore, [{ v: 2n }, false, { v: 10n }]);
  });

  test('index and Documents reads below the floor are refused too; their history below it is not shown', () => {
    const below = now - 3n * DAY;
    for (const read of [`Paginate(Match(Index("c_by_v"), 3), {ts: ${below}})`, `At(${below}, Count(Documents(Collection("c"))))`, `Paginate(Documents(Collection("c")), {ts: ${below}})`, `Get(Match(Index("c_by_v"), 3), ${below})`]) {
      const err = fqlError(engine, read);
      assert.equal(err.code, 'bad request', read);
      assert.match(err.description, FLOOR_MESSAGE);
    }
    assertJson(fql(engine, `At(${now - DAY}, Paginate(Match(Index("c_by_v"), 2)))`), { data: [{ '@ref': { id: '1', collection: { '@ref': { id: 'c', collection: { '@ref': { id: 'collections' } } } } } }] });
    // Set history: the events after the floor (document 1 leaves v 2 now; document 2 was added an hour ago).
    const adds = fql(engine, 'Map(Paginate(Events(Match(Index("c_by_v"), 2))), Lambda("e", Select("action", Var("e"))))');
    assertJson(adds, { data: ['remove'] });
    const docs = fql(engine, 'Map(Paginate(Events(Documents(Collection("c")))), Lambda("e", [Select("action", Var("e")), Select(["document", "id"], Var("e"))]))');
    assertJson(docs, { data: [['add', '2']] });
  });

  test('a read inside a function below the floor ends the request as it is (not a call error)', () => {
    fql(engine, `CreateFunction({name: "old", body: Query(Lambda("t", At(Var("t"), Get(${R('1')}))))})`);
    const err = fqlError(engine, `Call(Function("old"), ${now - 3n * DAY})`);
    assert.equal(err.code, 'bad request');
    assert.equal(err.position, undefined);
  });

  test('trimming again removes nothing more', () => {
    trimAll(engine);
    const count = versionCount(engine);
    assert.equal(engine.trimHistoryStep(), false);
    assert.equal(versionCount(engine), count);
  });

  test('a collection with a longer history_days keeps the same old versions', () => {
    fql(engine, 'CreateCollection({name: "long", history_days: 30})');
    const L = 'Ref(Collection("long"), "1")';
    fql(engine, `Insert(${L}, ${now - 5n * DAY}, "create", {data: {v: 5}})`);
    fql(engine, `Insert(${L}, ${now - 4n * DAY}, "update", {data: {v: 4}})`);
    fql(engine, `Update(${L}, {data: {v: 0}})`);
    trimAll(engine);
    assert.equal(events(engine, L).length, 3);
  });

  test('Update of history_days applies to the floor and the next trimming', () => {
    fql(engine, 'CreateCollection({name: "long"})');
    const L = 'Ref(Collection("long"), "1")';
    fql(engine, `Insert(${L}, ${now - 5n * DAY}, "create", {data: {v: 5}})`);
    for (const d of [4n, 3n, 2n]) fql(engine, `Insert(${L}, ${now - d * DAY}, "update", {data: {v: ${d}}})`);
    fql(engine, `Update(${L}, {data: {v: 0}})`);
    assertJson(fql(engine, `Select("data", Get(${L}, ${now - 5n * DAY}))`), { v: 5n });
    fql(engine, 'Update(Collection("long"), {history_days: 3})');
    assert.equal(fqlError(engine, `Get(${L}, ${now - 4n * DAY})`).code, 'bad request');
    trimAll(engine);
    // Floor 3 days and 15 minutes ago: the 5 day old version goes, the 4 day old one (live at the floor) stays.
    assertJson(
      events(engine, L).map(([, , data]) => data),
      [{ v: 4n }, { v: 3n }, { v: 2n }, { v: 0n }],
    );
    assert.equal(engine.db.prepare(`SELECT count(*) FROM versions v JOIN schema_objects s ON s.oid = v.coll WHERE s.name = 'long'`).pluck().get(), 4n);
  });

  test('raising history_days does not bring back what the old setting put out of reach', () => {
    trimAll(engine);
    const before = floorOfRefusal(engine, R('1'), now - 3n * DAY);
    fql(engine, 'Update(Collection("c"), {history_days: 30})');
    // The floor stays where history_days 1 put it when it changed (it may have trimmed up to there).
    const after = floorOfRefusal(engine, R('1'), now - 3n * DAY);
    assert.ok(after >= before && after < before + MINUTE, `floor moved from ${before} to ${after}`);
    assertJson(events(engine, R('1')).map(([, action, data]) => [action, data]), [['create', { v: 2n }], ['update', { v: 0n }]]);
    // Lowering it again moves the floor up at once.
    fql(engine, 'Update(Collection("c"), {history_days: 0})');
    assert.ok(floorOfRefusal(engine, R('2'), now - DAY / 24n) > now - 16n * MINUTE);
  });
});

describe('history_days: 0', () => {
  test('a collection with history_days 0 can be read 15 minutes back, no further', () => {
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c", history_days: 0})');
      fql(engine, `Create(${R('1')}, {data: {v: 1}})`);
      const first = int(fql(engine, `Select("ts", Get(${R('1')}))`));
      fql(engine, `Update(${R('1')}, {data: {v: 2}})`);
      fql(engine, `Update(${R('1')}, {data: {v: 3}})`);
      // As in FaunaDB, the last 15 minutes are readable (set cursors, At a moment ago).
      assertJson(
        events(engine, R('1')).map(([, action, data]) => [action, data]),
        [['create', { v: 1n }], ['update', { v: 2n }], ['update', { v: 3n }]],
      );
      assertJson(dataAt(engine, R('1'), first), { v: 1n });
      const floor = floorOfRefusal(engine, R('1'), first - 16n * MINUTE);
      const last = int(fql(engine, `Select("ts", Get(${R('1')}))`));
      assert.equal(floor, last - 15n * MINUTE, 'the floor is the read time less 15 minutes');
      // A deleted document's history stays until trimmed.
      fql(engine, `Create(${R('2')}, {data: {}})`);
      fql(engine, `Delete(${R('2')})`);
      assertJson(events(engine, R('2')).map(([, action]) => action), ['create', 'delete']);
      assert.equal(engine.trimHistoryStep(), false);
      assert.equal(events(engine, R('1')).length, 3, 'nothing is older than 15 minutes: trimming keeps it all');
    } finally {
      engine.close();
    }
  });

  test('versions older than 15 minutes: not shown, refused, and removed by trimming (the one live at the floor stays)', () => {
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c", history_days: 0})');
      const now = int(fql(engine, 'ToMicros(Now())'));
      fql(engine, `Insert(${R('1')}, ${now - 60n * MINUTE}, "create", {data: {v: 1}})`);
      fql(engine, `Insert(${R('1')}, ${now - 30n * MINUTE}, "update", {data: {v: 2}})`);
      fql(engine, `Update(${R('1')}, {data: {v: 3}})`);
      fql(engine, `Insert(${R('2')}, ${now - 60n * MINUTE}, "create", {data: {v: 1}})`);
      fql(engine, `Insert(${R('2')}, ${now - 30n * MINUTE}, "delete", {})`);
      const shown = [events(engine, R('1')), events(engine, R('2'))];
      assertJson(
        shown[0]!.map(([, action, data]) => [action, data]),
        [['create', { v: 2n }], ['update', { v: 3n }]],
      );
      assertJson(shown[1], [], 'a document deleted before the floor has no history');
      assert.equal(fqlError(engine, `Get(${R('1')}, ${now - 20n * MINUTE})`).code, 'bad request');
      const versions = versionCount(engine);
      assert.equal(engine.trimHistoryStep(), false);
      assert.equal(versionCount(engine), versions - 2, "the hour old versions go; the ones live at the floor stay");
      assertJson([events(engine, R('1')), events(engine, R('2'))], shown);
      assertJson(fql(engine, `Select("data", Get(${R('1')}))`), { v: 3n });
      assert.equal(fql(engine, `Exists(${R('2')})`), false);
      assert.ok(verifyDatabase(engine).ok);
    } finally {
      engine.close();
    }
  });

  test('switching a collection to history_days 0: its old history is out of reach at once and trimmed, inserted versions too', () => {
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c"})');
      const now = int(fql(engine, 'ToMicros(Now())'));
      fql(engine, `Insert(${R('1')}, ${now - 2n * DAY}, "create", {data: {v: 0}})`);
      fql(engine, `Insert(${R('1')}, ${now - DAY}, "update", {data: {v: 1}})`);
      fql(engine, `Update(${R('1')}, {data: {v: 2}})`);
      assertJson(dataAt(engine, R('1'), now - DAY), { v: 1n });
      fql(engine, 'Update(Collection("c"), {history_days: 0})');
      assert.equal(fqlError(engine, `At(${now - DAY}, Get(${R('1')}))`).code, 'bad request');
      const versions = versionCount(engine);
      assert.equal(engine.trimHistoryStep(), false);
      assert.equal(versionCount(engine), versions - 1, 'the 2 day old version goes');
      assertJson(
        events(engine, R('1')).map(([, action, data]) => [action, data]),
        [['create', { v: 1n }], ['update', { v: 2n }]],
      );
      assertJson(fql(engine, `Select("data", Get(${R('1')}))`), { v: 2n });
      assert.ok(verifyDatabase(engine).ok);
    } finally {
      engine.close();
    }
  });
});

/**
 * A file with DOCS documents of `c` (history_days 1), each created 3 days ago,
 * with OLD - 1 more versions 2 to 3 days old and a current version; and a
 * counter document in a collection that keeps its history.
 */
function fileWithOldVersions(DOCS: number, OLD: number): { file: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-retention-'));
  const file = join(dir, 'db.sqlite');
  const engine = Engine.open(file);
  try {
    fql(engine, 'CreateCollection({name: "c", history_days: 1})');
    fql(engine, 'CreateCollection({name: "counter"})');
    fql(engine, 'Create(Ref(Collection("counter"), "1"), {data: {n: 0}})');
    const old = int(fql(engine, 'ToMicros(Now())')) - 3n * DAY;
    for (let d = 0; d < DOCS; d += 100) {
      const ops: Json[] = [];
      for (let id = d + 1; id <= Math.min(DOCS, d + 100); id++) {
        const ref = { '@ref': { id: String(id), collection: { '@ref': { id: 'c', collection: { '@ref': { id: 'collections' } } } } } };
        ops.push({ insert: ref, ts: old, action: 'create', params: { object: { data: { object: { k: BigInt(OLD) } } } } } as unknown as Json);
        ops.push({ update: ref, params: { object: { data: { object: { k: 0n } } } } } as unknown as Json);
      }
      const r = engine.query({ do: ops } as unknown as Json);
      assert.ok(r.ok, r.ok ? '' : r.error.description);
    }
    // The versions in between are written straight into the versions table: made
    // through Insert, tens of thousands of versions take seconds.
    const oid = engine.db.prepare(`SELECT oid FROM schema_objects WHERE kind = 'collections' AND name = 'c'`).pluck().get() as bigint;
    const put = engine.db.prepare('INSERT INTO versions (coll, id, ts, action, body) VALUES (?, ?, ?, 1, ?)');
    engine.db.transaction(() => {
      for (let id = 1; id <= DOCS; id++) for (let k = OLD - 1; k >= 1; k--) put.run(oid, BigInt(id), old + BigInt(OLD - k) * 1000n, JSON.stringify({ data: { k } }));
    })();
    assert.equal(engine.db.prepare('SELECT count(*) FROM versions WHERE coll = ? AND id = 7').pluck().get(oid), BigInt(OLD + 1));
  } finally {
    engine.close();
  }
  return { file, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

const BUMP = 'Let({d: Get(Ref(Collection("counter"), "1"))}, Update(Select("ref", Var("d")), {data: {n: Add(Select(["data", "n"], Var("d")), 1)}}))';

describe('trimming in steps', () => {
  const DOCS = 1000;
  const OLD = 60;
  const BATCH = 2000;
  let made: { file: string; dispose: () => void };
  before(() => {
    made = fileWithOldVersions(DOCS, OLD);
  });
  after(() => made.dispose());

  test('each step removes at most its batch in one short transaction; between steps the file is free for a writer', (t) => {
    const engine = Engine.open(made.file);
    const other = Engine.open(made.file);
    const bump = fqlExpr(BUMP);
    try {
      const steps: number[] = [];
      const writes: number[] = [];
      let removed = 0;
      let more = true;
      while (more) {
        const count = versionCount(engine);
        const s0 = performance.now();
        more = engine.trimHistoryStep(BATCH);
        steps.push(performance.now() - s0);
        const n = count - versionCount(engine);
        assert.ok(n <= BATCH, `a step removed ${n} versions, more than its batch of ${BATCH}`);
        assert.equal(more, n === BATCH, `a step that removed ${n} said more: ${more}`);
        removed += n;
        // Another connection writes between two steps without waiting: the step has committed and let go of the file.
        const w0 = performance.now();
        assert.ok(other.query(bump).ok);
        writes.push(performance.now() - w0);
      }
      const slowest = Math.max(...steps);
      t.diagnostic(`${steps.length} steps removed ${removed} versions in ${steps.reduce((a, b) => a + b, 0).toFixed(0)} ms; slowest step ${slowest.toFixed(1)} ms, slowest write between steps ${Math.max(...writes).toFixed(1)} ms`);
      assert.equal(removed, DOCS * (OLD - 1), 'every expired version is removed, nothing else');
      assert.equal(steps.length, Math.floor(removed / BATCH) + 1);
      assert.ok(slowest < 500, `the slowest step took ${slowest.toFixed(0)} ms`);
      assert.ok(Math.max(...writes) < 200, `a write between steps took ${Math.max(...writes).toFixed(0)} ms`);
      assertJson(events(engine, R('7')).map(([, , data]) => data), [{ k: 1n }, { k: 0n }]);
      assert.equal(int(fql(engine, 'Select(["data", "n"], Get(Ref(Collection("counter"), "1")))')), BigInt(steps.length));
      assert.ok(verifyDatabase(engine).ok);
    } finally {
      engine.close();
      other.close();
    }
  });
});

describe('trimming while another process writes', () => {
  const DOCS = 1000;
  const OLD = 60;
  let made: { file: string; dispose: () => void };
  before(() => {
    made = fileWithOldVersions(DOCS, OLD);
  });
  after(() => made.dispose());

  test('steps back to back (as the engine host does) while a writer commits as fast as it can: both finish, nothing fails', async (t) => {
    const writer = await Child.start(join(here, 'latency-writer.ts'), [made.file, '60000']);
    const engine = Engine.open(made.file);
    try {
      await writer.waitForLine((l) => l === 'ready');
      const before = versionCount(engine);
      writer.send('go');
      await writer.waitForLine((l) => l.startsWith('commit '));
      const t0 = now();
      let steps = 0;
      while (engine.trimHistoryStep(2000)) steps++;
      const t1 = now();
      await new Promise((r) => setTimeout(r, 50));
      writer.send('stop');
      writer.endInput();
      const line = await writer.waitForLine((l) => l.startsWith('result '));
      await writer.succeeded();
      const result = JSON.parse(line.slice('result '.length)) as { commits: number; maxMs: number; p99Ms: number; failures: number };
      const during = writer.lines.filter((l) => l.startsWith('commit ')).map((l) => JSON.parse(l.slice(7)) as [number, number]).filter(([, end]) => end > t0 && end < t1).length;
      t.diagnostic(`trimming: ${steps + 1} steps in ${(t1 - t0).toFixed(0)} ms; writer: ${during} commits during it, ${result.commits} in all, slowest ${result.maxMs.toFixed(0)} ms, p99 ${result.p99Ms.toFixed(1)} ms`);
      // Each side waits for the other now and then (SQLite's busy handler polls), but never near the busy timeout.
      assert.equal(result.failures, 0, 'a writer transaction failed');
      assert.ok(result.maxMs < 3000, `a writer transaction waited ${result.maxMs.toFixed(0)} ms`);
      assert.equal(before - versionCount(engine) + result.commits, DOCS * (OLD - 1), 'every expired version is removed, nothing else');
      assert.equal(int(fql(engine, 'Select(["data", "n"], Get(Ref(Collection("counter"), "1")))')), BigInt(result.commits));
      assert.ok(verifyDatabase(engine).ok);
    } finally {
      engine.close();
      if (writer.proc.exitCode === null) writer.kill9();
    }
  });
});

describe('history edits and trimming', () => {
  test('an Insert newer than the cut-off is kept; Remove of the version live at the cut-off brings back nothing older', () => {
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c", history_days: 1})');
      const now = int(fql(engine, 'ToMicros(Now())'));
      fql(engine, `Insert(${R('1')}, ${now - 3n * DAY}, "create", {data: {v: 3}})`);
      fql(engine, `Insert(${R('1')}, ${now - 2n * DAY}, "update", {data: {v: 2}})`);
      fql(engine, `Insert(${R('1')}, ${now - DAY / 2n}, "update", {data: {v: 1}})`);
      trimAll(engine);
      assertJson(
        events(engine, R('1')).map(([, , data]) => data),
        [{ v: 2n }, { v: 1n }],
      );
      fql(engine, `Remove(${R('1')}, ${now - 2n * DAY}, "update")`);
      assertJson(dataAt(engine, R('1'), now - DAY), 'instance not found');
      assertJson(fql(engine, `Select("data", Get(${R('1')}))`), { v: 1n });
      assert.equal(fqlError(engine, `Insert(${R('1')}, ${now + DAY}, "update", {data: {}})`).code, 'invalid write time');
    } finally {
      engine.close();
    }
  });
});
