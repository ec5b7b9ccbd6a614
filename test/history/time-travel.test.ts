/**
 * Time travel (issue 6): At, Get/Exists with a ts, Events read at a past
 * time, and the history edits Insert and Remove — what history.json does not
 * already cover. Each test builds a small history and reads it back.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import type { Json } from '../../shared/fql/json.js';
import { memoryEngine } from '../helpers/engine.js';
import { assertJson, fql, fqlError, int, wholeLedger } from './helpers.js';

const R = (id: string): string => `Ref(Collection("c"), "${id}")`;
const ref = (id: string): Json => ({ '@ref': { id, collection: { '@ref': { id: 'c', collection: { '@ref': { id: 'collections' } } } } } });

/** A document history: 1 created (v 1) at t1, updated (v 2) at t2, deleted at t3, created again (v 4) at t4; 2 created at t2. */
interface Fixture {
  engine: Engine;
  t1: bigint;
  t2: bigint;
  t3: bigint;
  t4: bigint;
}

function fixture(): Fixture {
  const engine = memoryEngine();
  fql(engine, 'CreateCollection({name: "c"})');
  fql(engine, 'CreateIndex({name: "by_v", source: Collection("c"), terms: [{field: ["data", "v"]}]})');
  fql(engine, 'CreateIndex({name: "vs", source: Collection("c"), values: [{field: ["data", "v"]}]})');
  const ts = (text: string): bigint => int(fql(engine, `Select("ts", ${text})`));
  const t1 = ts(`Create(${R('1')}, {data: {v: 1, keep: "k"}})`);
  const t2 = int(fql(engine, `Do(Update(${R('1')}, {data: {v: 2}}), Create(${R('2')}, {data: {v: 20}}), Select("ts", Get(${R('1')})))`));
  fql(engine, `Delete(${R('1')})`);
  const t3 = int(fql(engine, `Select(["data", 2, "ts"], Paginate(Events(${R('1')})))`));
  const t4 = ts(`Create(${R('1')}, {data: {v: 4}})`);
  return { engine, t1, t2, t3, t4 };
}

