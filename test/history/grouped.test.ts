/**
 * Grouped mutations (Vendia's `@vendia_transaction`, issue 6): several writes
 * in one query are one atomic unit and one ledger entry; when one of them
 * violates a collection constraint, none is applied, the error names the
 * field and the rule, and the ledger gains nothing. Written as separate
 * queries, the same writes are separate entries and succeed or fail alone.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Engine } from '../../electron/engine/engine.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { provisionSampleStore } from '../../electron/sample/sample-store.js';
import { fqlExpr } from '../jepsen/conn.js';
import { memoryEngine } from '../helpers/engine.js';
import { allDocuments, assertSameDocuments, fql, fqlError, int, wholeLedger } from './helpers.js';

const P = (id: string): string => `Ref(Collection("products"), "${id}")`;

/** Everything a failed transaction must leave as it was: every document (with its ts), the ledger, the clock of history. */
function state(engine: Engine): { docs: Map<string, string>; ledger: string; events: string } {
  const ledger = wholeLedger(engine);
  return {
    docs: allDocuments(engine, { withTs: true }),
    ledger: JSON.stringify(ledger.map((r) => [r.ts.toString(), r.query, r.writes.length])),
    events: JSON.stringify(fql(engine, `Map(["201", "202", "203"], Lambda("id", Count(Events(Ref(Collection("products"), Var("id"))))))`), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
  };
}

function assertUnchanged(engine: Engine, was: ReturnType<typeof state>, what: string): void {
  const now = state(engine);
  assertSameDocuments(now.docs, was.docs, `${what}: documents`);
  assert.equal(now.ledger, was.ledger, `${what}: the ledger changed`);
  assert.equal(now.events, was.events, `${what}: document histories changed`);
}

describe('grouped mutations on the sample store', () => {
  let engine: Engine;
  beforeEach(() => {
    engine = memoryEngine();
    const r = provisionSampleStore(engine);
    assert.ok(r.ok);
  });

  test('a Do with several writes, the last violating minimum: 0, changes nothing and adds no ledger entry', () => {
    const was = state(engine);
    const e = fqlError(engine, `Do(Update(${P('201')}, {data: {quantity: 800}}), Update(${P('204')}, {data: {quantity: 1}}), Update(${P('202')}, {data: {quantity: -10}}))`);
    assert.equal(e.code, 'validation failed');
    assert.equal(e.description, 'quantity: -10 is less than the minimum of 0');
    assert.deepEqual(e.position, ['do', 2]);
    assert.deepEqual((e as unknown as { failures: unknown[] }).failures, [{ field: ['data', 'quantity'], code: 'minimum', description: 'quantity: -10 is less than the minimum of 0' }]);
    assertUnchanged(engine, was, 'failed group');
  });

  test('the violating write first, then valid ones: still nothing', () => {
    const was = state(engine);
    const e = fqlError(engine, `Do(Update(${P('202')}, {data: {quantity: -1}}), Update(${P('201')}, {data: {quantity: 800}}))`);
    assert.equal(e.description, 'quantity: -1 is less than the minimum of 0');
    assert.deepEqual(e.position, ['do', 0]);
    assertUnchanged(engine, was, 'failed group');
  });

  test('a group that creates, updates and deletes across collections, then violates: no document created, none deleted', () => {
    const was = state(engine);
    const e = fqlError(
      engine,
      `Do(
        Create(Ref(Collection("stores"), "399"), {data: {name: "Pop-up", address: {street: "1 A St", city: "Washington", state: "DC", zipCode: "20001"}}}),
        Create(Ref(Collection("products"), "299"), {data: {name: "flags", price: 1.5, quantity: 10, store: Ref(Collection("stores"), "399"), backorderLimit: 1, backordered: false}}),
        Delete(Ref(Collection("customers"), "103")),
        Update(${P('201')}, {data: {price: -0.5}})
      )`,
    );
    assert.equal(e.description, 'price: -0.5 is less than the minimum of 0');
    assertUnchanged(engine, was, 'failed group');
    assert.equal(fql(engine, 'Exists(Ref(Collection("stores"), "399"))'), false);
    assert.equal(fql(engine, 'Exists(Ref(Collection("customers"), "103"))'), true);
  });

  test('a group inside a stored function: the call error carries the violation; nothing changes', () => {
    fql(engine, `CreateFunction({name: "move_stock", body: Query(Lambda(["from", "to", "n"], Do(
      Update(Var("from"), {data: {quantity: Subtract(Select(["data", "quantity"], Get(Var("from"))), Var("n"))}}),
      Update(Var("to"), {data: {quantity: Add(Select(["data", "quantity"], Get(Var("to"))), Var("n"))}})
    )))})`);
    const was = state(engine);
    // 209 has 10 pinatas: moving 11 leaves -1 at the source (the first write of the group).
    const e = fqlError(engine, `Call("move_stock", ${P('209')}, ${P('202')}, 11)`);
    assert.equal(e.code, 'call error');
    assert.equal(e.cause?.[0]?.code, 'validation failed');
    assert.equal(e.cause?.[0]?.description, 'quantity: -1 is less than the minimum of 0');
    assertUnchanged(engine, was, 'failed call');
    // The same call within stock succeeds as one entry with both writes.
    fql(engine, `Call("move_stock", ${P('209')}, ${P('202')}, 10)`);
    const last = wholeLedger(engine).at(-1)!;
    assert.deepEqual(
      last.writes.map((w) => [w.collection, w.id, w.action, w.after?.data && (w.after.data as { quantity: bigint }).quantity]),
      [
        ['products', '209', 'update', 0n],
        ['products', '202', 'update', 30n],
      ],
    );
  });

  test('a constraint check predicate that fails inside a group undoes the group', () => {
    fql(engine, `Update(Collection("orders"), {constraints: {checks: [{name: "known_customer", predicate: Query(Lambda("doc", Exists(Select(["data", "customer"], Var("doc")))))}]}})`);
    const was = state(engine);
    const e = fqlError(
      engine,
      `Do(
        Update(${P('201')}, {data: {quantity: 99}}),
        Create(Collection("orders"), {data: {customer: Ref(Collection("customers"), "999"), line: [{product: ${P('201')}, quantity: 1, price: 6.98}], status: "processing", creationDate: Now()}})
      )`,
    );
    assert.equal(e.description, "check 'known_customer' failed");
    assertUnchanged(engine, was, 'failed group');
  });

  test('Abort at the end of a group undoes its writes', () => {
    const was = state(engine);
    const e = fqlError(engine, `Do(Update(${P('201')}, {data: {quantity: 1}}), Abort("changed my mind"))`);
    assert.equal(e.code, 'transaction aborted');
    assertUnchanged(engine, was, 'aborted group');
  });

  test('a successful group is one ledger entry with every write, sharing one ts', () => {
    const before = wholeLedger(engine).length;
    const r = fql(engine, `Do(Update(${P('201')}, {data: {quantity: 90}}), Update(${P('202')}, {data: {quantity: 400}}), Select("ts", Get(${P('201')})))`);
    const ledger = wholeLedger(engine);
    assert.equal(ledger.length, before + 1);
    const entry = ledger.at(-1)!;
    assert.equal(entry.ts, int(r));
    assert.deepEqual(
      entry.writes.map((w) => [w.id, w.action]),
      [
        ['201', 'update'],
        ['202', 'update'],
      ],
    );
    assert.equal(fql(engine, `Equals(Select("ts", Get(${P('201')})), Select("ts", Get(${P('202')})))`), true);
  });

  test('without grouping (two queries) the writes are two entries, and the invalid one fails alone', () => {
    const before = wholeLedger(engine).length;
    fql(engine, `Update(${P('201')}, {data: {quantity: 800}})`);
    const e = fqlError(engine, `Update(${P('202')}, {data: {quantity: -10}})`);
    assert.equal(e.description, 'quantity: -10 is less than the minimum of 0');
    const ledger = wholeLedger(engine);
    assert.equal(ledger.length, before + 1, 'only the valid update is in the ledger');
    assert.equal(fql(engine, `Select(["data", "quantity"], Get(${P('201')}))`), 800n);
    assert.equal(fql(engine, `Select(["data", "quantity"], Get(${P('202')}))`), 20n);
  });

  test('a failed submit_order (tutorial case 3) changes nothing and adds no ledger entry', () => {
    const was = state(engine);
    const e = fqlError(engine, 'Call("submit_order", "102", [{productId: "203", quantity: 15}, {productId: "202", quantity: 45}])');
    assert.equal(e.code, 'call error');
    assertUnchanged(engine, was, 'failed order');
  });
});

describe('grouped mutations through the EngineHost', () => {
  let dir: string;
  let host: EngineHost;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stockroom-grouped-'));
    host = await EngineHost.start({ file: join(dir, 'db.sqlite'), sample: true, pollMs: 1000 });
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the reply names the violation; the ledger and the documents are unchanged', async () => {
    const read = fqlExpr(`Map([${P('201')}, ${P('202')}], Lambda("r", Select(["data", "quantity"], Get(Var("r")))))`);
    const before = await host.query(read, 'test');
    const ledgerBefore = await host.ledger({ beforeTs: null, limit: 5 });
    const r = await host.query(fqlExpr(`Do(Update(${P('201')}, {data: {quantity: 800}}), Update(${P('202')}, {data: {quantity: -10}}))`), 'test');
    assert.ok(!r.ok);
    assert.equal(r.errors[0]!.code, 'validation failed');
    assert.equal(r.errors[0]!.description, 'quantity: -10 is less than the minimum of 0');
    const afterRead = await host.query(read, 'test');
    assert.ok(before.ok && afterRead.ok);
    assert.deepEqual(afterRead.resource, before.resource);
    assert.deepEqual(await host.ledger({ beforeTs: null, limit: 5 }), ledgerBefore);
  });
});
