/**
 * Property tests for the string, conversion and type-check families: lengths
 * and offsets count code points, SubString / Concat / FindStr agree with each
 * other and with a code-point-array model, regex escaping is exact, and the
 * conversions round-trip through ToString.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Engine } from '../../electron/engine/engine.js';
import { stringifyJson, type Json } from '../../shared/fql/json.js';
import { memoryEngine } from '../helpers/engine.js';

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;
const int64 = fc.oneof(fc.bigInt({ min: -1000n, max: 1000n }), fc.bigInt({ min: LONG_MIN, max: LONG_MAX }), fc.constantFrom(LONG_MIN, LONG_MAX, 0n, -1n));
const double = fc.double({ noNaN: true, noDefaultInfinity: true });
/** Any Unicode text, astral characters included. */
const text = fc.string({ unit: 'binary', maxLength: 24 });
/** Text that is mostly ASCII with regex metacharacters and some non-ASCII. */
const tricky = fc.string({ unit: fc.constantFrom('a', 'b', '.', '*', '\\', 'E', 'Q', '$', '(', ')', '[', ']', '{', '}', '^', '|', '?', '+', '😀', 'é', ' ', '\n'), maxLength: 16 });

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

const cps = (s: string): string[] => Array.from(s);
const str = (expr: Json): string => {
  const v = run(expr);
  assert.equal(typeof v, 'string');
  return v as string;
};

describe('code points', () => {
  it('Length counts code points', () => {
    fc.assert(fc.property(text, (s) => run({ length: s }) === BigInt(cps(s).length)));
  });

  it('Length of Concat is the sum of lengths', () => {
    fc.assert(fc.property(text, text, (a, b) => run({ length: { concat: [a, b] } }) === BigInt(cps(a).length + cps(b).length)));
  });

  it('SubString matches slicing the code point array', () => {
    fc.assert(
      fc.property(text, fc.nat(30), fc.option(fc.nat(30), { nil: undefined }), (s, start, length) => {
        const points = cps(s);
        const expr: Json = length === undefined ? { substring: s, start: BigInt(start) } : { substring: s, start: BigInt(start), length: BigInt(length) };
        if (start > points.length) {
          const e = fail(expr);
          assert.equal(e.description, 'start must be less than or equal to the string length');
          assert.deepEqual(e.position, []);
          return;
        }
        const end = length === undefined ? points.length : Math.min(start + length, points.length);
        assert.equal(run(expr), points.slice(start, end).join(''));
      }),
    );
  });

  it('a negative start counts from the end', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 30 }), (s, back) => {
        const points = cps(s);
        const expr: Json = { substring: s, start: BigInt(-back) };
        if (back > points.length) assert.equal(fail(expr).code, 'invalid argument');
        else assert.equal(run(expr), points.slice(points.length - back).join(''));
      }),
    );
  });

  it('SubString splits and Concat rejoins', () => {
    fc.assert(
      fc.property(text, fc.nat(30), (s, k0) => {
        const k = BigInt(k0 % (cps(s).length + 1));
        assert.equal(run({ concat: [{ substring: s, start: 0n, length: k }, { substring: s, start: k }] }), s);
      }),
    );
  });

  it('Concat with a separator is Array.join', () => {
    fc.assert(fc.property(fc.array(text, { maxLength: 6 }), text, (parts, sep) => run({ concat: parts, separator: sep }) === parts.join(sep)));
  });

  it('FindStr finds an inserted needle at or before its code point offset', () => {
    fc.assert(
      fc.property(text, text.filter((t) => t.length > 0), text, (a, needle, c) => {
        const s = a + needle + c;
        const index = run({ findstr: s, find: needle }) as bigint;
        assert.ok(index >= 0n && index <= BigInt(cps(a).length));
        assert.equal(run({ substring: s, start: index, length: BigInt(cps(needle).length) }), needle);
      }),
    );
  });

  it('FindStr is -1 exactly when the string does not contain the needle', () => {
    fc.assert(fc.property(tricky, tricky, (s, t) => (run({ findstr: s, find: t }) === -1n) === !s.includes(t)));
  });

  it('StartsWith, EndsWith and ContainsStr hold for the parts of a concatenation', () => {
    fc.assert(
      fc.property(text, text, text, (a, b, c) => {
        const s = a + b + c;
        assert.equal(run({ startswith: s, search: a }), true);
        assert.equal(run({ endswith: s, search: c }), true);
        assert.equal(run({ containsstr: s, search: b }), true);
      }),
    );
  });

  it('NGram with the default sizes gives 2n - 1 grams that are substrings', () => {
    fc.assert(
      fc.property(text, (s) => {
        const n = cps(s).length;
        const grams = run({ ngram: s }) as string[];
        assert.equal(grams.length, n === 0 ? 0 : 2 * n - 1);
        for (const g of grams) assert.ok(s.includes(g) && cps(g).length >= 1 && cps(g).length <= 2);
      }),
    );
  });

  it('Repeat multiplies the length', () => {
    fc.assert(fc.property(text, fc.integer({ min: -3, max: 20 }), (s, k) => run({ length: { repeat: s, number: BigInt(k) } }) === BigInt(cps(s).length * Math.max(0, k))));
  });
});

