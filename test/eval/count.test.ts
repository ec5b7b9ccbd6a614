/**
 * Count over Documents and Match is answered by storage (a count of the
 * collection's live rows, or of the index's rows under the terms) instead of
 * reading every entry. Whatever the writes before it, in earlier queries or
 * in the same one, and under At, it must equal the count of the entries a
 * read yields (Count over a Filter that keeps everything, which reads them).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { memoryEngine, runFql } from '../helpers/engine.js';
import type { Engine } from '../../electron/engine/engine.js';

const SETS = [
  'Documents(Collection("c"))',
  'Match(Index("all"))',
  'Match(Index("by_g"), 0)',
  'Match(Index("by_g"), 1)',
  'Match(Index("by_g"), 2)',
  'Match(Index("by_g"), "absent")',
  'Match(Index("by_tag"), "a")',
  'Match(Index("by_tag"), "b")',
  'Reverse(Match(Index("by_tag"), "a"))',
  'Match(Index("g_values"))',
  'Range(Match(Index("g_values")), 1, 1)',
];

/** One query reading each set's Count and its Count read entry by entry. */
const COUNTS = `[${SETS.map((s) => `[Count(${s}), Count(Filter(${s}, Lambda("x", true)))]`).join(', ')}]`;

function ok(engine: Engine, text: string): unknown {
  const [r] = runFql(engine, text);
  assert.ok(r?.ok, `${text}: ${r && !r.ok ? r.error.description : ''}`);
  return r.value;
}

function assertCountsAgree(value: unknown, what: string): void {
  const pairs = value as [bigint, bigint][];
  pairs.forEach(([counted, read], i) => assert.equal(counted, read, `${what}: Count(${SETS[i]}) is ${counted}, reading gives ${read}`));
}

type Op = { kind: 'create'; g: number; tags: string[] } | { kind: 'update'; doc: number; g: number } | { kind: 'delete'; doc: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant<'create'>('create'), g: fc.integer({ min: 0, max: 2 }), tags: fc.subarray(['a', 'b', 'c']) }),
  fc.record({ kind: fc.constant<'update'>('update'), doc: fc.nat(40), g: fc.integer({ min: 0, max: 2 }) }),
  fc.record({ kind: fc.constant<'delete'>('delete'), doc: fc.nat(40) }),
);

function fqlOf(o: Op, ids: string[]): string | null {
  if (o.kind === 'create') return `Create(Collection("c"), {data: {g: ${o.g}, tags: ${JSON.stringify(o.tags)}}})`;
  const id = ids[o.doc % Math.max(ids.length, 1)];
  if (id === undefined) return null;
  const ref = `Ref(Collection("c"), "${id}")`;
  return o.kind === 'update' ? `If(Exists(${ref}), Update(${ref}, {data: {g: ${o.g}}}), null)` : `If(Exists(${ref}), Delete(${ref}), null)`;
}

describe('Count answered by storage', () => {
  test('Count over Documents and Match equals the entries read, after any writes, in the same query too, and under At', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 30 }), fc.array(op, { maxLength: 5 }), (ops, sameQuery) => {
        const engine = memoryEngine();
        try {
          ok(engine, 'CreateCollection({name: "c"})');
          ok(engine, 'CreateIndex({name: "all", source: Collection("c")})');
          ok(engine, 'CreateIndex({name: "by_g", source: Collection("c"), terms: [{field: ["data", "g"]}]})');
          ok(engine, 'CreateIndex({name: "by_tag", source: Collection("c"), terms: [{field: ["data", "tags"]}]})');
          ok(engine, 'CreateIndex({name: "g_values", source: Collection("c"), values: [{field: ["data", "g"]}, {field: ["ref"]}]})');
          const ids: string[] = [];
          for (const o of ops) {
            const text = fqlOf(o, ids);
            if (text === null) continue;
            const v = ok(engine, text) as { ref?: { id: string } } | null;
            if (o.kind === 'create' && v?.ref) ids.push(v.ref.id);
          }
          assertCountsAgree(ok(engine, COUNTS), 'after the writes');
          // Writes earlier in the same query count too.
          const writes = sameQuery.map((o) => fqlOf(o, ids)).filter((t): t is string => t !== null);
          const [r] = runFql(engine, `Do(${[...writes, COUNTS].join(', ')})`);
          assert.ok(r?.ok, r && !r.ok ? r.error.description : '');
          assertCountsAgree(r.value, 'after writes in the same query');
        } finally {
          engine.close();
        }
      }),
      { numRuns: 60 },
    );
  });

  test('under At, Count reads the set as it was', () => {
    const engine = memoryEngine();
    try {
      ok(engine, 'CreateCollection({name: "c"})');
      ok(engine, 'CreateIndex({name: "by_g", source: Collection("c"), terms: [{field: ["data", "g"]}]})');
      ok(engine, 'Foreach([1, 1], Lambda("g", Create(Collection("c"), {data: {g: Var("g")}})))');
      const ts = ok(engine, 'Select("ts", Create(Collection("c"), {data: {g: 2}}))') as bigint;
      ok(engine, 'Foreach([1, 2, 2, 2], Lambda("g", Create(Collection("c"), {data: {g: Var("g")}})))');
      ok(engine, 'Foreach(Paginate(Match(Index("by_g"), 1)), Lambda("r", Delete(Var("r"))))');
      const sets = ['Documents(Collection("c"))', 'Match(Index("by_g"), 1)', 'Match(Index("by_g"), 2)'];
      const counts = (wrap: (e: string) => string): unknown => ok(engine, `[${sets.map((x) => wrap(`[Count(${x}), Count(Filter(${x}, Lambda("d", true)))]`)).join(', ')}]`);
      assert.deepEqual(counts((e) => e), [[4n, 4n], [0n, 0n], [4n, 4n]], 'now');
      assert.deepEqual(counts((e) => `At(Epoch(${ts}, "microseconds"), ${e})`), [[3n, 3n], [2n, 2n], [1n, 1n]], 'then');
    } finally {
      engine.close();
    }
  });
});
