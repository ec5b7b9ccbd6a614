/**
 * RecentCache keeps the most recently used texts up to its capacity, never
 * texts longer than its limit, and runText reuses what it parsed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RecentCache } from '../../electron/engine/recent-cache.js';
import { MAX_CACHED_NODES } from '../../electron/engine/engine.js';
import { compileSized } from '../../electron/engine/eval/index.js';
import { runText } from '../../electron/engine/text-query.js';
import { memoryEngine } from '../helpers/engine.js';

describe('RecentCache', () => {
  test('evicts the least recently used entry past its capacity', () => {
    const cache = new RecentCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    assert.equal(cache.get('a'), 1); // a is now the most recent
    cache.set('c', 3);
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 1);
    assert.equal(cache.get('c'), 3);
  });

  test('does not keep texts over its length limit, and makes a value only when missing', () => {
    const cache = new RecentCache<string, number>(4, 3);
    let made = 0;
    assert.equal(cache.getOrMake('abcd', () => ++made), 1);
    assert.equal(cache.getOrMake('abcd', () => ++made), 2);
    assert.equal(cache.keeps('abcd'), false);
    assert.equal(cache.getOrMake('abc', () => ++made), 3);
    assert.equal(cache.getOrMake('abc', () => ++made), 3);
  });

  test('keyed by objects: by identity, whatever their size, up to its capacity', () => {
    const cache = new RecentCache<object, string>(2, 1);
    const a = { big: 'x'.repeat(100) };
    const b = { big: 'x'.repeat(100) };
    cache.set(a, 'a');
    assert.equal(cache.keeps(a), true);
    assert.equal(cache.get(a), 'a');
    assert.equal(cache.get(b), undefined); // equal content, another object
    cache.set(b, 'b');
    cache.set({}, 'c');
    assert.equal(cache.get(a), undefined); // least recently used, evicted
    assert.equal(cache.get(b), 'b');
  });

  test('runText gives the same answers from a cached parse, and reports syntax errors every time', () => {
    const engine = memoryEngine();
    try {
      const text = 'CreateCollection({name: "c"}); Create(Ref(Collection("c"), "1"), {data: {n: 1}}); Select(["data", "n"], Get(Ref(Collection("c"), "1")))';
      const first = runText(engine, text);
      assert.deepEqual(first.map((r) => r.ok), [true, true, true]);
      const again = runText(engine, 'Update(Ref(Collection("c"), "1"), {data: {n: 2}}); Select(["data", "n"], Get(Ref(Collection("c"), "1")))');
      assert.deepEqual(again.map((r) => (r.ok ? r.resource : r.error.code)).slice(1), [2n]);
      const read = runText(engine, 'Select(["data", "n"], Get(Ref(Collection("c"), "1")))');
      assert.equal(read[0]!.ok && read[0]!.resource, 2n);
      for (let i = 0; i < 2; i++) {
        const bad = runText(engine, 'Get(');
        assert.equal(bad[0]!.ok, false);
        assert.equal(!bad[0]!.ok && bad[0]!.error.code, 'invalid syntax');
      }
    } finally {
      engine.close();
    }
  });
});

describe("the engine's compiled expressions", () => {
  test('small expressions are kept for reuse, bulk ones (with all the data they carry) are not', () => {
    const engine = memoryEngine();
    try {
      const kept = (engine as unknown as { compiledExprs: RecentCache<object, unknown> }).compiledExprs;
      const small = { add: [1n, 2n] };
      assert.equal(engine.query(small).ok, true);
      assert.notEqual(kept.get(small), undefined);
      const items = Array.from({ length: MAX_CACHED_NODES }, (_, i) => BigInt(i));
      const bulk = { count: items };
      const result = engine.query(bulk);
      assert.equal(result.ok && result.value, BigInt(MAX_CACHED_NODES));
      assert.equal(kept.get(bulk), undefined);
    } finally {
      engine.close();
    }
  });

  test('compileSized counts every node of an expression', () => {
    assert.equal(compileSized(1n).nodes, 1);
    assert.equal(compileSized({ add: [1n, 2n] }).nodes, 4); // the form, its array, two numbers
    assert.equal(compileSized({ lambda: 'x', expr: { var: 'x' } }).nodes > 1, true);
  });
});