describe('At, Get and Exists at a time', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });
  afterEach(() => f.engine.close());

  test('At and Get(ref, ts) agree at every version boundary, with integers and Times', () => {
    const { engine, t1, t2, t3, t4 } = f;
    const probes: [bigint, Json][] = [
      [t1 - 1n, 'none'],
      [t1, { v: 1n, keep: 'k' }],
      [t2 - 1n, { v: 1n, keep: 'k' }],
      [t2, { v: 2n, keep: 'k' }],
      [t3 - 1n, { v: 2n, keep: 'k' }],
      [t3, 'none'],
      [t4 - 1n, 'none'],
      [t4, { v: 4n }],
    ];
    for (const [ts, want] of probes) {
      const viaAt = fql(engine, `At(${ts}, If(Exists(${R('1')}), Select("data", Get(${R('1')})), "none"))`);
      const viaGet = fql(engine, `If(Exists(${R('1')}, ${ts}), Select("data", Get(${R('1')}, ${ts})), "none")`);
      const viaTime = fql(engine, `At(Epoch(${ts}, "microseconds"), If(Exists(${R('1')}), Select("data", Get(${R('1')})), "none"))`);
      assertJson(viaAt, want, `At(${ts})`);
      assertJson(viaGet, want, `Get(ref, ${ts})`);
      assertJson(viaTime, want, `At(Time)`);
    }
  });

  test("a document read at a time has that version's ts", () => {
    const { engine, t1, t2 } = f;
    assert.equal(int(fql(engine, `Select("ts", Get(${R('1')}, ${t2 - 1n}))`)), t1);
    assert.equal(int(fql(engine, `At(${t2 + 1n}, Select("ts", Get(${R('1')})))`)), t2);
  });

  test('Get of a deleted document at a time before its delete; not found at the delete', () => {
    const { engine, t3 } = f;
    assertJson(fql(engine, `Select("data", Get(${R('1')}, ${t3 - 1n}))`), { v: 2n, keep: 'k' });
    const e = fqlError(engine, `Get(${R('1')}, ${t3})`);
    assert.equal(e.code, 'instance not found');
  });

  test('a time after now reads as now', () => {
    const { engine } = f;
    assertJson(fql(engine, `At(Add(ToMicros(Now()), 86400000000), Select("data", Get(${R('1')})))`), { v: 4n });
    assertJson(fql(engine, `At(Time("2999-01-01T00:00:00Z"), Paginate(Match(Index("vs"))))`), { data: [4n, 20n] });
  });

  test('nested At: the inner time applies inside, the outer one again after it', () => {
    const { engine, t1, t2, t4 } = f;
    const r = fql(engine, `At(${t1}, [Select(["data", "v"], Get(${R('1')})), At(${t4}, Select(["data", "v"], Get(${R('1')}))), Select(["data", "v"], Get(${R('1')})), Select(["data", "v"], Get(${R('1')}, ${t2}))])`);
    assertJson(r, [1n, 4n, 1n, 2n]);
  });

  test('At sees sets as they were: Documents, Match, Count, Exists on a set', () => {
    const { engine, t1, t2, t3 } = f;
    assertJson(fql(engine, `At(${t1}, [Count(Documents(Collection("c"))), Paginate(Match(Index("vs"))), Exists(Match(Index("by_v"), 20))])`), [1n, { data: [1n] }, false]);
    assertJson(fql(engine, `At(${t2}, [Count(Documents(Collection("c"))), Paginate(Match(Index("vs"))), Exists(Match(Index("by_v"), 20))])`), [2n, { data: [2n, 20n] }, true]);
    assertJson(fql(engine, `At(${t3}, [Count(Documents(Collection("c"))), Paginate(Match(Index("vs")))])`), [1n, { data: [20n] }]);
  });

  test('inside a transaction, At(Now()) reads its own writes and an earlier time does not', () => {
    const { engine, t4 } = f;
    const r = fql(engine, `Do(Update(${R('1')}, {data: {v: 5}}), [At(Now(), Select(["data", "v"], Get(${R('1')}))), At(${t4}, Select(["data", "v"], Get(${R('1')}))), Select(["data", "v"], Get(${R('1')}))])`);
    assertJson(r, [5n, 4n, 5n]);
  });

  test('a write inside At with a past time fails with invalid write time; nothing is written', () => {
    const { engine, t1 } = f;
    const ledger = wholeLedger(engine).length;
    for (const write of [`Create(${R('3')}, {data: {}})`, `Update(${R('2')}, {data: {v: 0}})`, `Delete(${R('2')})`]) {
      const e = fqlError(engine, `At(${t1}, ${write})`);
      assert.equal(e.code, 'invalid write time', write);
      assert.equal(e.description, 'Cannot write outside of snapshot time.');
      assert.deepEqual(e.position, ['expr']);
    }
    assert.equal(wholeLedger(engine).length, ledger);
    assert.equal(fql(engine, `Exists(${R('3')})`), false);
  });

  test('a write inside At(Now()) is allowed', () => {
    const { engine } = f;
    assertJson(fql(engine, `At(Now(), Select("data", Create(${R('3')}, {data: {v: 3}})))`), { v: 3n });
  });

  test('At with something other than a time', () => {
    const e = fqlError(f.engine, `At("yesterday", Get(${R('1')}))`);
    assert.equal(e.code, 'invalid argument');
    assert.equal(e.description, 'Time or Integer expected, String provided.');
    assert.deepEqual(e.position, ['at']);
  });
});

