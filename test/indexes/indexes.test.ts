/**
 * Index behaviour that the conformance format cannot express: what is (not)
 * written after a failed transaction, the failures[] of CreateIndex
 * validation errors, and the index verifier after history edits and builds.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { stringifyJson, type Json } from '../../shared/fql/json.js';
import { fql, memoryEngine, runFql, tempEngine } from '../helpers/engine.js';

function setup(engine: Engine, ...statements: string[]): void {
  for (const s of statements) fql(engine, s);
}

function failure(engine: Engine, text: string): { code: string; description: string; position?: (string | number)[]; failures?: { field: (string | number)[]; code: string }[] } {
  const results = runFql(engine, text);
  const r = results[results.length - 1]!;
  assert.ok(!r.ok, `expected an error from ${text}`);
  return r.error.toJSON() as never;
}

const show = (v: Json): string => stringifyJson(v);

describe('unique indexes', () => {
  test('a violation writes nothing: neither the document nor its entries, nor earlier writes of the transaction', () => {
    const e = memoryEngine();
    try {
      setup(e, 'CreateCollection({name: "c"})', 'CreateIndex({name: "u", source: Collection("c"), terms: [{field: ["data", "k"]}], unique: true})', 'CreateIndex({name: "all", source: Collection("c"), values: [{field: ["data", "k"]}]})', 'Create(Ref(Collection("c"), "1"), {data: {k: "a"}})');
      const err = failure(e, 'Do(Create(Ref(Collection("c"), "2"), {data: {k: "b"}}), Update(Ref(Collection("c"), "1"), {data: {n: 1}}), Create(Ref(Collection("c"), "3"), {data: {k: "a"}}))');
      assert.equal(err.code, 'instance not unique');
      assert.deepEqual(err.position, ['do', 2]);
      assert.equal(show(fql(e, 'Paginate(Match(Index("all")))')), '{"data":["a"]}');
      assert.equal(fql(e, 'Exists(Ref(Collection("c"), "2"))'), false);
      assert.equal(fql(e, 'Exists(Ref(Collection("c"), "3"))'), false);
      assert.equal(show(fql(e, 'Select("data", Get(Ref(Collection("c"), "1")))')), '{"k":"a"}');
      assert.equal(fql(e, 'Count(Events(Match(Index("all"))))'), 1n);
      assert.deepEqual(verifyDatabase(e).problems, []);
    } finally {
      e.close();
    }
  });

  test('the value of a deleted document is free again, also within the deleting transaction', () => {
    const e = memoryEngine();
    try {
      setup(e, 'CreateCollection({name: "c"})', 'CreateIndex({name: "u", source: Collection("c"), terms: [{field: ["data", "k"]}], unique: true})', 'Create(Ref(Collection("c"), "1"), {data: {k: "a"}})');
      setup(e, 'Do(Delete(Ref(Collection("c"), "1")), Create(Ref(Collection("c"), "2"), {data: {k: "a"}}))');
      assert.equal(failure(e, 'Create(Ref(Collection("c"), "3"), {data: {k: "a"}})').code, 'instance not unique');
      setup(e, 'Update(Ref(Collection("c"), "2"), {data: {k: "b"}})', 'Create(Ref(Collection("c"), "3"), {data: {k: "a"}})');
      assert.deepEqual(verifyDatabase(e).problems, []);
    } finally {
      e.close();
    }
  });
});

describe('CreateIndex validation failures', () => {
  const cases: [string, string, (string | number)[]][] = [
    ['CreateIndex({name: "i"})', 'value required', ['source']],
    ['CreateIndex({name: "i", source: Collection("nope")})', 'invalid reference', ['source']],
    ['CreateIndex({name: "i", source: Collection("c"), terms: [{}]})', 'value required', ['terms', 0]],
    ['CreateIndex({name: "i", source: Collection("c"), terms: [{field: ["data", "a"], transform: "upper"}]})', 'invalid value', ['terms', 0, 'transform']],
    ['CreateIndex({name: "i", source: Collection("c"), values: [{field: ["data", "a"], reverse: 1}]})', 'invalid type', ['values', 0, 'reverse']],
    ['CreateIndex({name: "i", source: Collection("c"), partitions: 9})', 'bounds error', ['partitions']],
    ['CreateIndex({name: "i", source: {collection: Collection("c"), fields: {x: Query(Lambda("d", 1))}}})', 'unused binding', ['source', 'fields', 'x']],
    ['CreateIndex({name: "i", source: {collection: Collection("c"), fields: {x: Query(Lambda("d", Get(Var("d"))))}}, terms: [{binding: "x"}]})', 'invalid binding', ['source', 'fields', 'x']],
    ['CreateIndex({name: "i", source: [{collection: Collection("c"), fields: {x: Query(Lambda("d", 1))}}, {collection: Collection("c"), fields: {y: Query(Lambda("d", 2))}}], terms: [{binding: "x"}, {binding: "y"}]})', 'multiple bindings', ['source']],
    ['CreateIndex({name: "i", source: [Collection("c"), "_"]})', 'mixed wildcards', ['source']],
  ];
  for (const [text, code, field] of cases) {
    test(`${code} at ${field.join('.')}: ${text}`, () => {
      const e = memoryEngine();
      try {
        setup(e, 'CreateCollection({name: "c"})');
        const err = failure(e, text);
        assert.equal(err.code, 'validation failed');
        assert.equal(err.description, 'document data is not valid.');
        assert.deepEqual(err.position, ['create_index']);
        assert.deepEqual(
          err.failures?.map((f) => [f.code, f.field]),
          [[code, field]],
        );
        assert.equal(fql(e, 'Exists(Index("i"))'), false);
      } finally {
        e.close();
      }
    });
  }

  test('changing the shape of an index fails with invalid index', () => {
    const e = memoryEngine();
    try {
      setup(e, 'CreateCollection({name: "c"})', 'CreateIndex({name: "i", source: Collection("c"), terms: [{field: ["data", "a"]}]})', 'CreateIndex({name: "all", source: Collection("c")})');
      for (const [text, field] of [
        ['Update(Index("i"), {terms: [{field: ["data", "b"]}]})', 'terms'],
        ['Update(Index("i"), {values: [{field: ["data", "b"]}]})', 'values'],
        ['Update(Index("all"), {unique: true})', 'partitions'],
      ] as const) {
        const err = failure(e, text);
        assert.equal(err.code, 'validation failed', text);
        assert.deepEqual(
          err.failures?.map((f) => [f.code, f.field]),
          [['invalid index', [field]]],
          text,
        );
      }
    } finally {
      e.close();
    }
  });
});

describe('the index verifier agrees with the maintained entries', () => {
  test('after builds over existing documents, ts values, bindings, MVA, Insert/Remove of history, and deletes', () => {
    const t = tempEngine();
    try {
      const e = t.engine;
      setup(
        e,
        'CreateCollection({name: "c"})',
        'Create(Ref(Collection("c"), "1"), {data: {t: ["x", "y"], v: [1, 2.5, "s", {o: 1}]}})',
        'Create(Ref(Collection("c"), "2"), {data: {t: "x", v: null}})',
        // Built over existing documents: ts values must be the documents' ts.
        'CreateIndex({name: "ts", source: Collection("c"), values: [{field: ["ts"]}, {field: ["ref"]}]})',
        'CreateIndex({name: "mva", source: Collection("c"), terms: [{field: ["data", "t"]}], values: [{field: ["data", "v"]}]})',
        'CreateIndex({name: "tsterm", source: Collection("c"), terms: [{field: ["ts"]}]})',
        'CreateIndex({name: "b", source: {collection: Collection("c"), fields: {n: Query(Lambda("d", Select(["data", "n"], Var("d"))))}}, values: [{binding: "n"}]})',
        'Update(Ref(Collection("c"), "2"), {data: {n: 5}})',
        'Create(Ref(Collection("c"), "3"), {data: {n: 1, t: "y", v: [3, 3]}})',
        'Insert(Ref(Collection("c"), "3"), 1, "create", {data: {n: 0}})',
        'Delete(Ref(Collection("c"), "1"))',
      );
      const tsOf2 = fql(e, 'Select("ts", Get(Ref(Collection("c"), "2")))');
      assert.equal(show(fql(e, 'Select(["data", 0], Paginate(Match(Index("ts"))))')), show([tsOf2, { '@ref': { id: '2', collection: { '@ref': { id: 'c', collection: { '@ref': { id: 'collections' } } } } } }]));
      assert.equal(show(fql(e, 'Paginate(Match(Index("mva"), "y"))')), '{"data":[3]}');
      const report = verifyDatabase(e);
      assert.deepEqual(report.problems, []);
      assert.ok(report.ok);
      assert.ok(report.entries > 0);
    } finally {
      t.dispose();
    }
  });
  test('reports stored values that differ from the document, missing entries and stray entries', () => {
    const t = tempEngine();
    try {
      const e = t.engine;
      setup(
        e,
        'CreateCollection({name: "c"})',
        'CreateIndex({name: "by_n", source: Collection("c"), values: [{field: ["data", "n"]}, {field: ["ref"]}]})',
        'Create(Ref(Collection("c"), "1"), {data: {n: 1}})',
        'Create(Ref(Collection("c"), "2"), {data: {n: 2}})',
      );
      assert.deepEqual(verifyDatabase(e).problems, []);
      const idx = e.db.prepare(`SELECT oid FROM schema_objects WHERE name = 'by_n'`).pluck().get();
      e.db.prepare('UPDATE index_entries SET vals = ? WHERE idx = ? AND id = 1').run('[7]', idx);
      assert.deepEqual(verifyDatabase(e).problems, [
        'index by_n: entry for 1024/1 stores values [7], expected [1]',
        'index by_n: entry for 1024/1 has values that do not encode to its key',
      ]);
      e.db.prepare('DELETE FROM index_entries WHERE idx = ? AND id = 1').run(idx);
      e.db.prepare('UPDATE index_entries SET id = 3 WHERE idx = ? AND id = 2').run(idx);
      const problems = verifyDatabase(e).problems;
      assert.ok(problems.includes('index by_n: document c/1 is missing an entry'), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith('index by_n: entry for 1024/3 has values that do not encode to its key')), problems.join('\n'));
    } finally {
      t.dispose();
    }
  });
});

describe('reading an index in pages of any size', () => {
  test('every size from 1 to 300 gives the same entries, forwards and backwards (a statement per size, more than its cache keeps)', () => {
    const e = memoryEngine();
    try {
      setup(e, 'CreateCollection({name: "c"})', 'CreateIndex({name: "by_n", source: Collection("c"), values: [{field: ["data", "n"]}, {field: ["ref"]}]})');
      fql(e, 'Foreach(Map([' + Array.from({ length: 40 }, (_, i) => (i * 7) % 40 - 20).join(',') + '], Lambda("n", Var("n"))), Lambda("n", Create(Collection("c"), {data: {n: Var("n")}})))');
      const all = show(fql(e, 'Select("data", Paginate(Match(Index("by_n")), {size: 1000}))'));
      const ns = JSON.parse(show(fql(e, 'Map(Select("data", Paginate(Match(Index("by_n")), {size: 1000})), Lambda(["n", "r"], Var("n")))'))) as number[];
      assert.deepEqual(ns, Array.from({ length: 40 }, (_, i) => i - 20));
      for (let size = 1; size <= 300; size++) {
        let forward = '[]';
        let after: Json | undefined;
        for (;;) {
          const page = fql(e, `Paginate(Match(Index("by_n")), {size: ${size}${after === undefined ? '' : `, after: ${fqlOf(after)}`}})`) as { data: Json[]; after?: Json };
          forward = joinPages(forward, show(page.data as Json));
          if (page.after === undefined) break;
          after = page.after;
        }
        assert.equal(forward, all, `forwards, size ${size}`);
        const last = fql(e, `Paginate(Match(Index("by_n")), {size: ${size}, before: null})`) as { data: Json[] };
        assert.equal(last.data.length, Math.min(size, 40), `backwards, size ${size}`);
      }
    } finally {
      e.close();
    }
  });
});

/** Two shown arrays as one. */
function joinPages(a: string, b: string): string {
  if (a === '[]') return b;
  if (b === '[]') return a;
  return `${a.slice(0, -1)},${b.slice(1)}`;
}

/** FQL text for a cursor in wire form (numbers and document refs). */
function fqlOf(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(fqlOf).join(', ')}]`;
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  const ref = (v as { '@ref': { id: string; collection: { '@ref': { id: string } } } })['@ref'];
  return `Ref(Collection("${ref.collection['@ref'].id}"), "${ref.id}")`;
}
