/**
 * Index builds compute entries in SQLite for documents whose indexed fields
 * are plain scalars (eval/indexes/sql-entries.ts) and in JavaScript for the
 * rest. Whatever the documents hold, the entries a build writes must be
 * exactly those entriesFor (the general path) gives: same keys, unique keys,
 * values and timestamps.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { DEFAULT_LIMITS, EvalContext } from '../../electron/engine/eval/index.js';
import { indexDef } from '../../electron/engine/eval/indexes/definition.js';
import { entriesFor } from '../../electron/engine/eval/indexes/entries.js';
import { LARGE_BATCH, sqlEntryPlan } from '../../electron/engine/eval/indexes/sql-entries.js';
import { entryKey, setRefScope } from '../../electron/engine/storage/sql-functions.js';
import { decodeEntryValues, decodeFields, encodeValue } from '../../electron/engine/storage/codec.js';
import { encodeKey, refScopeBytes } from '../../electron/engine/storage/keys.js';
import { Transaction } from '../../electron/engine/storage/transaction.js';
import type { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { Ref, collectionRef, type Value } from '../../electron/engine/values/value.js';
import { toWire } from '../../electron/engine/wire/encode.js';
import type { Json } from '../../shared/fql/json.js';
import { memoryEngine, runFql } from '../helpers/engine.js';

/** A document field value, as the query expression that writes it. */
type Gen = Json;

const scalar: fc.Arbitrary<Gen> = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(BigInt),
  fc.bigInt({ min: -(2n ** 62n), max: 2n ** 62n }),
  fc.constantFrom(0n, -1n, 10n, -10n, 100n, 9007199254740993n, -9007199254740993n),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.5, -2.25, 1e-7, 3.0, -0.0),
  fc.string({ maxLength: 6 }),
  fc.constantFrom('[', '"@obj"', 'a[b', 'É', 'e', 'f', 'Z', '', '{"@r":1}'),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom<Gen>({ time: '2024-01-02T03:04:05Z' }, { date: '2024-01-02' }, { collection: 'c' }, { ref: { collection: 'c' }, id: '7' }),
);

const KEYS = ['a', 'b', 'c', 'id', '@x'];

const value: fc.Arbitrary<Gen> = fc.letrec<{ v: Gen }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 3 }).map((o) => ({ object: o }) as Gen),
  ),
})).v;

const docData = fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 4 });

const INDEXES = [
  '{name: "v_a_ref", source: Collection("c"), values: [{field: ["data", "a"]}, {field: ["ref"]}]}',
  '{name: "t_a_v_bc", source: Collection("c"), terms: [{field: ["data", "a"]}], values: [{field: ["data", "b", "c"]}]}',
  '{name: "t_b_id", source: Collection("c"), terms: [{field: ["data", "b", "id"]}]}',
  '{name: "t_ref_v_ab", source: Collection("c"), terms: [{field: ["ref"]}], values: [{field: ["data", "a"]}, {field: ["data", "b"]}]}',
  '{name: "t_a_b", source: Collection("c"), terms: [{field: ["data", "a"]}, {field: ["data", "b"]}]}',
  '{name: "v_none", source: Collection("c"), values: [{field: ["data", "x"]}]}',
];

function ok(engine: Engine, text: string): void {
  for (const r of runFql(engine, text)) assert.ok(r.ok, `${text}: ${r.ok ? '' : `${r.error.code}: ${r.error.description}`}`);
}

interface EntryView {
  key: string;
  ukey: string | null;
  id: string;
  vals: string;
  /** The stored text itself: both paths write the same bytes. */
  text: string;
  ts: string;
}