describe('regular expressions', () => {
  it('RegexEscape makes any text match literally', () => {
    fc.assert(fc.property(tricky, tricky, (s, t) => run({ containsstrregex: s, pattern: { regexescape: t } }) === s.includes(t)));
  });

  it('ReplaceStrRegex with an escaped pattern equals ReplaceStr and split/join', () => {
    const replacement = fc.string({ unit: fc.constantFrom('x', 'y', '😀', ' '), maxLength: 4 });
    fc.assert(
      fc.property(tricky, tricky.filter((t) => t.length > 0), replacement, (s, find, rep) => {
        const expected = s.split(find).join(rep);
        assert.equal(run({ replacestr: s, find, replace: rep }), expected);
        assert.equal(run({ replacestrregex: s, pattern: { regexescape: find }, replace: rep }), expected);
      }),
    );
  });

  // FaunaDB computes the inclusive end as the code point count up to the match's last UTF-16
  // unit, so a match ending in an astral character ends one past its last code point.
  it('FindStrRegex of an escaped needle reports each match with an inclusive end', () => {
    fc.assert(
      fc.property(tricky, fc.constantFrom('a', 'ab', '😀', '.*'), (s, needle) => {
        const found = run({ findstrregex: s, pattern: { regexescape: needle } }) as { start: bigint; end: bigint; data: string }[];
        for (const m of found) {
          assert.equal(m.data, needle);
          assert.equal(run({ substring: s, start: m.start, length: BigInt(cps(needle).length) }), needle);
          assert.equal(m.end, m.start + BigInt(cps(needle.slice(0, -1)).length));
        }
        assert.equal(found.length, s.split(needle).length - 1);
      }),
    );
  });
});

describe('case and whitespace', () => {
  it('LowerCase and UpperCase are the locale-independent mappings', () => {
    fc.assert(
      fc.property(text, (s) => {
        assert.equal(run({ lowercase: s }), s.toLowerCase());
        assert.equal(run({ uppercase: s }), s.toUpperCase());
      }),
    );
  });

  it('Casefold is idempotent and ignores case differences of ASCII', () => {
    fc.assert(
      fc.property(text, (s) => {
        const folded = str({ casefold: s });
        assert.equal(run({ casefold: folded }), folded);
      }),
    );
    const ascii = fc.string({ unit: 'binary-ascii', maxLength: 20 });
    fc.assert(fc.property(ascii, (s) => run({ casefold: s.toUpperCase() }) === run({ casefold: s.toLowerCase() })));
  });

  it('TitleCase is idempotent on ASCII text', () => {
    const words = fc.string({ unit: fc.constantFrom('a', 'B', 'c', ' ', "'", '1', '-'), maxLength: 20 });
    fc.assert(fc.property(words, (s) => run({ titlecase: { titlecase: s } }) === run({ titlecase: s })));
  });

  it('Trim removes Java whitespace from both ends only', () => {
    const spaced = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u3000', '\u00a0', 'a', 'b', '😀'), maxLength: 16 });
    const isWs = (c: string): boolean => /[\t\n\v\f\r\x1c-\x20\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]/.test(c);
    fc.assert(
      fc.property(spaced, (s) => {
        const t = str({ trim: s });
        assert.ok(s.includes(t));
        assert.ok(t === '' || (!isWs(t[0]!) && !isWs(t[t.length - 1]!)));
        assert.equal(run({ trim: t }), t);
        assert.equal(run({ ltrim: { rtrim: s } }), t);
      }),
    );
  });
});

describe('conversions', () => {
  it('ToNumber(ToString(n)) is n for every 64-bit integer', () => {
    fc.assert(fc.property(int64, (n) => run({ to_number: { to_string: n } }) === n));
  });

  it('ToString(ToNumber(s)) is s for integer strings', () => {
    fc.assert(fc.property(int64, (n) => run({ to_string: { to_number: n.toString() } }) === n.toString()));
  });

  it('ToDouble(ToString(d)) is d for every finite double', () => {
    fc.assert(fc.property(double, (d) => Object.is(run({ to_double: { to_string: d } }), d)));
  });

  it('ToString of a double is Java text: plain between 10^-3 and 10^7, scientific otherwise', () => {
    fc.assert(
      fc.property(double, (d) => {
        const s = str({ to_string: d });
        const abs = Math.abs(d);
        if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) assert.match(s, /^-?\d+\.\d+$/);
        else assert.match(s, /^-?\d\.\d+E-?\d+$/);
      }),
    );
  });

  it('ToInteger truncates doubles and saturates at the 64-bit bounds', () => {
    fc.assert(
      fc.property(double, (d) => {
        const expected = d >= 2 ** 63 ? LONG_MAX : d <= -(2 ** 63) ? LONG_MIN : BigInt(Math.trunc(d));
        assert.equal(run({ to_integer: d }), expected);
      }),
    );
  });

  it('Format %d, %x and %s agree with the model', () => {
    fc.assert(
      fc.property(int64, text, (n, s) => {
        assert.equal(run({ format: '%d|%x|%s', values: [n, n, s] }), `${n}|${BigInt.asUintN(64, n).toString(16)}|${s}`);
      }),
    );
  });

  it('Format %.6f is within half a unit of the last place', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (d) => {
        const s = str({ format: '%.6f', values: [d] });
        assert.match(s, /^-?\d+\.\d{6}$/);
        assert.ok(Math.abs(Number(s) - d) <= 5e-7 + Math.abs(d) * 1e-15);
      }),
    );
  });
});

describe('type checks', () => {
  const scalar = fc.oneof(int64, double, text, fc.boolean(), fc.constant(null));
  it('exactly one of the scalar checks holds', () => {
    fc.assert(
      fc.property(scalar, (v) => {
        const checks = ['is_integer', 'is_double', 'is_string', 'is_boolean', 'is_null'].map((k) => run({ [k]: v }));
        assert.equal(checks.filter((c) => c === true).length, 1);
        assert.equal(run({ is_number: v }), typeof v === 'bigint' || typeof v === 'number');
      }),
    );
  });
});
