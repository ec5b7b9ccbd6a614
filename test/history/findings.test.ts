/**
 * Engine bugs found while proving history, time travel, the ledger and
 * constraints (issue 6) that needed changes outside the history files. Each
 * test failed before its fix and guards it now.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseInstant } from '../../electron/engine/values/time.js';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { Child } from '../helpers/child.js';
import { memoryEngine } from '../helpers/engine.js';
import { assertJson, fql, int } from './helpers.js';

/** µs since the epoch of an ISO instant in an error message. */
const isoMicros = (text: string): bigint => parseInstant(text)! / 1000n;

const here = dirname(fileURLToPath(import.meta.url));

const DAY = 86_400_000_000n;

describe('findings: history retention floor', () => {
  test('reading below a collection\'s history_days is refused ("bad request"), not answered as if the document never existed', () => {
    // fql-v4.md §1.1 At: "Reading below the history retention floor gives HTTP 400 `bad request`
    // 'Requested timestamp X less than minimum allowed timestamp Y.'" Without a floor the engine answered
    // before trimming with the old version, after Engine.trimHistoryStep() with "instance not found"
    // (the versions are gone), so the same read changed its answer silently. The floor is history_days
    // and 15 minutes (FaunaDB's MVT offset) before the read (storage/retention.ts).
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c", history_days: 1})');
      const now = int(fql(engine, 'ToMicros(Now())'));
      fql(engine, `Insert(Ref(Collection("c"), "1"), ${now - 3n * DAY}, "create", {data: {v: 3}})`);
      fql(engine, 'Update(Ref(Collection("c"), "1"), {data: {v: 0}})');
      for (const phase of ['before trimming', 'after trimming']) {
        if (phase === 'after trimming') while (engine.trimHistoryStep()) continue;
        const r = engine.query({ at: now - 2n * DAY, expr: { get: { ref: { collection: 'c' }, id: '1' } } } as never);
        assert.ok(!r.ok, `${phase}: read below the floor answered ${r.ok ? JSON.stringify(r.resource, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) : ''}`);
        assert.equal(r.error.code, 'bad request', `${phase}: ${r.error.code}: ${r.error.description}`);
        const m = /^Requested timestamp (\S+) less than minimum allowed timestamp (\S+)\.$/.exec(r.error.description);
        assert.ok(m !== null, r.error.description);
        assert.equal(isoMicros(m[1]!), now - 2n * DAY);
        const floor = isoMicros(m[2]!);
        assert.ok(floor >= now - DAY - 15n * 60_000_000n && floor < now - DAY, `${phase}: floor ${floor}`);
        assert.equal(r.error.httpStatus, 400);
      }
    } finally {
      engine.close();
    }
  });
});

describe('findings: history edits and indexes', () => {
  test('an index read At a past time sees a version inserted at that time, as Get does', () => {
    // Insert/Remove (eval/forms/history.ts) re-indexed only the document's current version; the index
    // history (index_history rows, written by the index maintainer) was not rebuilt from the edited
    // versions. So At(t, Get(ref)) showed the inserted version while At(t, Match(index, ...)) still
    // showed the version that was there before the edit. history-index.test.ts covers this at length.
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c"})');
      fql(engine, 'CreateIndex({name: "by_v", source: Collection("c"), terms: [{field: ["data", "v"]}]})');
      const t1 = int(fql(engine, 'Select("ts", Create(Ref(Collection("c"), "1"), {data: {v: 1}}))'));
      fql(engine, 'Update(Ref(Collection("c"), "1"), {data: {v: 2}})');
      fql(engine, `Insert(Ref(Collection("c"), "1"), ${t1 + 1n}, "update", {data: {v: 7}})`);
      const at = t1 + 1n;
      assert.equal(fql(engine, `At(${at}, Select(["data", "v"], Get(Ref(Collection("c"), "1"))))`), 7n);
      assertJson(fql(engine, `At(${at}, [Count(Match(Index("by_v"), 7)), Count(Match(Index("by_v"), 1))])`), [1n, 0n]);
    } finally {
      engine.close();
    }
  });
});

