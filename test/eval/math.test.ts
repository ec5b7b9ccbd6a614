/**
 * Property tests for the math, comparison and time families: each property
 * checks the engine against an independent model (BigInt arithmetic, a type
 * rank plus exact numeric comparison, JavaScript's Date).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Engine } from '../../electron/engine/engine.js';
import { formatInstant } from '../../electron/engine/values/time.js';
import { stringifyJson, type Json } from '../../shared/fql/json.js';
import { memoryEngine } from '../helpers/engine.js';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const long = fc.bigInt({ min: LONG_MIN, max: LONG_MAX });
/** Mostly small integers, sometimes extremes, so that both ordinary and wrapping paths are hit. */
const int64 = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), long, fc.constantFrom(LONG_MIN, LONG_MAX, 0n, -1n, 1n));
const double = fc.double({ noNaN: true, noDefaultInfinity: true });

let engine: Engine;
before(() => {
  engine = memoryEngine();
});
after(() => engine.close());

function run(expr: Json): Json {
  const r = engine.query(expr);
  if (!r.ok) throw new Error(`${stringifyJson(expr)} failed: ${JSON.stringify(r.error.toJSON())}`);
  return r.resource;
}

function fail(expr: Json): { code: string; description: string; position: (string | number)[] | undefined } {
  const r = engine.query(expr);
  if (r.ok) throw new Error(`${stringifyJson(expr)} should fail, got ${stringifyJson(r.resource)}`);
  return { code: r.error.code, description: r.error.description, position: r.error.position };
}

const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Compares wire results as lossless JSON text (results are null-prototype objects). */
function sameJson(actual: Json, expected: Json): void {
  assert.equal(stringifyJson(actual), stringifyJson(expected));
}

describe('integer folds match 64-bit BigInt arithmetic', () => {
  it('Add wraps like BigInt.asIntN(64, a + b)', () => {
    fc.assert(fc.property(int64, int64, (a, b) => run({ add: [a, b] }) === wrap(a + b)));
  });

  it('Add of many integers folds left with wrapping', () => {
    fc.assert(fc.property(fc.array(int64, { minLength: 1, maxLength: 8 }), (xs) => run({ add: xs }) === xs.reduce((s, x) => wrap(s + x))));
  });

  it('Subtract and Multiply wrap', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        assert.equal(run({ subtract: [a, b] }), wrap(a - b));
        assert.equal(run({ multiply: [a, b] }), wrap(a * b));
      }),
    );
  });

  it('Divide and Modulo truncate toward zero and rebuild the dividend', () => {
    fc.assert(
      fc.property(int64, int64.filter((b) => b !== 0n), (a, b) => {
        const q = run({ divide: [a, b] });
        const r = run({ modulo: [a, b] });
        assert.equal(q, wrap(a / b));
        assert.equal(r, a % b);
        assert.equal(wrap((q as bigint) * b + (r as bigint)), a);
      }),
    );
  });

  it('division by zero is an invalid argument at the form', () => {
    fc.assert(
      fc.property(int64, fc.constantFrom('divide', 'modulo'), fc.boolean(), (a, op, asDouble) => {
        const e = fail({ [op]: [a, asDouble ? 0.0 : 0n] });
        assert.deepEqual(e, { code: 'invalid argument', description: 'Illegal division by zero.', position: [] });
      }),
    );
  });

  it('bit operations agree with BigInt', () => {
    fc.assert(
      fc.property(int64, int64, (a, b) => {
        assert.equal(run({ bitand: [a, b] }), a & b);
        assert.equal(run({ bitor: [a, b] }), a | b);
        assert.equal(run({ bitxor: [a, b] }), a ^ b);
        assert.equal(run({ bitnot: a }), ~a);
      }),
    );
  });

  it('one argument returns itself', () => {
    fc.assert(
      fc.property(fc.oneof(int64, double), fc.constantFrom('add', 'subtract', 'multiply', 'divide', 'modulo', 'bitand', 'bitor', 'bitxor'), (x, op) => {
        const v = run({ [op]: x });
        assert.equal(typeof v, typeof x);
        assert.ok(Object.is(v, x) || v === x);
      }),
    );
  });

  it('a double anywhere makes a double', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(int64, double), { minLength: 2, maxLength: 6 }), fc.constantFrom('add', 'subtract', 'multiply'), (xs, op) => {
        const hasDouble = xs.some((x) => typeof x === 'number');
        assert.equal(typeof run({ [op]: xs }), hasDouble ? 'number' : 'bigint');
      }),
    );
  });

  it('a bad element is reported at its index', () => {
    fc.assert(
      fc.property(fc.array(int64, { maxLength: 5 }), fc.nat(), fc.constantFrom('add', 'multiply', 'bitor'), (xs, at, op) => {
        const i = at % (xs.length + 1);
        const args: Json[] = [...xs.slice(0, i), 'x', ...xs.slice(i)];
        const e = fail({ [op]: args });
        assert.deepEqual(e, { code: 'invalid argument', description: 'Number expected, String provided.', position: [op, i] });
      }),
    );
  });

  it('Round and Trunc leave integers alone without a precision', () => {
    fc.assert(fc.property(int64, (a) => run({ round: a }) === a && run({ trunc: a }) === a && run({ ceil: a }) === a && run({ floor: a }) === a));
  });

  it('Sign and Abs of integers', () => {
    fc.assert(
      fc.property(int64, (a) => {
        assert.equal(run({ sign: a }), a > 0n ? 1n : a < 0n ? -1n : 0n);
        assert.equal(run({ abs: a }), wrap(a < 0n ? -a : a));
      }),
    );
  });
});