describe('Events read at a time', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });
  afterEach(() => f.engine.close());

  test("At a time, a document's events end with the events of that time", () => {
    const { engine, t1, t2, t3 } = f;
    const actions = (ts: bigint): Json => fql(engine, `At(${ts}, Select("data", Map(Paginate(Events(${R('1')})), Lambda("e", Select("action", Var("e"))))))`);
    assertJson(actions(t1 - 1n), []);
    assertJson(actions(t1), ['create']);
    assertJson(actions(t2), ['create', 'update']);
    assertJson(actions(t3), ['create', 'update', 'delete']);
    assertJson(fql(engine, `Select("data", Map(Paginate(Events(${R('1')})), Lambda("e", Select("action", Var("e")))))`), ['create', 'update', 'delete', 'create']);
  });

  test("Paginate's ts limits the events the same way", () => {
    const { engine, t2 } = f;
    assertJson(fql(engine, `Select("data", Map(Paginate(Events(${R('1')}), {ts: ${t2}}), Lambda("e", Select("action", Var("e")))))`), ['create', 'update']);
    assertJson(fql(engine, `Select("data", Map(Paginate(${R('1')}, {events: true, ts: ${t2}}), Lambda("e", Select("action", Var("e")))))`), ['create', 'update']);
  });

  test('At a time, Count of events and the newest page (before null)', () => {
    const { engine, t2 } = f;
    assert.equal(fql(engine, `At(${t2}, Count(Events(${R('1')})))`), 2n);
    assertJson(fql(engine, `At(${t2}, Select("data", Map(Paginate(Events(${R('1')}), {before: null, size: 1}), Lambda("e", Select("action", Var("e"))))))`), ['update']);
  });

  test('At a time, index events end with the adds and removes of that time', () => {
    const { engine, t2, t3 } = f;
    const at = (ts: bigint): Json => fql(engine, `At(${ts}, Select("data", Map(Paginate(Events(Match(Index("vs")))), Lambda("e", [Select("action", Var("e")), Select("data", Var("e"))]))))`);
    assertJson(at(t2), [
      ['add', [1n]],
      ['add', [2n]],
      ['add', [20n]],
      ['remove', [1n]],
    ]);
    assertJson(at(t3), [
      ['add', [1n]],
      ['add', [2n]],
      ['add', [20n]],
      ['remove', [1n]],
      ['remove', [2n]],
    ]);
    assert.equal(fql(engine, `Count(Events(Match(Index("vs"))))`), 6n);
  });

  test('At a time, Documents events and Singleton events', () => {
    const { engine, t2, t3 } = f;
    assertJson(fql(engine, `At(${t2}, Select("data", Map(Paginate(Events(Documents(Collection("c")))), Lambda("e", [Select("action", Var("e")), Select(["document", "id"], Var("e"))]))))`), [
      ['add', '1'],
      ['add', '2'],
    ]);
    assertJson(fql(engine, `At(${t3}, Select("data", Map(Paginate(Events(Singleton(${R('1')}))), Lambda("e", Select("action", Var("e"))))))`), ['add', 'remove']);
  });
});