const show = (values: Value[]): string => JSON.stringify(toWire(values), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** The entries stored for an index, and the entries entriesFor gives for the live documents. */
function storedAndExpected(engine: Engine, name: string): { stored: EntryView[]; expected: EntryView[] } {
  const txn = Transaction.begin(engine.store, engine.schemaCache, false, null);
  try {
    const doc = txn.getSchema('indexes', name)!;
    const def = indexDef(doc);
    assert.notEqual(sqlEntryPlan(def), null, `${name} is built in SQL`);
    const coll = txn.getSchema('collections', 'c')!;
    const ctx = new EvalContext(txn, DEFAULT_LIMITS);
    const expected: EntryView[] = [];
    const current = engine.db.prepare('SELECT v.id, v.ts, v.body FROM live l JOIN versions v ON v.coll = l.coll AND v.id = l.id WHERE l.coll = ? AND v.ts = (SELECT max(ts) FROM versions w WHERE w.coll = l.coll AND w.id = l.id)');
    for (const [id, ts, body] of current.raw().all(coll.row.oid) as [bigint, bigint, string][]) {
      const ref = new Ref(id.toString(), collectionRef('c'));
      for (const e of entriesFor(ctx, def, ref, ts, decodeFields(body))) {
        expected.push({ key: e.key.toString('hex'), ukey: e.ukey?.toString('hex') ?? null, id: id.toString(), vals: show(e.values), text: e.vals, ts: ts.toString() });
      }
    }
    const rows = engine.db.prepare('SELECT key, ukey, id, vals, ts FROM index_entries WHERE idx = ?').all(def.oid) as { key: Buffer; ukey: Buffer | null; id: bigint; vals: string; ts: bigint }[];
    const stored = rows.map((r) => {
      const ref = new Ref(r.id.toString(), collectionRef('c'));
      return { key: r.key.toString('hex'), ukey: r.ukey?.toString('hex') ?? null, id: r.id.toString(), vals: show(decodeEntryValues(r.vals, () => ref, def.valueIsOwnRef)), text: r.vals, ts: r.ts.toString() };
    });
    const order = (a: EntryView, b: EntryView): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
    return { stored: stored.sort(order), expected: expected.sort(order) };
  } finally {
    txn.rollback();
  }
}

describe('index builds computed in SQL', () => {
  test('sr_entry_key is the key encoder for every JSON scalar and document ref', () => {
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: -(2n ** 53n), max: 2n ** 53n }), fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)), fc.string(), fc.boolean(), fc.constant(null)), fc.boolean(), (v, asTerm) => {
        const json = encodeValue(v as Value);
        const expected = Buffer.concat([encodeKey([v as Value]), asTerm && typeof v === 'bigint' ? Buffer.from([0]) : asTerm && typeof v === 'number' ? Buffer.from([1]) : Buffer.alloc(0)]);
        assert.equal(entryKey(asTerm ? 't' : 'v', 0n, new Uint8Array(), [json])?.toString('hex'), expected.toString('hex'));
      }),
    );
    assert.equal(entryKey('v', 0n, new Uint8Array(), [null])?.toString('hex'), encodeKey([null]).toString('hex'));
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.string({ minLength: 1 }), fc.integer(), (id, name, n) => {
        const ref = new Ref(id.toString(), collectionRef(name));
        const expected = encodeKey([BigInt(n), ref]);
        assert.equal(entryKey('vr', id, refScopeBytes(collectionRef(name)), [String(n)])?.toString('hex'), expected.toString('hex'));
      }),
    );
    // Through SQL, with the document id handed over in two 32-bit halves.
    const engine = memoryEngine();
    try {
      const inSql = engine.db.prepare(`SELECT sr_entry_key('vr', 7, :id >> 32, :id & 4294967295, :json)`).pluck().safeIntegers(true);
      setRefScope(7n, refScopeBytes(collectionRef('things')));
      fc.assert(
        fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer(), (id, n) => {
          const expected = entryKey('vr', id, refScopeBytes(collectionRef('things')), [String(n)])!;
          assert.equal((inSql.get({ id, json: String(n) }) as Buffer).toString('hex'), expected.toString('hex'));
        }),
      );
    } finally {
      engine.close();
    }
    assert.equal(entryKey('v', 0n, new Uint8Array(), ['{"a":1}'])?.toString('hex'), encodeKey([null]).toString('hex'), 'a plain object indexes as null');
    assert.equal(entryKey('v', 0n, new Uint8Array(), ['{"@ts":"2024-01-02T03:04:05Z"}']), null, 'a tagged value is not for SQL');
    assert.equal(entryKey('v', 0n, new Uint8Array(), ['[1,2]']), null, 'an array is not for SQL');
  });

  test('a build writes exactly the entries of the general path, whatever the documents hold and however they changed', () => {
    // Each document is created, then maybe replaced (once or twice) or deleted, so that the
    // build must index each document's newest version and skip deleted ones.
    const later = fc.oneof(fc.constant<'keep'>('keep'), fc.constant<'delete'>('delete'), fc.array(docData, { minLength: 1, maxLength: 2 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(docData, later), { minLength: 1, maxLength: 25 }), (docs) => {
        const engine = memoryEngine();
        try {
          ok(engine, 'CreateCollection({name: "c"})');
          for (const [data, next] of docs) {
            const r = engine.query({ create: { collection: 'c' }, params: { object: { data: { object: data } } } });
            assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.description}`);
            const ref = toWire((r.value as { ref: Ref }).ref);
            const writes: Json[] = next === 'keep' ? [] : next === 'delete' ? [{ delete: ref }] : next.map((d) => ({ replace: ref, params: { object: { data: { object: d } } } }));
            for (const w of writes) {
              const u = engine.query(w);
              assert.ok(u.ok, u.ok ? '' : `${u.error.code}: ${u.error.description}`);
            }
          }
          for (const def of INDEXES) ok(engine, `CreateIndex(${def})`);
          for (const name of INDEXES.map((d) => /name: "(\w+)"/.exec(d)![1]!)) {
            const { stored, expected } = storedAndExpected(engine, name);
            assert.deepEqual(stored, expected, name);
          }
          assert.deepEqual(verifyDatabase(engine).problems, []);
        } finally {
          engine.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  test('a unique index built in SQL refuses duplicates and accepts distinct values', () => {
    const engine = memoryEngine();
    try {
      ok(engine, 'CreateCollection({name: "c"})');
      ok(engine, 'Foreach([1, 2, 3, "x", 2.5, true, null], Lambda("v", Create(Collection("c"), {data: {k: Var("v")}})))');
      ok(engine, 'CreateIndex({name: "u", source: Collection("c"), terms: [{field: ["data", "k"]}], unique: true})');
      const { stored, expected } = storedAndExpected(engine, 'u');
      assert.deepEqual(stored, expected);
      assert.equal(stored.length, 6, 'null is not indexed');
      ok(engine, 'Delete(Index("u"))');
      ok(engine, 'Create(Collection("c"), {data: {k: 2}})');
      const dup = runFql(engine, 'CreateIndex({name: "u2", source: Collection("c"), terms: [{field: ["data", "k"]}], unique: true})')[0]!;
      assert.ok(!dup.ok, 'a unique index over duplicates was built');
      assert.equal(dup.error.code, 'instance not unique');
      const exists = runFql(engine, 'Exists(Index("u2"))')[0]!;
      assert.ok(exists.ok && exists.value === false, 'the failed CreateIndex left nothing behind');
    } finally {
      engine.close();
    }
  });

  test('indexes with bindings, ts, reverse, casefold or quotes in a field name are not built in SQL', () => {
    const engine = memoryEngine();
    try {
      ok(engine, 'CreateCollection({name: "c"})');
      const defs = [
        '{name: "b", source: {collection: Collection("c"), fields: {x: Query(Lambda("d", 1))}}, values: [{binding: "x"}]}',
        '{name: "t", source: Collection("c"), values: [{field: ["ts"]}]}',
        '{name: "r", source: Collection("c"), values: [{field: ["data", "a"], reverse: true}]}',
        '{name: "f", source: Collection("c"), terms: [{field: ["data", "a"], transform: "casefold"}]}',
        '{name: "i", source: Collection("c"), values: [{field: ["ref", "id"]}]}',
        `{name: "q", source: Collection("c"), values: [{field: ["data", "it's"]}]}`,
      ];
      for (const d of defs) ok(engine, `CreateIndex(${d})`);
      // Quotes in a field name: built by the general path, and right.
      ok(engine, `Create(Collection("c"), {data: {"it's": 5}})`);
      ok(engine, `CreateIndex({name: "q2", source: Collection("c"), values: [{field: ["data", "it's"]}]})`);
      const [page] = runFql(engine, 'Paginate(Match(Index("q2")))');
      assert.ok(page?.ok && JSON.stringify(toWire(page.value), (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) === '{"data":[5]}');
      const txn = Transaction.begin(engine.store, engine.schemaCache, false, null);
      try {
        for (const name of ['b', 't', 'r', 'f', 'i', 'q']) assert.equal(sqlEntryPlan(indexDef(txn.getSchema('indexes', name)!)), null, name);
      } finally {
        txn.rollback();
      }
    } finally {
      engine.close();
    }
  });
  test('a large build sorts its entries in runs, writes the same entries, and leaves the page cache as it was', () => {
    const engine = memoryEngine();
    try {
      ok(engine, 'CreateCollection({name: "c"})');
      // Numbers, strings and, every 1000th document, an array (the general path) in one batch.
      const batch = 10_000;
      for (let start = 0; start < LARGE_BATCH + batch; start += batch) {
        const values = Array.from({ length: batch }, (_, k) => {
          const i = start + k;
          return i % 1000 === 0 ? `[${i}, "x${i}"]` : i % 3 === 0 ? `"s${(i * 7919) % 100_003}"` : String(((i * 7919) % 200_003) - 100_000);
        });
        ok(engine, `Foreach([${values.join(', ')}], Lambda("v", Create(Collection("c"), {data: {a: Var("v")}})))`);
      }
      const pragmas: string[] = [];
      const db = engine.store.db;
      const pragma = db.pragma.bind(db);
      db.pragma = ((source: string, options?: { simple?: boolean }) => {
        pragmas.push(source);
        return pragma(source, options);
      }) as typeof db.pragma;
      const before = pragma('cache_size', { simple: true });
      ok(engine, 'CreateIndex({name: "v_a_ref", source: Collection("c"), values: [{field: ["data", "a"]}, {field: ["ref"]}]})');
      engine.finishBackgroundWork();
      assert.ok(pragmas.some((p) => /^cache_size = -\d+$/.test(p)), `the build ran in sort runs: ${pragmas.join('; ')}`);
      assert.equal(pragma('cache_size', { simple: true }), before, 'the page cache is as it was');
      const { stored, expected } = storedAndExpected(engine, 'v_a_ref');
      assert.equal(stored.length, LARGE_BATCH + batch + (LARGE_BATCH + batch) / 1000, 'one entry per document, two per array');
      assert.deepEqual(stored, expected);
      assert.deepEqual(verifyDatabase(engine).problems, []);
    } finally {
      engine.close();
    }
  });
});