// --- ordering -----------------------------------------------------------------------------

type Plain = bigint | number | string | boolean | null | Plain[] | { [k: string]: Plain };

/** Values the comparison properties draw from (no objects nested in refs etc.). */
const plain: fc.Arbitrary<Plain> = fc.letrec<{ v: Plain }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    int64,
    double,
    fc.string({ maxLength: 4 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 2 }), tie('v'), { maxKeys: 2 }).map((o) => o as { [k: string]: Plain }),
  ),
})).v;

/** Wire expression for a plain value (objects need the `object` form). */
function literal(v: Plain): Json {
  if (Array.isArray(v)) return v.map(literal);
  if (v !== null && typeof v === 'object') {
    const out: { [k: string]: Json } = Object.create(null) as { [k: string]: Json };
    for (const k of Object.keys(v)) out[k] = literal(v[k]!);
    return { object: out };
  }
  return v;
}

/** Fauna's type rank: numbers < strings < arrays < objects < false < true < null. */
function rank(v: Plain): number {
  if (typeof v === 'bigint' || typeof v === 'number') return 0;
  if (typeof v === 'string') return 2;
  if (Array.isArray(v)) return 3;
  if (v === false) return 5;
  if (v === true) return 6;
  if (v === null) return 7;
  return 4;
}

/** Exact comparison of an integer or double with another (doubles are exact binary fractions). */
function compareNumbers(a: bigint | number, b: bigint | number): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number') return -compareNumbers(b, a);
  // a is a bigint, b a finite double
  const bi = BigInt(Math.trunc(b as number));
  if (a !== bi) return a < bi ? -1 : 1;
  const frac = (b as number) - Math.trunc(b as number);
  return frac > 0 ? -1 : frac < 0 ? 1 : 0;
}

