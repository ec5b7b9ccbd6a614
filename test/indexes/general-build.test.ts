/**
 * Index builds through the general path (bindings, and documents SQL does
 * not index) read documents a bounded number at a time: a background build
 * over more documents than one such read covers every document exactly once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { memoryEngine, runFql } from '../helpers/engine.js';

const DOCS = 45_000;

test('a binding index over 45 000 documents, built in the background, has one entry per document and passes the verifier', () => {
  const engine = memoryEngine();
  try {
    const ok = (text: string): unknown => {
      const [r] = runFql(engine, text);
      assert.ok(r?.ok, `${text.slice(0, 80)}: ${r && !r.ok ? r.error.description : ''}`);
      return r.value;
    };
    ok('CreateCollection({name: "items"})');
    for (let start = 0; start < DOCS; start += 5000) {
      ok(`Foreach(${JSON.stringify(Array.from({ length: 5000 }, (_, k) => start + k))}, Lambda("n", Create(Collection("items"), {data: {n: Var("n")}})))`);
    }
    ok('CreateIndex({name: "by_twice", source: {collection: Collection("items"), fields: {twice: Query(Lambda("d", Multiply(2, Select(["data", "n"], Var("d")))))}}, values: [{binding: "twice"}]})');
    assert.equal(ok('Select("active", Get(Index("by_twice")))'), false, 'built in the background');
    assert.deepEqual(engine.backgroundBuilds(), [{ index: 'by_twice', done: 0, total: DOCS, failed: null }]);
    // Half built: the entries so far are right, the rest are still to come (not missing).
    engine.backgroundStep(20_000);
    assert.ok(engine.backgroundBuilds()[0]!.done > 0);
    assert.equal(ok('Select("active", Get(Index("by_twice")))'), false);
    assert.deepEqual(verifyDatabase(engine).problems, []);
    engine.finishBackgroundWork();
    assert.deepEqual(engine.backgroundBuilds(), []);
    assert.equal(ok('Select("active", Get(Index("by_twice")))'), true);
    assert.equal(ok('Count(Match(Index("by_twice")))'), BigInt(DOCS));
    const page = ok('Paginate(Match(Index("by_twice")), {size: 3})') as { data: unknown[] };
    assert.deepEqual(page.data, [0n, 2n, 4n]);
    assert.deepEqual(verifyDatabase(engine).problems, []);
  } finally {
    engine.close();
  }
});