describe('Insert', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });
  afterEach(() => f.engine.close());

  test('returns the event {ts, action, document, data}; a Time ts comes back as microseconds', () => {
    const r = fql(f.engine, `Insert(${R('1')}, Time("2020-01-01T00:00:00Z"), "create", {data: {v: 0}})`);
    assertJson(r, { ts: 1577836800000000n, action: 'create', document: ref('1'), data: { v: 0n } });
  });

  test('an inserted version is a whole version, not merged with its neighbours', () => {
    const { engine, t2 } = f;
    fql(engine, `Insert(${R('1')}, ${t2 + 1n}, "update", {data: {only: true}})`);
    assertJson(fql(engine, `Select("data", Get(${R('1')}, ${t2 + 1n}))`), { only: true });
    assertJson(fql(engine, `Select("data", Get(${R('1')}, ${t2}))`), { v: 2n, keep: 'k' });
  });

  test('an Insert before every version becomes the first version; the current one is unchanged', () => {
    const { engine, t1 } = f;
    fql(engine, `Insert(${R('1')}, ${t1 - 100n}, "create", {data: {v: 0}})`);
    assertJson(fql(engine, `Select("data", Get(${R('1')}, ${t1 - 1n}))`), { v: 0n });
    assertJson(fql(engine, `Select("data", Get(${R('1')}))`), { v: 4n });
    assertJson(fql(engine, `Select("data", Map(Paginate(Events(${R('1')})), Lambda("e", Select("data", Var("e")))))`), [{ v: 0n }, { v: 1n, keep: 'k' }, { v: 2n }, null, { v: 4n }]);
  });

  test('an Insert at the ts of an existing version replaces that version', () => {
    const { engine, t2 } = f;
    fql(engine, `Insert(${R('1')}, ${t2}, "update", {data: {v: 22}})`);
    assertJson(fql(engine, `Select("data", Get(${R('1')}, ${t2}))`), { v: 22n });
    assert.equal(fql(engine, `Count(Events(${R('1')}))`), 4n);
  });

  test('an Insert newer than the current version becomes the current version: Get, Documents and indexes follow', () => {
    const { engine } = f;
    fql(engine, `Insert(${R('2')}, Now(), "update", {data: {v: 21}})`);
    assertJson(fql(engine, `Select("data", Get(${R('2')}))`), { v: 21n });
    assertJson(fql(engine, 'Paginate(Match(Index("by_v"), 21))'), { data: [ref('2')] });
    assertJson(fql(engine, 'Paginate(Match(Index("by_v"), 20))'), { data: [] });
    assert.ok(verifyDatabase(engine).ok);
  });

  test('an Insert of a delete at the newest ts deletes the document', () => {
    const { engine } = f;
    assertJson(fql(engine, `Insert(${R('2')}, Now(), "delete", {data: {ignored: true}})`), { ts: fql(engine, `Select(["data", 1, "ts"], Paginate(Events(${R('2')})))`), action: 'delete', document: ref('2'), data: null });
    assert.equal(fql(engine, `Exists(${R('2')})`), false);
    assertJson(fql(engine, 'Paginate(Documents(Collection("c")))'), { data: [ref('1')] });
    assertJson(fql(engine, 'Paginate(Match(Index("by_v"), 20))'), { data: [] });
    assert.ok(verifyDatabase(engine).ok);
  });

  test('an Insert into a document that never existed creates its history (and the document, when newest)', () => {
    const { engine, t1 } = f;
    fql(engine, `Insert(${R('9')}, ${t1 - 1000n}, "create", {data: {v: 9}})`);
    assertJson(fql(engine, `Select("data", Get(${R('9')}))`), { v: 9n });
    assertJson(fql(engine, 'Paginate(Match(Index("by_v"), 9))'), { data: [ref('9')] });
    assert.equal(fql(engine, `Exists(${R('9')}, ${t1 - 1001n})`), false);
    assert.equal(fql(engine, `Exists(${R('9')}, ${t1 - 1000n})`), true);
  });

  test('only data and ttl are kept from the params', () => {
    const { engine } = f;
    fql(engine, `Insert(${R('9')}, 1000, "create", {data: {v: 9}, ttl: Time("2100-01-01T00:00:00Z"), other: 1, ref: ${R('5')}, ts: 5})`);
    assertJson(fql(engine, `Get(${R('9')})`), { ref: ref('9'), ts: 1000n, data: { v: 9n }, ttl: { '@ts': '2100-01-01T00:00:00Z' } });
  });

  test('refused: a ts after the snapshot, a schema ref, an unknown collection, an unknown action, data that is not an object', () => {
    const { engine } = f;
    const cases: [string, string, string, (string | number)[]][] = [
      [`Insert(${R('1')}, Add(ToMicros(Now()), 1000000), "update", {data: {}})`, 'invalid write time', 'Cannot write outside of snapshot time.', ['ts']],
      ['Insert(Collection("c"), 1, "create", {data: {}})', 'invalid argument', 'Cannot insert event for specified ref.', ['insert']],
      ['Insert(Index("by_v"), 1, "create", {data: {}})', 'invalid argument', 'Cannot insert event for specified ref.', ['insert']],
      ['Insert(Ref(Collection("nope"), "1"), 1, "create", {data: {}})', 'invalid ref', "Ref refers to undefined collection 'nope'", ['insert']],
      [`Insert(${R('1')}, 1, "upsert", {data: {}})`, 'invalid argument', "Action expected to be one of create, update, delete; got 'upsert'.", ['action']],
      [`Insert(${R('1')}, 1, "create", {data: 5})`, 'validation failed', 'document data is not valid.', []],
    ];
    const ledger = wholeLedger(engine).length;
    for (const [text, code, description, position] of cases) {
      const e = fqlError(engine, text);
      assert.deepEqual([e.code, e.description, e.position], [code, description, position], text);
    }
    assert.equal(wholeLedger(engine).length, ledger);
  });

  test('Insert inside At(past) is allowed: its ts says when', () => {
    const { engine, t1 } = f;
    assertJson(fql(engine, `At(${t1}, Select("action", Insert(${R('1')}, ${t1 - 5n}, "create", {data: {v: -1}})))`), 'create');
  });
});