describe('LT/GT follow the index order', () => {
  it('across types LT follows the type rank, and numbers compare exactly', () => {
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        const lt = run({ lt: [literal(a), literal(b)] });
        if (rank(a) !== rank(b)) assert.equal(lt, rank(a) < rank(b));
        else if (rank(a) === 0) assert.equal(lt, compareNumbers(a as bigint | number, b as bigint | number) < 0);
      }),
      { numRuns: 300 },
    );
  });

  it('LT, LTE, GT and GTE are consistent with one another', () => {
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        const [x, y] = [literal(a), literal(b)];
        const lt = run({ lt: [x, y] });
        const gt = run({ gt: [x, y] });
        const lte = run({ lte: [x, y] });
        const gte = run({ gte: [x, y] });
        assert.equal(run({ gt: [y, x] }), lt);
        assert.equal(lte, !gt);
        assert.equal(gte, !lt);
        assert.ok(!(lt && gt));
      }),
      { numRuns: 200 },
    );
  });

  it('LT agrees with a sort: a list sorted by pairwise LT makes a true LTE chain', () => {
    fc.assert(
      fc.property(fc.array(plain, { maxLength: 6 }), (xs) => {
        const sorted = [...xs].sort((a, b) => (run({ lt: [literal(a), literal(b)] }) === true ? -1 : run({ lt: [literal(b), literal(a)] }) === true ? 1 : 0));
        if (sorted.length === 0) return;
        assert.equal(run({ lte: sorted.map(literal) }), true);
        assert.equal(run({ gte: [...sorted].reverse().map(literal) }), true);
      }),
      { numRuns: 100 },
    );
  });

  it('Equals is true for a value and itself, and LT of it with itself is false', () => {
    fc.assert(
      fc.property(plain, (a) => {
        const x = literal(a);
        assert.equal(run({ equals: [x, x] }), true);
        assert.equal(run({ lt: [x, x] }), false);
        assert.equal(run({ lte: [x, x] }), true);
      }),
      { numRuns: 200 },
    );
  });

  it('Equals of an integer and the same double is true at the top level', () => {
    fc.assert(fc.property(fc.integer(), (n) => run({ equals: [BigInt(n), n + 0.5 - 0.5] }) === true && run({ equals: [[BigInt(n)], [n * 1.0]] }) === false));
  });
});

// --- time ---------------------------------------------------------------------------------------

const UNITS: [string, bigint][] = [
  ['day', 86_400_000_000_000n],
  ['half day', 43_200_000_000_000n],
  ['hours', 3_600_000_000_000n],
  ['minute', 60_000_000_000n],
  ['seconds', 1_000_000_000n],
  ['millisecond', 1_000_000n],
  ['microseconds', 1_000n],
  ['nanosecond', 1n],
];
/** Instants within a few thousand years of the epoch, at nanosecond precision. */
const instant = fc.bigInt({ min: -100_000_000_000_000_000_000n, max: 100_000_000_000_000_000_000n });
const ts = (ns: bigint): Json => ({ '@ts': formatInstant(ns) });

