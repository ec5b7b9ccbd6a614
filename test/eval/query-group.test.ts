/**
 * Group commit (Engine.queryGroup): consecutive writing queries share one
 * SQLite transaction, each its own savepoint. A group must answer exactly as
 * the same queries run one by one: same successes and errors, same final
 * state, one ledger entry per successful write, times increasing in order;
 * a failed query leaves nothing; a group whose commit fails leaves nothing.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { Engine, QueryResult } from '../../electron/engine/engine.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import type { Json } from '../../shared/fql/json.js';
import { stringifyJson } from '../../shared/fql/json.js';
import { fql, memoryEngine } from '../helpers/engine.js';

const SETUP = [
  'CreateCollection({name: "c"})',
  'CreateIndex({name: "c_by_k", source: Collection("c"), terms: [{field: ["data", "k"]}], unique: true})',
];

function setup(): Engine {
  const engine = memoryEngine();
  for (const text of SETUP) fql(engine, text);
  return engine;
}

/** Statements of the generated workloads: writes that succeed or fail, schema changes, reads. */
const statement = fc.oneof(
  fc.record({ id: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 0, max: 4 }) }).map(({ id, k }) => `Create(Ref(Collection("c"), "${id}"), {data: {k: ${k}}})`),
  fc.record({ id: fc.integer({ min: 1, max: 6 }), k: fc.integer({ min: 0, max: 4 }) }).map(({ id, k }) => `Update(Ref(Collection("c"), "${id}"), {data: {k: ${k}}})`),
  fc.integer({ min: 1, max: 6 }).map((id) => `Delete(Ref(Collection("c"), "${id}"))`),
  fc.integer({ min: 1, max: 6 }).map((id) => `Do(Create(Ref(Collection("c"), "${id}"), {data: {k: 9}}), Abort("no"))`),
  fc.integer({ min: 1, max: 3 }).map((n) => `If(Exists(Collection("extra${n}")), "there", CreateCollection({name: "extra${n}"}))`),
  fc.integer({ min: 1, max: 3 }).map((n) => `Create(Collection("extra${n}"), {data: {n: ${n}}})`),
  fc.constant('Count(Documents(Collection("c")))'),
  fc.integer({ min: 0, max: 4 }).map((k) => `Paginate(Match(Index("c_by_k"), ${k}))`),
  fc.constant('Create(Collection("c"), {data: {k: NewId()}})'),
  fc.constant('Create(Collection("c"), {data: "not an object"})'),
);

const exprOf = (text: string): Json => parseFql(text)[0]!.expr;

/** What must agree between runs: success, the error code, and the answer without times and generated ids. */
function outcome(r: QueryResult): string {
  if (!r.ok) return `error ${r.error.code}`;
  return stringifyJson(r.resource).replace(/"ts":\d+/g, '"ts":_').replace(/"id":"\d{12,}"/g, '"id":_').replace(/"k":"\d{12,}"/g, '"k":_');
}

function state(engine: Engine): string {
  const docs = fql(engine, 'Map(Paginate(Documents(Collection("c")), {size: 100}), Lambda("r", Select("data", Get(Var("r")))))');
  const extras = [1, 2, 3].map((n) => fql(engine, `If(Exists(Collection("extra${n}")), Count(Documents(Collection("extra${n}"))), -1)`));
  return stringifyJson([docs, extras]).replace(/"k":"\d{12,}"/g, '"k":_');
}

function ledgerTimes(engine: Engine): bigint[] {
  return (engine.db.prepare('SELECT ts FROM ledger ORDER BY ts').pluck().all() as bigint[]).slice(SETUP.length);
}

describe('group commit', () => {
  test('a group answers as the same queries run one by one', () => {
    fc.assert(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 14 }), (texts) => {
        const one = setup();
        const grouped = setup();
        try {
          const sequential = texts.map((t) => one.query(exprOf(t)));
          const together = grouped.queryGroup(texts.map((t) => ({ expr: exprOf(t) })));
          assert.deepEqual(together.map(outcome), sequential.map(outcome));
          assert.equal(state(grouped), state(one));
          // One ledger entry per successful write, at the time its result gave, in order.
          const written = together.filter((r): r is Extract<QueryResult, { ok: true }> => r.ok && r.writes.length > 0).map((r) => r.ts);
          assert.deepEqual(ledgerTimes(grouped), written);
          for (let i = 1; i < written.length; i++) assert.ok(written[i]! > written[i - 1]!);
        } finally {
          one.close();
          grouped.close();
        }
      }),
      { numRuns: 150 },
    );
  });

  test('a read between writes sees the writes queued before it and none after', () => {
    const engine = setup();
    const [, read] = engine.queryGroup([
      { expr: exprOf('Create(Ref(Collection("c"), "1"), {data: {k: 1}})') },
      { expr: exprOf('Count(Documents(Collection("c")))') },
      { expr: exprOf('Create(Ref(Collection("c"), "2"), {data: {k: 2}})') },
    ]);
    assert.ok(read?.ok);
    assert.equal(read.value, 1n);
    assert.equal(fql(engine, 'Count(Documents(Collection("c")))'), 2n);
    engine.close();
  });

  test('when the group cannot commit, every query of it fails and nothing remains', () => {
    const engine = setup();
    const store = engine.store as unknown as { commitGroup(): void };
    const commitGroup = store.commitGroup.bind(store);
    store.commitGroup = () => {
      throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
    };
    const results = engine.queryGroup([
      { expr: exprOf('Create(Ref(Collection("c"), "1"), {data: {k: 1}})') },
      { expr: exprOf('CreateCollection({name: "later"})') },
      { expr: exprOf('Create(Ref(Collection("c"), "2"), {data: {k: 2}})') },
    ]);
    store.commitGroup = commitGroup;
    assert.deepEqual(
      results.map((r) => r.ok),
      [false, false, false],
    );
    assert.equal(fql(engine, 'Count(Documents(Collection("c")))'), 0n);
    assert.equal(fql(engine, 'Exists(Collection("later"))'), false);
    assert.deepEqual(ledgerTimes(engine), []);
    // The engine goes on: a group after it commits.
    const again = engine.queryGroup([{ expr: exprOf('CreateCollection({name: "later"})') }, { expr: exprOf('Create(Collection("later"), {data: {}})') }]);
    assert.deepEqual(
      again.map((r) => r.ok),
      [true, true],
    );
    assert.equal(fql(engine, 'Count(Documents(Collection("later")))'), 1n);
    engine.close();
  });
});
