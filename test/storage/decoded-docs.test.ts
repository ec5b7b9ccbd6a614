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
  const a = docs.version(1n, 1n, 10n, '{"data":{"n":1,"tags":["x"]}}');
  assert.equal(docs.version(1n, 1n, 10n, '{"data":{"n":1,"tags":["x"]}}'), a);
  const b = docs.version(1n, 1n, 11n, '{"data":{"n":2,"tags":["x"]}}');
  assert.notEqual(b.fields, a.fields);
  assert.equal((b.fields.data as { n: bigint }).n, 2n);
  // The same text at another time is another version sharing the decoding.
  const c = docs.version(1n, 1n, 12n, '{"data":{"n":2,"tags":["x"]}}');
  assert.notEqual(c, b);
  assert.equal(c.ts, 12n);
  assert.equal(c.fields, b.fields);
  // The same text under another document is that document's own entry.
  assert.notEqual(docs.version(1n, 2n, 12n, '{"data":{"n":2,"tags":["x"]}}').fields, b.fields);
});

test('shared values are frozen all the way down', () => {
  const docs = new DecodedDocs();
  const f = docs.version(7n, 1n, 1n, '{"data":{"n":1,"tags":["x",{"deep":true}]}}').fields;
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
  const first = docs.version(1n, 0n, 1n, big(0));
  for (let i = 1; i < 400; i++) docs.version(1n, BigInt(i), 1n, big(i));
  const again = docs.version(1n, 0n, 1n, big(0));
  assert.notEqual(again, first, 'the oldest entry was evicted');
  assert.deepEqual(again.fields, first.fields);
  for (let i = 390; i < 400; i++) assert.equal((docs.version(1n, BigInt(i), 1n, big(i)).fields.data as { i: bigint }).i, BigInt(i));
});

test('a document rendered by Get is shared only for the same ref object, and frozen', () => {
  const t = tempEngine();
  try {
    const { engine } = t;
    fql(engine, 'CreateCollection({name: "c"})');
    fql(engine, 'Create(Ref(Collection("c"), "1"), {data: {v: 1}})');
    const expr = { get: { ref: { collection: 'c' }, id: '1' } };
    const one = engine.query(expr);
    const two = engine.query(expr);
    assert.ok(one.ok && two.ok);
    assert.equal(two.value, one.value, 'the compiled query holds one ref object');
    assert.ok(Object.isFrozen(one.value));
    const other = engine.query({ get: { ref: { collection: 'c' }, id: '1' } });
    assert.ok(other.ok);
    assert.notEqual(other.value, one.value);
    assert.deepEqual(other.resource, one.resource);
  } finally {
    t.dispose();
  }
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
