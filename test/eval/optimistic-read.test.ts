/**
 * Read-only queries run optimistically (Transaction.beginRead): a point read
 * is one statement that also reads the clock, and anything else opens a
 * SQLite transaction that must be at the same committed state. These tests
 * change the file from a second connection between and during reads and
 * check that no answer ever mixes two states or uses an outdated schema.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Engine } from '../../electron/engine/engine.js';
import { SnapshotMoved, Transaction } from '../../electron/engine/storage/transaction.js';
import type { Value } from '../../electron/engine/values/value.js';
import { runFql } from '../helpers/engine.js';

function value(engine: Engine, text: string): Value {
  const [r] = runFql(engine, text);
  assert.ok(r, text);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : `${r.error.code}: ${r.error.description}`}`);
  return r.value;
}

function errorCode(engine: Engine, text: string): string {
  const [r] = runFql(engine, text);
  assert.ok(r && !r.ok, `${text} succeeded`);
  return r.error.code;
}

describe('optimistic reads', () => {
  let dir: string;
  let a: Engine;
  let b: Engine;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stockroom-optimistic-'));
    a = Engine.open(join(dir, 'db.sqlite'));
    b = Engine.open(join(dir, 'db.sqlite'));
  });
  after(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a point read after another connection recreated the collection reads the new one', () => {
    value(b, 'CreateCollection({name: "c"})');
    value(b, 'Create(Ref(Collection("c"), "1"), {data: {v: 1}})');
    assert.equal(value(a, 'Select(["data", "v"], Get(Ref(Collection("c"), "1")))'), 1n);
    value(b, 'Delete(Collection("c"))');
    assert.equal(errorCode(a, 'Get(Ref(Collection("c"), "1"))'), 'invalid ref');
    value(b, 'CreateCollection({name: "c"})');
    value(b, 'Create(Ref(Collection("c"), "1"), {data: {v: 2}})');
    assert.equal(value(a, 'Select(["data", "v"], Get(Ref(Collection("c"), "1")))'), 2n);
  });

  test('an answer made from cached schema alone is checked against the file (success and error)', () => {
    value(b, 'CreateCollection({name: "s"})');
    assert.equal(value(a, 'Exists(Collection("s"))'), true);
    assert.equal(errorCode(a, 'If(Exists(Collection("s")), Abort("still there"), "gone")'), 'transaction aborted');
    value(b, 'Delete(Collection("s"))');
    assert.equal(value(a, 'Exists(Collection("s"))'), false);
    assert.equal(value(a, 'If(Exists(Collection("s")), Abort("still there"), "gone")'), 'gone');
  });

  test('the time of an optimistic read is the last commit it saw', () => {
    value(b, 'CreateCollection({name: "t"})');
    const written = value(b, 'Select("ts", Create(Ref(Collection("t"), "1"), {data: {}}))') as bigint;
    const [r] = runFql(a, 'Get(Ref(Collection("t"), "1"))');
    assert.ok(r?.ok);
    assert.equal(r.ts, written);
    assert.equal(value(a, 'ToMicros(Now())'), written);
  });

  test('reads that saw different states are refused (and the engine answers from one snapshot)', () => {
    value(b, 'CreateCollection({name: "m"})');
    value(b, 'Create(Ref(Collection("m"), "1"), {data: {v: 1}})');
    value(b, 'Create(Ref(Collection("m"), "2"), {data: {v: 1}})');
    // Warm a's schema cache, then interleave by hand: read 1, another connection commits, read 2.
    value(a, 'Get(Ref(Collection("m"), "1"))');
    const txn = Transaction.beginRead(a.store, a.schemaCache, null);
    try {
      const coll = txn.getSchema('collections', 'm')!;
      assert.equal(txn.getDoc(coll, 1n)!.fields.data !== undefined, true);
      value(b, 'Update(Ref(Collection("m"), "2"), {data: {v: 2}})');
      assert.throws(() => txn.getDoc(coll, 2n), SnapshotMoved);
    } finally {
      txn.rollback();
    }
    // Opening a transaction later must also be at the state the first read saw.
    const txn2 = Transaction.beginRead(a.store, a.schemaCache, null);
    try {
      const coll = txn2.getSchema('collections', 'm')!;
      txn2.getDoc(coll, 1n);
      value(b, 'Update(Ref(Collection("m"), "2"), {data: {v: 3}})');
      assert.throws(() => txn2.store, SnapshotMoved);
    } finally {
      txn2.rollback();
    }
    assert.equal(a.db.inTransaction, false, 'no SQLite transaction is left open');
    assert.deepEqual(value(a, '[Select(["data", "v"], Get(Ref(Collection("m"), "1"))), Select(["data", "v"], Get(Ref(Collection("m"), "2")))]'), [1n, 3n]);
  });
});
