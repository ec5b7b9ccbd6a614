/**
 * Values survive the wire format and storage exactly: integers stay
 * integers (64-bit), doubles stay doubles (4.0 is not 4), and refs, times,
 * dates, bytes, sets, pages and objects with '@' keys come back as they were.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseJson, stringifyJson } from '../../shared/fql/json.js';
import { decodeValue, encodeValue } from '../../electron/engine/storage/codec.js';
import { jsonToWireValue } from '../../electron/engine/wire/decode.js';
import { toWire } from '../../electron/engine/wire/encode.js';
import '../../electron/engine/eval/index.js';
import { Bytes, FDate, FTime, Ref, SetRef, collectionRef, nativeRef, newObject, schemaRef, type Value } from '../../electron/engine/values/value.js';

const id = fc.bigInt({ min: 0n, max: 9223372036854775807n }).map((n) => n.toString());
const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/);

const ref: fc.Arbitrary<Value> = fc.oneof(
  fc.tuple(name, id).map(([c, i]) => new Ref(i, collectionRef(c))),
  name.map((n) => collectionRef(n)),
  name.map((n) => schemaRef('indexes', n)),
  fc.constantFrom(nativeRef('collections'), nativeRef('functions')),
);

const scalar: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: -9223372036854775808n, max: 9223372036854775807n }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  ref,
  fc.bigInt({ min: -62135596800000000000n, max: 253402300799999999999n }).map((ns) => new FTime(ns)),
  fc.integer({ min: -719162, max: 2932896 }).map((d) => new FDate(d)),
  fc.uint8Array({ maxLength: 16 }).map((b) => new Bytes(b)),
  name.map((n) => new SetRef({ kind: 'match', index: schemaRef('indexes', n), terms: [n] })),
);

const value: fc.Arbitrary<Value> = fc.letrec<{ v: Value }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('@ref', '@obj', '__proto__', '@ts')), tie('v')), { maxLength: 4 }).map((entries) => {
      const o = newObject();
      for (const [k, v] of entries) o[k] = v;
      return o;
    }),
  ),
})).v;

/** Deep equality that tells integers from doubles and compares FQL classes by content. */
function same(a: Value, b: Value): boolean {
  return stringifyJson(toWire(a)) === stringifyJson(toWire(b)) && typeof a === typeof b;
}

test('wire: encode, print as JSON text, parse and decode gives the same value', () => {
  fc.assert(
    fc.property(value, (v) => {
      const text = stringifyJson(toWire(v));
      const back = jsonToWireValue(parseJson(text));
      assert.ok(same(v, back), text);
      assert.equal(stringifyJson(toWire(back)), text);
    }),
    { numRuns: 500 },
  );
});

test('storage: encode and decode gives the same value', () => {
  fc.assert(
    fc.property(value, (v) => {
      const back = decodeValue(encodeValue(v));
      assert.equal(stringifyJson(toWire(back)), stringifyJson(toWire(v)));
    }),
    { numRuns: 500 },
  );
});

test('storage: the stored text is compact JSON, written the way JSON.stringify writes it', () => {
  fc.assert(
    fc.property(value, (v) => {
      const text = encodeValue(v);
      assert.equal(JSON.stringify(JSON.parse(text)), text);
    }),
    { numRuns: 500 },
  );
  const o = newObject();
  o['__proto__'] = 1n;
  o['a"b'] = [1.5, -0, 2n ** 60n, 'x\n'];
  assert.equal(encodeValue(o), '{"__proto__":1,"a\\"b":[1.5,{"@dbl":"-0"},{"@int":"1152921504606846976"},"x\\n"]}');
  o['@ts'] = true;
  assert.equal(encodeValue(o).slice(0, 9), '{"@obj":{');
});

test('integers and doubles stay apart, including whole doubles and 64-bit integers', () => {
  for (const v of [4n, 4, 4.5, -0, 9223372036854775807n, -9223372036854775808n, 2 ** 60, 1e21, 5e-324] as Value[]) {
    const wire = decodeValue(encodeValue(v));
    assert.equal(typeof wire, typeof v);
    assert.ok(Object.is(wire, v) || wire === v, `${String(v)} came back as ${String(wire)}`);
    const text = stringifyJson(toWire(v));
    const parsed = jsonToWireValue(parseJson(text));
    assert.equal(typeof parsed, typeof v, text);
  }
  assert.equal(stringifyJson(4), '4.0');
  assert.equal(stringifyJson(4n), '4');
});
