/**
 * storage/keys.ts against a reference comparator written from the spec
 * (fql-v4.md §2.5): Buffer.compare of encodeKey([a]) and encodeKey([b]) must
 * agree in sign with a plain, obviously-correct comparison of a and b —
 * numbers exactly (64-bit integers and doubles compared by value, no rounding
 * through doubles), bytes, ASCII strings (ICU root order as Intl.Collator
 * computes it, ties broken by code units), arrays, objects, refs, times,
 * dates, booleans, null, and the order between types. Encodings of tuples
 * are prefix-free: one is a proper prefix of another only when the tuple is a
 * prefix of the other tuple. Reversed columns invert the order.
 *
 * STOCKROOM_SOAK=1 runs many more cases.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { compareValues, encodeKey } from '../../electron/engine/storage/keys.js';
import { Bytes, FDate, FTime, Ref, collectionRef, objectFrom, type Value } from '../../electron/engine/values/value.js';
import { compareStrings, reference, sign } from './reference.js';

const RUNS = process.env.STOCKROOM_SOAK === '1' ? 20_000 : 600;

// --- generators ------------------------------------------------------------------------------------------

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const coll = collectionRef('c');

const int64 = fc.oneof(
  fc.bigInt({ min: I64_MIN, max: I64_MAX }),
  fc.bigInt({ min: -1000n, max: 1000n }),
  fc.constantFrom(I64_MIN, I64_MIN + 1n, I64_MAX, I64_MAX - 1n, 0n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n),
);
const double = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: false }).map((d) => (Object.is(d, -0) ? 0 : d)),
  fc.integer({ min: -1000, max: 1000 }).map((n) => n / 8),
  fc.constantFrom(2 ** 53, 2 ** 63, -(2 ** 63), 1e19, -1e19, 5e-324, -5e-324, 1.7976931348623157e308, 0.1, 0.5),
);
const number = fc.oneof(int64, double);
const asciiString = fc.string({ unit: fc.integer({ min: 0x09, max: 0x7e }).filter((c) => c <= 0x0d || c >= 0x20).map((c) => String.fromCharCode(c)), maxLength: 6 });
const bytes = fc.uint8Array({ maxLength: 6 }).map((b) => new Bytes(b));
const scalar: fc.Arbitrary<Value> = fc.oneof(
  number,
  bytes,
  asciiString,
  fc.bigInt({ min: 0n, max: I64_MAX }).map((id) => new Ref(id.toString(), coll)),
  fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((ns) => new FTime(ns)),
  fc.integer({ min: -1_000_000, max: 3_000_000 }).map((d) => new FDate(d)),
  fc.boolean(),
  fc.constant(null),
);
const { value } = fc.letrec<{ value: Value; array: Value[]; object: Value }>((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 3 }) as fc.Arbitrary<Value[]>,
  object: fc.array(fc.tuple(fc.constantFrom('a', 'b', 'B', 'c', '_x', '1'), tie('value')), { maxLength: 3 }).map((entries) => objectFrom(entries) as Value),
}));
const tuple = fc.array(value, { maxLength: 4 });

function keyCompare(a: Value, b: Value): number {
  return sign(Buffer.compare(encodeKey([a]), encodeKey([b])));
}

function isPrefix(p: Buffer, k: Buffer): boolean {
  return p.length < k.length && k.subarray(0, p.length).equals(p);
}

// --- properties ------------------------------------------------------------------------------------------

describe('storage/keys.ts order', () => {
  test('numbers: integers and doubles compare exactly by value', () => {
    fc.assert(
      fc.property(number, number, (a, b) => {
        assert.equal(keyCompare(a, b), reference(a, b), `${String(a)} vs ${String(b)}`);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  test('scalars of every type agree with the reference, including the type order', () => {
    fc.assert(
      fc.property(scalar, scalar, (a, b) => {
        assert.equal(keyCompare(a, b), reference(a, b));
      }),
      { numRuns: RUNS * 5 },
    );
  });

  test('ASCII strings follow ICU root collation with a code-unit tie-break', () => {
    fc.assert(
      fc.property(asciiString, asciiString, (a, b) => {
        assert.equal(keyCompare(a, b), compareStrings(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }),
      { numRuns: RUNS * 5 },
    );
  });

  test('arrays and objects (nested) agree with the reference', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        assert.equal(keyCompare(a, b), reference(a, b));
        assert.equal(sign(compareValues(a, b)), reference(a, b));
      }),
      { numRuns: RUNS * 3 },
    );
  });

  test('the order is a total preorder: antisymmetric and transitive on samples', () => {
    fc.assert(
      fc.property(value, value, value, (a, b, c) => {
        assert.equal(keyCompare(a, b), sign(-keyCompare(b, a)));
        if (keyCompare(a, b) <= 0 && keyCompare(b, c) <= 0) assert.ok(keyCompare(a, c) <= 0);
      }),
      { numRuns: RUNS },
    );
  });

  test('tuples compare element by element, a prefix first', () => {
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        assert.equal(sign(Buffer.compare(encodeKey(a), encodeKey(b))), reference(a, b));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test('prefix-free: an encoding is a proper prefix of another only for a prefix tuple', () => {
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        const ka = encodeKey(a);
        const kb = encodeKey(b);
        if (isPrefix(ka, kb)) {
          assert.ok(a.length < b.length, 'only a shorter tuple can be a prefix');
          for (let i = 0; i < a.length; i++) assert.equal(reference(a[i]!, b[i]!), 0, `element ${i} differs`);
        }
        // And the other way round: extending a tuple extends its encoding.
        const extended = encodeKey([...a, ...b]);
        if (b.length > 0) assert.ok(isPrefix(ka, extended));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test('single values are self-delimiting: no value encoding is a proper prefix of another', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        assert.ok(!isPrefix(encodeKey([a]), encodeKey([b])));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test('reversed columns invert the order and stay prefix-free', () => {
    fc.assert(
      fc.property(value, value, value, value, (a, b, x, y) => {
        const ka = encodeKey([a, x], [true, false]);
        const kb = encodeKey([b, y], [true, false]);
        const expected = reference(a, b) !== 0 ? sign(-reference(a, b)) : reference(x, y);
        assert.equal(sign(Buffer.compare(ka, kb)), expected);
        assert.ok(!isPrefix(encodeKey([a], [true]), encodeKey([b], [true])));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  test('examples from the spec and the server tests', () => {
    const time = new FTime(0n);
    const day = new FDate(0);
    const ordered: Value[] = [
      -(2n ** 63n),
      -2.5,
      1n,
      1.1,
      2n,
      3n,
      3.14,
      4n,
      9223372036854775807n,
      1e19,
      new Bytes(new Uint8Array([1, 2, 3, 4])),
      '',
      ' ',
      '_',
      '-',
      '!',
      '10',
      '2',
      'a',
      'A',
      'ä',
      'b',
      'B',
      'e',
      'é',
      'f',
      'Ω',
      '中',
      [],
      [1n],
      [1n, 2n],
      [2n],
      objectFrom([['a', 1n]]),
      objectFrom([
        ['a', 1n],
        ['b', 0n],
      ]),
      objectFrom([['b', 0n]]),
      new Ref('2', coll),
      new Ref('10', coll),
      time,
      day,
      false,
      true,
      null,
    ];
    for (let i = 1; i < ordered.length; i++) {
      assert.equal(keyCompare(ordered[i - 1]!, ordered[i]!), -1, `${i - 1} < ${i}`);
    }
    assert.equal(keyCompare(1n, 1.0), 0, 'an integer and an equal double are equal in the order');
    assert.equal(keyCompare(9007199254740993n, 9007199254740992), 1, 'compared exactly, not through a double');
  });

  test('non-ASCII strings interleave with ASCII ones (accents after the base letter)', () => {
    const words = ['e', 'é', 'É', 'ea', 'éa', 'f', 'resume', 'résumé', 'z', 'ä', 'ab'];
    const byKeys = [...words].sort((a, b) => keyCompare(a, b));
    const byIcu = [...words].sort(compareStrings);
    assert.deepEqual(byKeys, byIcu);
  });
});
