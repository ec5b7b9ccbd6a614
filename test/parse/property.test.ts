import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFql, FqlSyntaxError } from '../../electron/engine/parse/index.js';
import { FQL_FUNCTIONS, type FnSpec } from '../../shared/fql/print-functions.js';
import { formatFqlDouble, formatFqlKey, printExpr, printFql } from '../../shared/fql/print.js';
import { stringifyJson, type Json, type JsonObject } from '../../shared/fql/json.js';
import { DRIVER_WIRE } from './driver-fixtures.js';
import { jsonEqual } from './helpers.js';

/** Parses; a failure must be an FqlSyntaxError with a sane position. Returns the statements or null. */
function parseOrSyntaxError(src: string): Json[] | null {
  try {
    return parseFql(src).map((s) => s.expr);
  } catch (e) {
    if (!(e instanceof FqlSyntaxError)) throw e;
    assert.ok(Number.isInteger(e.line) && e.line >= 1, e.message);
    assert.ok(Number.isInteger(e.column) && e.column >= 1, e.message);
    assert.ok(e.offset >= 0 && e.offset <= src.length, e.message);
    return null;
  }
}

/** Every statement that parsed must survive print -> parse unchanged. */
function assertRoundTrip(expr: Json, maxWidth = 80): void {
  const printed = printExpr(expr, { maxWidth });
  let back: Json[];
  try {
    back = parseFql(printed).map((s) => s.expr);
  } catch (e) {
    assert.fail(`printed text does not parse: ${String(e)}\n${printed}\nfrom ${stringifyJson(expr)}`);
  }
  assert.equal(back.length, 1, printed);
  assert.ok(jsonEqual(back[0]!, expr), `round trip changed the expression\n${printed}\n  was: ${stringifyJson(expr)}\n  now: ${stringifyJson(back[0]!)}`);
}

const FRAGMENTS = [
  'Add(', 'q.', 'Let(', 'Lambda(', 'Paginate(', 'Object(', 'Bytes(', 'Ref(', 'Match(', 'Index("i")', 'Var("x")', 'Now()',
  '{', '}', '[', ']', '(', ')', ',', ':', ';', '\n', ' ', '=>', 'x', 'y', '"s"', "'t'", '`', '`u`', '1', '-', '+', '0x',
  '0x1F', '1.5e3', '1e', '.', '...', '/*', '*/', '//', 'null', 'true', 'undefined', 'function', 'return', '\\', '"', "'",
  '${', 'Infinity', 'NaN', '_', '9223372036854775808', '\u2028', '\r', '\t', 'é', '😀', '\ud800', '@', '#', '=', '0', '07',
  '1_0', '12n', 'Foo(', 'data', 'a:', 'x => ', '() => ', '([a, b]) => ',
];

const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));
const sources = DRIVER_WIRE.map(([src]) => src);
const mutated = fc
  .tuple(fc.constantFrom(...sources), fc.nat(), fc.nat({ max: 5 }), fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom(...FRAGMENTS)))
  .map(([src, at, del, ins]) => {
    const i = at % (src.length + 1);
    return src.slice(0, i) + ins + src.slice(i + del);
  });

describe('random input never throws anything but FqlSyntaxError', () => {
  it('on random strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void parseOrSyntaxError(s)), { numRuns: 2000 });
  });

  it('on random token soup (and whatever parses round-trips)', () => {
    fc.assert(
      fc.property(soup, (s) => {
        for (const expr of parseOrSyntaxError(s) ?? []) assertRoundTrip(expr);
      }),
      { numRuns: 3000 },
    );
  });

  it('on mutated valid queries (and whatever parses round-trips)', () => {
    fc.assert(
      fc.property(mutated, (s) => {
        for (const expr of parseOrSyntaxError(s) ?? []) assertRoundTrip(expr);
      }),
      { numRuns: 3000 },
    );
  });
});

// ---- random FQL source built from the catalogue ------------------------------

const SPECIAL_NAMES = new Set(['Let', 'Lambda', 'Object', 'Paginate', 'Bytes']);
const PLAIN_SPECS: FnSpec[] = [...FQL_FUNCTIONS.values()].filter((s) => !SPECIAL_NAMES.has(s.name));
const PARAM_NAMES = ['x', 'y', 'acc', '_v', 'Date', 'ref'];