describe('Remove', () => {
  let f: Fixture;
  beforeEach(() => {
    f = fixture();
  });
  afterEach(() => f.engine.close());

  test('returns null and removes the version: the previous one is read at that time', () => {
    const { engine, t2 } = f;
    assert.equal(fql(engine, `Remove(${R('1')}, ${t2}, "update")`), null);
    assertJson(fql(engine, `Select("data", Get(${R('1')}, ${t2}))`), { v: 1n, keep: 'k' });
    assertJson(fql(engine, `Select("data", Map(Paginate(Events(${R('1')})), Lambda("e", Select("action", Var("e")))))`), ['create', 'delete', 'create']);
  });

  test('removing the current version makes the previous one current: Get, Documents and indexes follow', () => {
    const { engine, t4 } = f;
    fql(engine, `Remove(${R('1')}, ${t4}, "create")`);
    // The version before it is the delete: the document no longer exists.
    assert.equal(fql(engine, `Exists(${R('1')})`), false);
    assertJson(fql(engine, 'Paginate(Match(Index("vs")))'), { data: [20n] });
    // Removing the delete too brings back version 2.
    fql(engine, `Remove(${R('1')}, ${f.t3}, "delete")`);
    assertJson(fql(engine, `Select("data", Get(${R('1')}))`), { v: 2n, keep: 'k' });
    assertJson(fql(engine, 'Paginate(Match(Index("vs")))'), { data: [2n, 20n] });
    assertJson(fql(engine, 'Paginate(Documents(Collection("c")))'), { data: [ref('1'), ref('2')] });
    assert.ok(verifyDatabase(engine).ok);
  });

  test("removing a document's only version leaves no document and no history", () => {
    const { engine, t2 } = f;
    fql(engine, `Remove(${R('2')}, ${t2}, "create")`);
    assert.equal(fql(engine, `Exists(${R('2')})`), false);
    assertJson(fql(engine, `Paginate(Events(${R('2')}))`), { data: [] });
    assertJson(fql(engine, 'Paginate(Match(Index("by_v"), 20))'), { data: [] });
    assert.ok(verifyDatabase(engine).ok);
  });

  test('removing an event that is not there changes nothing', () => {
    const { engine, t2 } = f;
    const ledger = wholeLedger(engine).length;
    assert.equal(fql(engine, `Remove(${R('1')}, ${t2 + 1n}, "update")`), null);
    assert.equal(fql(engine, `Count(Events(${R('1')}))`), 4n);
    assert.equal(wholeLedger(engine).length, ledger);
  });

  test('refused: a schema ref, an unknown action', () => {
    const { engine } = f;
    let e = fqlError(engine, 'Remove(Collection("c"), 1, "create")');
    assert.deepEqual([e.code, e.description, e.position], ['invalid argument', 'Cannot remove event for specified ref.', ['remove']]);
    e = fqlError(engine, `Remove(${R('1')}, 1, "upsert")`);
    assert.deepEqual([e.code, e.position], ['invalid argument', ['action']]);
  });

  test('Insert then Remove in one transaction leaves the history as it was', () => {
    const { engine, t1 } = f;
    const before = fql(engine, `Paginate(Events(${R('1')}))`);
    fql(engine, `Do(Insert(${R('1')}, ${t1 + 1n}, "update", {data: {v: 1.5}}), Remove(${R('1')}, ${t1 + 1n}, "update"))`);
    assertJson(fql(engine, `Paginate(Events(${R('1')}))`), before);
  });
});
