/**
 * Decoded document bodies are shared across transactions only while the
 * stored text is the same: a changed version (an update, an Insert at the
 * very time of an existing version, another connection's write) is decoded
 * again; shared values are frozen; the cache stays within its size.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodedDocs } from '../../electron/engine/storage/decoded-docs.js';
import { Engine } from '../../electron/engine/engine.js';
import { isObject } from '../../electron/engine/values/value.js';
import { fql, tempEngine } from '../helpers/engine.js';

test('the same body text is decoded once, another text again', () => {
  const docs = new DecodedDocs();
  const a = docs.fields(1n, 1n, '{"data":{"n":1,"tags":["x"]}}');
  assert.equal(docs.fields(1n, 1n, '{"data":{"n":1,"tags":["x"]}}'), a);
  const b = docs.fields(1n, 1n, '{"data":{"n":2,"tags":["x"]}}');
  assert.notEqual(b, a);
  assert.equal((b.data as { n: bigint }).n, 2n);
  // The same text under another document is that document's own entry.
  assert.notEqual(docs.fields(1n, 2n, '{"data":{"n":2,"tags":["x"]}}'), b);
});

test('shared values are frozen all the way down', () => {
  const docs = new DecodedDocs();
  const f = docs.fields(7n, 1n, '{"data":{"n":1,"tags":["x",{"deep":true}]}}');
  const data = f.data;
  assert.ok(isObject(data));
  assert.ok(Object.isFrozen(f) && Object.isFrozen(data) && Object.isFrozen(data.tags));
  assert.throws(() => {
    (data as Record<string, unknown>).n = 5;
  }, TypeError);
});

test('the cache keeps to its size: old bodies are decoded again, results stay right', () => {
  const docs = new DecodedDocs();
  const big = (i: number) => `{"data":{"i":${i},"pad":"${'p'.repeat(50_000)}"}}`;
  const first = docs.fields(1n, 0n, big(0));
  for (let i = 1; i < 400; i++) docs.fields(1n, BigInt(i), big(i));
  const again = docs.fields(1n, 0n, big(0));
  assert.notEqual(again, first, 'the oldest entry was evicted');
  assert.deepEqual(again, first);
  for (let i = 390; i < 400; i++) assert.equal((docs.fields(1n, BigInt(i), big(i)).data as { i: bigint }).i, BigInt(i));
});

test('reads see every change: updates, an Insert at an existing version time, another connection', () => {
  const t = tempEngine();
  try {
    const { engine } = t;
    fql(engine, 'CreateCollection({name: "c"})');
    fql(engine, 'Create(Ref(Collection("c"), "1"), {data: {v: 1}})');
    const read = (e: Engine) => fql(e, 'Select(["data", "v"], Get(Ref(Collection("c"), "1")))');
    assert.equal(read(engine), 1n);
    assert.equal(read(engine), 1n);
    fql(engine, 'Update(Ref(Collection("c"), "1"), {data: {v: 2}})');
    assert.equal(read(engine), 2n);
    const ts = fql(engine, 'Select("ts", Get(Ref(Collection("c"), "1")))') as bigint;
    fql(engine, `Insert(Ref(Collection("c"), "1"), ${ts}, "update", {data: {v: 3}})`);
    assert.equal(read(engine), 3n);
    const other = Engine.open(t.file);
    try {
      assert.equal(read(other), 3n);
      fql(other, 'Update(Ref(Collection("c"), "1"), {data: {v: 4}})');
      assert.equal(read(engine), 4n);
    } finally {
      other.close();
    }
  } finally {
    t.dispose();
  }
});