const intSrc = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String);
const bigIntSrc = fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String);
const doubleSrc = fc.double().map(formatFqlDouble);
const stringSrc = fc.string({ unit: 'binary', maxLength: 8 }).map((s) => JSON.stringify(s));
const keyArb = fc.oneof(fc.constantFrom('a', 'data', 'if', '__proto__', 'x y', '@ref', '1', 'ü', 'paginate', 'object'), fc.string({ maxLength: 5 }));
const keySrc = fc.tuple(keyArb, fc.boolean()).map(([k, quote]) => (quote ? JSON.stringify(k) : formatFqlKey(k)));
const base64Src = fc.uint8Array({ maxLength: 9 }).map((b) => JSON.stringify(Buffer.from(b).toString('base64')));

function exprSrc(depth: number, bound: readonly string[]): fc.Arbitrary<string> {
  const leaves: Array<fc.Arbitrary<string>> = [intSrc, bigIntSrc, doubleSrc, stringSrc, fc.constantFrom('true', 'false', 'null')];
  if (bound.length > 0) leaves.push(fc.constantFrom(...bound));
  const leaf = fc.oneof(...leaves);
  if (depth <= 0) return leaf;
  const child = exprSrc(depth - 1, bound);
  const args = (n: number): fc.Arbitrary<string[]> => fc.array(child, { minLength: n, maxLength: n });
  const objectLiteral = fc.array(fc.tuple(keySrc, child), { maxLength: 3 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`);
  const call = fc
    .constantFrom(...PLAIN_SPECS)
    .chain((spec) =>
      fc
        .integer({ min: spec.minArgs, max: Math.min(spec.maxArgs, spec.minArgs + 3) })
        .chain((n) => fc.tuple(args(n), fc.boolean()))
        .map(([a, prefix]) => `${prefix ? 'q.' : ''}${spec.name}(${a.join(', ')})`),
    );
  const arrow = fc
    .uniqueArray(fc.constantFrom(...PARAM_NAMES), { maxLength: 3 })
    .chain((params) =>
      exprSrc(depth - 1, [...bound, ...params]).map((body) =>
        params.length === 1 ? `${params[0]} => ${body}` : `(${params.join(', ')}) => ${body}`,
      ),
    );
  const letForm = fc
    .tuple(fc.array(fc.tuple(keySrc, child), { maxLength: 3 }), child)
    // A function as the body of Let receives the bindings, so keep arrows out of that position.
    .map(([kv, body]) => `Let({${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}, Do(${body}))`);
  const letArray = fc
    .tuple(fc.array(objectLiteral, { maxLength: 3 }), child)
    .map(([items, body]) => `Let([${items.join(', ')}], [${body}])`);
  const paginate = fc
    .tuple(child, fc.option(fc.array(fc.tuple(fc.constantFrom('size', 'after', 'before', 'ts', 'events', 'sources', 'cursor'), child), { maxLength: 3 })))
    .map(([set, opts]) => (opts === null ? `Paginate(${set})` : `Paginate(${set}, {${opts.map(([k, v]) => `${k}: ${v}`).join(', ')}})`));
  const lambda2 = fc
    .tuple(fc.oneof(fc.constantFrom('"x"', '["a", "b"]', '[]', '[["a", "b"], "c"]'), child), child)
    .map(([params, body]) => `Lambda(${params}, ${body})`);
  return fc.oneof(
    { arbitrary: leaf, weight: 4 },
    { arbitrary: fc.array(child, { maxLength: 4 }).map((xs) => `[${xs.join(', ')}]`), weight: 2 },
    { arbitrary: objectLiteral, weight: 2 },
    { arbitrary: call, weight: 6 },
    { arbitrary: arrow, weight: 2 },
    { arbitrary: letForm, weight: 1 },
    { arbitrary: letArray, weight: 1 },
    { arbitrary: paginate, weight: 1 },
    { arbitrary: lambda2, weight: 1 },
    { arbitrary: objectLiteral.map((o) => `Object(${o})`), weight: 1 },
    { arbitrary: base64Src.map((b) => `Bytes(${b})`), weight: 1 },
    { arbitrary: stringSrc.map((s) => `Ref(${s})`), weight: 1 },
  );
}

describe('print -> parse round trip', () => {
  it('holds for random expressions written in FQL text', () => {
    fc.assert(
      fc.property(exprSrc(4, []), fc.integer({ min: 1, max: 120 }), (src, maxWidth) => {
        const statements = parseFql(src);
        assert.equal(statements.length, 1, src);
        assertRoundTrip(statements[0]!.expr, maxWidth);
      }),
      { numRuns: 1500 },
    );
  });

  it('holds for random wire expressions', () => {
    const { wireExpr } = fc.letrec<{ wireExpr: Json; nonNull: Json }>((tie) => {
      const sub = tie('wireExpr');
      const nonNull = tie('nonNull');
      const obj = (entries: Array<[string, Json]>): JsonObject => {
        const o = Object.create(null) as JsonObject;
        for (const [k, v] of entries) o[k] = v;
        return o;
      };
      const scalar = fc.oneof(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.double(),
        fc.string({ unit: 'binary', maxLength: 8 }),
        fc.boolean(),
        fc.constant(null),
      );
      const varargs = fc.oneof(nonNull, fc.array(sub, { maxLength: 4 }));
      const pattern: fc.Arbitrary<Json> = fc.oneof(
        fc.constantFrom(...PARAM_NAMES),
        fc.array(fc.oneof(fc.constantFrom(...PARAM_NAMES), fc.array(fc.constantFrom(...PARAM_NAMES), { maxLength: 2 })), { maxLength: 3 }),
      );
      return {
        wireExpr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, nonNull, fc.constant(null)),
        nonNull: fc.oneof(
          { depthSize: 'small', withCrossShrink: true },
          scalar.filter((v) => v !== null),
          fc.array(sub, { maxLength: 4 }),
          fc.dictionary(keyArb, sub, { maxKeys: 3 }).map((d) => obj([['object', obj(Object.entries(d))]])),
          fc.constantFrom(...PARAM_NAMES).map((n) => obj([['var', n]])),
          fc.tuple(pattern, sub).map(([p, e]) => obj([['lambda', p], ['expr', e]])),
          fc.tuple(fc.array(fc.tuple(keyArb, sub), { maxLength: 3 }), sub).map(([bs, body]) =>
            obj([['let', bs.map(([k, v]) => obj([[k, v]]))], ['in', body]]),
          ),
          fc.tuple(fc.constantFrom('add', 'and', 'union', 'equals', 'max'), varargs).map(([k, v]) => obj([[k, v]])),
          fc.tuple(nonNull, varargs).map(([i, t]) => obj([['match', i], ['terms', t]])),
          fc.tuple(nonNull, varargs).map(([f, a]) => obj([['call', f], ['arguments', a]])),
          fc.array(sub, { minLength: 1, maxLength: 3 }).map((xs) => obj([['do', xs]])),
          fc.tuple(nonNull, fc.dictionary(fc.constantFrom('size', 'after', 'before', 'events'), sub, { maxKeys: 3 })).map(([s, o]) =>
            obj([['paginate', s], ...Object.entries(o)]),
          ),
          fc.tuple(sub, sub, fc.option(sub)).map(([p, f, d]) => obj([['select', p], ['from', f], ...(d === null ? [] : [['default', d] as [string, Json]])])),
          fc.tuple(sub, fc.option(nonNull)).map(([r, ts]) => obj([['get', r], ...(ts === null ? [] : [['ts', ts] as [string, Json]])])),
          fc.tuple(sub, sub, sub).map(([c, t, e]) => obj([['if', c], ['then', t], ['else', e]])),
          fc.tuple(sub, sub).map(([c, l]) => obj([['map', l], ['collection', c]])),
          fc.option(nonNull).map((s) => obj([['collections', s]])),
          fc.constantFrom('now', 'new_id', 'current_identity').map((k) => obj([[k, null]])),
          fc.uint8Array({ maxLength: 6 }).map((b) => obj([['@bytes', Buffer.from(b).toString('base64')]])),
          fc.string({ maxLength: 10 }).map((s) => obj([['@ref', s]])),
        ),
      };
    });
    fc.assert(
      fc.property(wireExpr, fc.integer({ min: 1, max: 120 }), (expr, maxWidth) => assertRoundTrip(expr, maxWidth)),
      { numRuns: 1500 },
    );
  });
});

describe('printFql', () => {
  it('prints any wire value without throwing', () => {
    const tagged = (value: fc.Arbitrary<Json>): fc.Arbitrary<Json> =>
      fc.tuple(fc.constantFrom('@ref', '@ts', '@date', '@bytes', '@set', '@query', '@obj', '@uuid', '@x'), value).map(([tag, v]) => {
        const o = Object.create(null) as JsonObject;
        o[tag] = v;
        return o;
      });
    const { value } = fc.letrec<{ value: Json }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        fc.double(),
        fc.string({ maxLength: 6 }),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 3 }),
        fc.dictionary(fc.oneof(keyArb, fc.constantFrom('id', 'collection', 'database', 'lambda', 'expr', 'match', 'terms')), tie('value'), { maxKeys: 3 }),
        tagged(tie('value')),
      ),
    }));
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 8 }), (v, maxWidth, indent) => {
        const text = printFql(v, { maxWidth, indent });
        assert.equal(typeof text, 'string');
        assert.equal(printFql(v, { maxWidth: Infinity }).includes('\n'), false);
      }),
      { numRuns: 1500 },
    );
  });
});