describe('time arithmetic', () => {
  it('TimeAdd then TimeSubtract is the identity', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...UNITS), fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), (ns, [unit], n) => {
        const there = { time_add: ts(ns), offset: n, unit };
        sameJson(run({ time_subtract: there, offset: n, unit }), ts(ns));
      }),
    );
  });

  it('TimeAdd moves by offset × unit, and TimeDiff counts it back', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...UNITS), fc.bigInt({ min: -1_000_000n, max: 1_000_000n }), (ns, [unit, size], n) => {
        sameJson(run({ time_add: ts(ns), offset: n, unit }), ts(ns + n * size));
        assert.equal(run({ time_diff: ts(ns), other: { time_add: ts(ns), offset: n, unit }, unit }), n);
      }),
    );
  });

  it('TimeDiff counts whole units toward zero', () => {
    fc.assert(
      fc.property(instant, instant, fc.constantFrom(...UNITS), (a, b, [unit, size]) => {
        // Past 64 bits the server's exact arithmetic fails (see the out-of-range case below).
        fc.pre((b - a) / size === wrap((b - a) / size));
        assert.equal(run({ time_diff: ts(a), other: ts(b), unit }), (b - a) / size);
      }),
    );
  });

  it('TimeDiff past 64 bits is out of bounds, and TimeAdd past the end of time too', () => {
    const far = { time: '+100000-01-01T00:00:00Z' };
    const e = fail({ time_diff: { time: '1970-01-01T00:00:00Z' }, other: far, unit: 'nanoseconds' });
    assert.equal(e.code, 'invalid argument');
    assert.equal(run({ time_diff: { time: '1970-01-01T00:00:00Z' }, other: far, unit: 'seconds' }), 3093527980800n);
    fc.assert(
      fc.property(fc.constantFrom(...UNITS.slice(0, 4)), fc.boolean(), ([unit], up) => {
        const e2 = fail({ time_add: { time: '1970-01-01T00:00:00Z' }, offset: up ? LONG_MAX : LONG_MIN, unit });
        assert.deepEqual([e2.code, e2.position], ['invalid argument', ['offset']]);
      }),
    );
  });

  it('dates add and diff in days', () => {
    fc.assert(
      fc.property(fc.integer({ min: -700_000, max: 700_000 }), fc.integer({ min: -100_000, max: 100_000 }), (day, n) => {
        const date = { '@date': formatInstant(BigInt(day) * 86_400_000_000_000n).slice(0, -10) };
        const moved = run({ time_add: date, offset: BigInt(n), unit: 'days' });
        sameJson(moved, { '@date': formatInstant(BigInt(day + n) * 86_400_000_000_000n).slice(0, -10) });
        assert.equal(run({ time_diff: date, other: moved as Json, unit: 'day' }), BigInt(n));
        sameJson(run({ time_subtract: moved as Json, offset: BigInt(n), unit: 'day' }), date);
      }),
    );
  });

  it('Time parses what the engine renders', () => {
    fc.assert(fc.property(instant, (ns) => run({ equals: [{ time: formatInstant(ns) }, ts(ns)] }) === true));
  });

  it('Epoch in microseconds round-trips through ToMicros, and ToTime counts milliseconds', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (n) => {
        assert.equal(run({ to_micros: { epoch: n, unit: 'microsecond' } }), n);
        assert.equal(run({ equals: [{ to_time: n }, { epoch: n, unit: 'millisecond' }] }), true);
      }),
    );
  });

  it('calendar components agree with JavaScript Date in UTC', () => {
    /** Milliseconds of 00:00 UTC on a civil date (Date.UTC maps years 0-99 to 19xx, so set the year explicitly). */
    const utc = (y: number, m: number, d: number): number => {
      const t = new Date(0);
      t.setUTCFullYear(y, m, d);
      return t.getTime();
    };
    // Nearly the whole range of JavaScript's Date (+-100 million days), leaving room for the start of the year.
    const jsRange = fc.bigInt({ min: -8_639_000_000_000_000n, max: 8_639_000_000_000_000n }).map(Number);
    fc.assert(
      fc.property(jsRange, fc.integer({ min: 0, max: 999 }), (ms, us) => {
        const micros = BigInt(ms) * 1000n + BigInt(us);
        const d = new Date(ms);
        const year = d.getUTCFullYear();
        const dayOfYear = Math.round((utc(year, d.getUTCMonth(), d.getUTCDate()) - utc(year, 0, 1)) / 86_400_000) + 1;
        const expected = [
          year,
          d.getUTCMonth() + 1,
          d.getUTCDate(),
          d.getUTCHours(),
          d.getUTCMinutes(),
          d.getUTCSeconds(),
          ((d.getUTCDay() + 6) % 7) + 1,
          dayOfYear,
        ].map(BigInt);
        const got = run(['year', 'month', 'day_of_month', 'hour', 'minute', 'second', 'day_of_week', 'day_of_year'].map((k) => ({ [k]: micros })));
        sameJson(got, expected);
        assert.equal(run({ to_millis: micros }), BigInt(ms));
        assert.equal(run({ to_seconds: micros }), BigInt(Math.floor(ms / 1000)));
      }),
    );
  });
});
