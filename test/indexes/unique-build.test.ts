/**
 * Unique indexes are built in the creating transaction at any size, so that
 * documents that already repeat a value fail the CreateIndex itself. A
 * background build whose step fails on the documents (a file whose pending
 * build is of a unique index, as files written before could hold) stops for
 * good instead of failing again at every step, and its index stays inactive.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { memoryEngine, runFql } from '../helpers/engine.js';

const DOCS = 12_000; // more than SYNC_BUILD_LIMIT

function run(engine: Engine, text: string): { ok: true; value: unknown } | { ok: false; code: string } {
  const [r] = runFql(engine, text);
  assert.ok(r !== undefined);
  return r.ok ? { ok: true, value: r.value } : { ok: false, code: r.error.code };
}

function ok(engine: Engine, text: string): unknown {
  const r = run(engine, text);
  assert.ok(r.ok, `${text.slice(0, 80)}: ${r.ok ? '' : r.code}`);
  return r.value;
}

/** A collection of DOCS documents whose k values are distinct, or repeat once (`duplicate`). */
function load(engine: Engine, duplicate: boolean): void {
  ok(engine, 'CreateCollection({name: "c"})');
  for (let start = 0; start < DOCS; start += 4000) {
    const ks = Array.from({ length: 4000 }, (_, i) => (duplicate && start + i === DOCS - 1 ? 5 : start + i));
    ok(engine, `Foreach(${JSON.stringify(ks)}, Lambda("k", Create(Collection("c"), {data: {k: Var("k")}})))`);
  }
}

test('a unique index over 12 000 documents is active at once, and over documents repeating a value it is refused', () => {
  const distinct = memoryEngine();
  try {
    load(distinct, false);
    const created = ok(distinct, 'CreateIndex({name: "u", source: Collection("c"), terms: [{field: ["data", "k"]}], unique: true})') as { active: boolean };
    assert.equal(created.active, true);
    assert.equal(ok(distinct, 'Count(Match(Index("u"), 7))'), 1n);
    assert.equal(ok(distinct, 'Count(Match(Index("u"), 11999))'), 1n);
    assert.deepEqual(run(distinct, 'Create(Collection("c"), {data: {k: 7}})'), { ok: false, code: 'instance not unique' });
    assert.deepEqual(verifyDatabase(distinct).problems, []);
  } finally {
    distinct.close();
  }
  const repeating = memoryEngine();
  try {
    load(repeating, true);
    assert.deepEqual(run(repeating, 'CreateIndex({name: "u", source: Collection("c"), terms: [{field: ["data", "k"]}], unique: true})'), { ok: false, code: 'instance not unique' });
    assert.equal(ok(repeating, 'Exists(Index("u"))'), false, 'the failed CreateIndex left nothing behind');
  } finally {
    repeating.close();
  }
});

test('a background build that fails on its documents stops for good, and its index stays inactive', () => {
  const engine = memoryEngine();
  try {
    load(engine, true);
    ok(engine, 'CreateIndex({name: "u", source: Collection("c"), terms: [{field: ["data", "k"]}]})');
    // Make the pending build one of a unique index, as an older file could hold.
    engine.db.prepare(`UPDATE schema_objects SET body = replace(body, '"serialized":', '"unique":true,"serialized":') WHERE kind = 'indexes' AND name = 'u'`).run();
    engine.schemaCache.clear();
    assert.equal(ok(engine, 'Select("unique", Get(Index("u")))'), true);
    let steps = 0;
    while (engine.backgroundStep(1000)) {
      steps++;
      assert.ok(steps < 100, 'the build kept going');
    }
    assert.equal(engine.backgroundStep(1000), false, 'nothing is tried again');
    const builds = engine.backgroundBuilds();
    assert.equal(builds.length, 1);
    assert.equal(builds[0]!.index, 'u');
    assert.match(builds[0]!.failed ?? '', /^instance not unique/);
    assert.equal(ok(engine, 'Select("active", Get(Index("u")))'), false);
    assert.deepEqual(run(engine, 'Paginate(Match(Index("u"), 5))'), { ok: false, code: 'instance not found' }, 'Match on an inactive index fails');
  } finally {
    engine.close();
  }
});