describe('findings: Insert skips the checks of ordinary writes', () => {
  test('Insert refuses what Create refuses: a ttl that is not a Time, a ref to an undefined collection', () => {
    // Create/Update/Replace run validateUserFields (eval/forms/documents.ts: ttl must be a Time, refs in
    // data must resolve); Insert (eval/forms/history.ts) stores the params as they come. validateUserFields
    // is private to documents.ts; exporting it and calling it in Insert next to checkConstraints fixes this.
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c"})');
      for (const params of ['{ttl: 1}', '{data: {x: Ref(Collection("nope"), "1")}}']) {
        const r = engine.query({ insert: { ref: { collection: 'c' }, id: '1' }, ts: 5n, action: 'create', params: { object: params === '{ttl: 1}' ? { ttl: 1n } : { data: { object: { x: { ref: { collection: 'nope' }, id: '1' } } } } } } as never);
        assert.ok(!r.ok, `Insert with ${params} was accepted`);
        assert.equal(r.error.code, 'validation failed', params);
      }
      assert.ok(verifyDatabase(engine).ok);
    } finally {
      engine.close();
    }
  });
});

describe('findings: the time of a read', () => {
  test('a read transaction sees every write with a ts at or before its own time (At(its time) reads the same)', async () => {
    // Transaction.begin (storage/transaction.ts) gives a write transaction its ts when it takes the write
    // lock. A read-only transaction used to get max(now, last committed ts): a read that started while a
    // write was still running got a later time than the write's ts, but its snapshot did not hold the
    // write, so once the write committed, At(the read's time) — and Now(), the reply ts, X-Txn-Time —
    // told a different story than the read did. Now a read-only transaction's time is the last commit in
    // its own snapshot: earlier than any write it does not see.
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-findings-'));
    const file = join(dir, 'db.sqlite');
    const engine = Engine.open(file);
    const writer = await Child.start(join(here, 'slow-writer.ts'), [file]);
    try {
      fql(engine, 'CreateCollection({name: "counters"})');
      fql(engine, 'Create(Ref(Collection("counters"), "1"), {data: {n: 0}})');
      await writer.waitForLine((l) => l === 'ready');
      writer.send('go');
      writer.endInput();
      await writer.waitForLine((l) => l === 'begin');
      await new Promise((r) => setTimeout(r, 100));
      // The write has begun (and taken its ts) and is still computing: read the counter and the read's time.
      const [seen, readTs] = fql(engine, 'Let({d: Get(Ref(Collection("counters"), "1"))}, [Select(["data", "n"], Var("d")), ToMicros(Now())])') as [bigint, bigint];
      const done = await writer.waitForLine((l) => l.startsWith('done '));
      await writer.succeeded();
      const writeTs = BigInt(done.slice('done '.length));
      assert.equal(seen, 0n, 'the read ran before the write committed (the writer was too fast to show anything)');
      assert.ok(readTs < writeTs, `the read's time ${readTs} is not before the ts ${writeTs} of the write it did not see`);
      assert.equal(fql(engine, `At(${readTs}, Select(["data", "n"], Get(Ref(Collection("counters"), "1"))))`), seen, `the read at ${readTs} saw ${seen}; At(${readTs}) now sees the write committed afterwards at ${writeTs}`);
    } finally {
      engine.close();
      if (writer.proc.exitCode === null) writer.kill9();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('findings: the ledger record of CreateIndex', () => {
  test('records the index as committed: active when built at once, inactive when left to a background build', () => {
    // The record was taken before the build activated the index, so even an index built in the creating
    // transaction was recorded `active: false`. An index built in the background is inactive at that commit;
    // its activation is maintenance, not a transaction of the ledger.
    const engine = memoryEngine();
    try {
      const newest = (): Record<string, unknown> => (fql(engine, 'Select(["data", 0, "writes", 0, "data"], Paginate(Ledger(), {before: null, size: 1}))') as Record<string, unknown>);
      fql(engine, 'CreateCollection({name: "c"})');
      fql(engine, 'Create(Ref(Collection("c"), "1"), {data: {v: 1}})');
      fql(engine, 'CreateIndex({name: "small", source: Collection("c"), terms: [{field: ["data", "v"]}]})');
      assert.equal(newest().active, true);
      assertJson(newest(), Object.fromEntries(Object.entries(fql(engine, 'Get(Index("small"))') as Record<string, unknown>).filter(([k]) => k !== 'ts' && k !== 'ref')));
      const ids = Array.from({ length: 10_001 }, (_, i) => i + 2);
      fql(engine, `Foreach(${JSON.stringify(ids)}, Lambda("i", Create(Ref(Collection("c"), Var("i")), {data: {v: Var("i")}})))`);
      fql(engine, 'CreateIndex({name: "large", source: Collection("c"), terms: [{field: ["data", "v"]}]})');
      assert.equal(newest().active, false);
      const ledger = int(fql(engine, 'Count(Ledger())'));
      engine.finishBackgroundWork();
      assert.equal(fql(engine, 'Select("active", Get(Index("large")))'), true);
      assert.equal(int(fql(engine, 'Count(Ledger())')), ledger);
    } finally {
      engine.close();
    }
  });
});
