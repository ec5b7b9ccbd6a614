/**
 * Properties of the collection and object functions, checked through the
 * engine with generated inputs: Take/Drop, Reverse, Distinct, the multiset
 * laws of array Union/Intersection/Difference, Filter/Map/Count/Sum against
 * models, Select's default, Merge and ToObject/ToArray.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Engine } from '../../electron/engine/engine.js';
import { newJsonObject, stringifyJson, type Json, type JsonObject } from '../../shared/fql/json.js';
import { memoryEngine, runFql } from '../helpers/engine.js';

let engine: Engine;

before(() => {
  engine = memoryEngine();
  const setup = ['CreateCollection({name: "c"})'];
  for (let i = 1; i <= 7; i++) setup.push(`Create(Ref(Collection("c"), "${i}"), {data: {n: ${i}}})`);
  for (const s of setup) for (const r of runFql(engine, s)) assert.ok(r.ok, s);
});

after(() => engine.close());

function run(expr: Json): Json {
  const r = engine.query(expr);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.description} at ${JSON.stringify(r.error.position)}`);
  return r.resource;
}

function runError(expr: Json): { code: string; description: string } | null {
  const r = engine.query(expr);
  return r.ok ? null : { code: r.error.code, description: r.error.description };
}

const key = (v: Json): string => stringifyJson(v);

function obj(entries: Record<string, Json>): JsonObject {
  const o = newJsonObject();
  for (const k of Object.keys(entries)) o[k] = entries[k]!;
  return o;
}

/** `{"object": ...}` so that a data object is not read as a form. */
function objectExpr(entries: Record<string, Json>): JsonObject {
  return obj({ object: obj(entries) });
}

function counts(items: Json[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const v of items) m.set(key(v), (m.get(key(v)) ?? 0) + 1);
  return m;
}

function isSubsequence(sub: Json[], of: Json[]): boolean {
  let i = 0;
  for (const v of of) if (i < sub.length && key(sub[i]!) === key(v)) i++;
  return i === sub.length;
}

// Small values with plenty of repeats (so multiset laws bite), integers and doubles apart.
const scalar: fc.Arbitrary<Json> = fc.oneof(
  fc.integer({ min: -3, max: 3 }).map((n) => BigInt(n)),
  fc.constantFrom<Json>(1.0, 2.5, -0.5),
  fc.constantFrom<Json>('a', 'b', 'A', ''),
  fc.boolean(),
  fc.constant<Json>(null),
);
const element: fc.Arbitrary<Json> = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) });
const array = fc.array(element, { maxLength: 12 });
const count = fc.integer({ min: -3, max: 15 }).map((n) => BigInt(n));

const PAGE: Json = obj({ paginate: obj({ documents: obj({ collection: 'c' }) }) });

describe('Take and Drop', () => {
  it('Take(n) ++ Drop(n) is the original array', () => {
    fc.assert(
      fc.property(array, count, (arr, n) => {
        const got = run(obj({ append: obj({ drop: n, collection: arr }), collection: obj({ take: n, collection: arr }) }));
        assert.equal(key(got), key(arr));
      }),
    );
  });

  it('Take(n) has min(max(n,0), length) elements', () => {
    fc.assert(
      fc.property(array, count, (arr, n) => {
        const got = run(obj({ count: obj({ take: n, collection: arr }) }));
        const want = Math.min(Math.max(Number(n), 0), arr.length);
        assert.equal(got, BigInt(want));
      }),
    );
  });

  it('on a page, Take(n) and Drop(n) split the data and meet at one cursor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), (n) => {
        const page = run(PAGE) as JsonObject;
        const taken = run(obj({ take: BigInt(n), collection: PAGE })) as JsonObject;
        const dropped = run(obj({ drop: BigInt(n), collection: PAGE })) as JsonObject;
        assert.equal(key([...(taken.data as Json[]), ...(dropped.data as Json[])]), key(page.data!));
        // The first element not taken is where the dropped page starts.
        assert.equal(key(taken.after!), key(dropped.before!));
      }),
    );
  });
});

describe('Reverse and Distinct', () => {
  it('Reverse twice is the identity', () => {
    fc.assert(
      fc.property(array, (arr) => {
        assert.equal(key(run(obj({ reverse: obj({ reverse: arr }) }))), key(arr));
      }),
    );
  });

  it('Reverse matches the model', () => {
    fc.assert(
      fc.property(array, (arr) => {
        assert.equal(key(run(obj({ reverse: arr }))), key([...arr].reverse()));
      }),
    );
  });

  it('Distinct keeps each value once, first occurrences in order, and is idempotent', () => {
    fc.assert(
      fc.property(array, (arr) => {
        const got = run(obj({ distinct: arr })) as Json[];
        const seen = new Set<string>();
        const want = arr.filter((v) => (seen.has(key(v)) ? false : (seen.add(key(v)), true)));
        assert.equal(key(got), key(want));
        assert.equal(key(run(obj({ distinct: obj({ distinct: arr }) }))), key(got));
      }),
    );
  });
});

describe('array Union / Intersection / Difference are multiset operations', () => {
  const pair = fc.tuple(array, array);

  it('Union keeps the larger count of each element, grouped in first-seen order', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const got = run(obj({ union: [a, b] })) as Json[];
        const ca = counts(a);
        const cb = counts(b);
        const cg = counts(got);
        for (const k of new Set([...ca.keys(), ...cb.keys()])) assert.equal(cg.get(k), Math.max(ca.get(k) ?? 0, cb.get(k) ?? 0));
        assert.equal(cg.size, new Set([...ca.keys(), ...cb.keys()]).size);
        const order = [...new Set([...a, ...b].map(key))];
        const groups = [...new Set(got.map(key))];
        assert.deepEqual(groups, order);
        // equal elements are adjacent
        assert.equal(got.map(key).filter((k, i, all) => i > 0 && all[i - 1] !== k).length + (got.length > 0 ? 1 : 0), groups.length);
      }),
    );
  });

  it('Intersection keeps the smaller count, in the first array order', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const got = run(obj({ intersection: [a, b] })) as Json[];
        const ca = counts(a);
        const cb = counts(b);
        const cg = counts(got);
        for (const k of ca.keys()) assert.equal(cg.get(k) ?? 0, Math.min(ca.get(k)!, cb.get(k) ?? 0));
        assert.ok(isSubsequence(got, a));
      }),
    );
  });

  it('Difference subtracts counts, in the first array order', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const got = run(obj({ difference: [a, b] })) as Json[];
        const ca = counts(a);
        const cb = counts(b);
        const cg = counts(got);
        for (const k of ca.keys()) assert.equal(cg.get(k) ?? 0, Math.max(0, ca.get(k)! - (cb.get(k) ?? 0)));
        assert.ok(isSubsequence(got, a));
      }),
    );
  });

  it('Difference and Intersection partition the first array', () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const d = run(obj({ difference: [a, b] })) as Json[];
        const i = run(obj({ intersection: [a, b] })) as Json[];
        const ca = counts(a);
        const cu = counts([...d, ...i]);
        assert.deepEqual([...cu.entries()].sort(), [...ca.entries()].sort());
      }),
    );
  });

  it('Union with itself or with nothing keeps the multiset', () => {
    fc.assert(
      fc.property(array, (a) => {
        for (const expr of [obj({ union: [a, a] }), obj({ union: [a, []] }), obj({ union: [[], a] })]) {
          const got = run(expr) as Json[];
          assert.deepEqual([...counts(got).entries()].sort(), [...counts(a).entries()].sort());
        }
      }),
    );
  });
});

describe('Map, Filter and the folds against models', () => {
  const ints = fc.array(fc.integer({ min: -50, max: 50 }).map((n) => BigInt(n)), { maxLength: 15 });

  it('Map with the identity lambda is the identity; Count is the length', () => {
    fc.assert(
      fc.property(array, (arr) => {
        assert.equal(key(run(obj({ map: obj({ lambda: 'x', expr: obj({ var: 'x' }) }), collection: arr }))), key(arr));
        assert.equal(run(obj({ count: arr })), BigInt(arr.length));
      }),
    );
  });

  it('Filter keeps exactly the elements the lambda accepts, in order', () => {
    fc.assert(
      fc.property(array, fc.array(element, { maxLength: 4 }), (arr, keep) => {
        const lambda = obj({ lambda: 'x', expr: obj({ contains_value: obj({ var: 'x' }), in: keep }) });
        const got = run(obj({ filter: lambda, collection: arr }));
        const keys = new Set(keep.map(key));
        assert.equal(key(got), key(arr.filter((v) => keys.has(key(v)))));
      }),
    );
  });

  it('Sum, Reduce and Mean agree', () => {
    fc.assert(
      fc.property(ints, (xs) => {
        const total = xs.reduce((a, b) => a + b, 0n);
        assert.equal(run(obj({ sum: xs })), total);
        const lambda = obj({ lambda: ['acc', 'x'], expr: obj({ sum: [obj({ var: 'acc' }), obj({ var: 'x' })] }) });
        assert.equal(run(obj({ reduce: lambda, initial: 0n, collection: xs })), total);
        if (xs.length > 0) assert.equal(run(obj({ mean: xs })), Number(total) / xs.length);
        else assert.equal(runError(obj({ mean: xs }))?.description, 'Non-empty array expected.');
      }),
    );
  });

  it('Max and Min of integers are the extremes', () => {
    fc.assert(
      fc.property(ints.filter((xs) => xs.length > 1), (xs) => {
        assert.equal(run(obj({ max: xs })), xs.reduce((a, b) => (b > a ? b : a)));
        assert.equal(run(obj({ min: xs })), xs.reduce((a, b) => (b < a ? b : a)));
      }),
    );
  });

  it('Count of a set agrees with Count of its page', () => {
    const set = obj({ documents: obj({ collection: 'c' }) });
    assert.equal(run(obj({ count: set })), 7n);
    assert.equal(key(run(obj({ count: obj({ paginate: set }) }))), key(obj({ data: [7n] })));
  });
});

describe('Select', () => {
  const fieldName = fc.constantFrom('a', 'b', 'c');
  const leaf: fc.Arbitrary<Json> = fc.oneof(fc.integer({ min: 0, max: 9 }).map((n) => BigInt(n)), fc.constantFrom<Json>('x', true));
  const tree: fc.Arbitrary<Json> = fc.letrec<{ node: Json }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.dictionary(fieldName, tie('node'), { maxKeys: 3 }).map((d) => obj(d)),
      fc.array(tie('node'), { maxLength: 3 }),
    ),
  })).node;
  const path = fc.array(fc.oneof(fieldName, fc.integer({ min: 0, max: 2 }).map((n) => BigInt(n))), { maxLength: 3 });

  /** The model: where the path leads in plain JSON data, or undefined. */
  function walk(v: Json, p: Json[]): Json | undefined {
    let cur: Json | undefined = v;
    for (const step of p) {
      if (cur === undefined) return undefined;
      if (typeof step === 'bigint') cur = Array.isArray(cur) ? cur[Number(step)] : undefined;
      else if (cur !== null && typeof cur === 'object' && !Array.isArray(cur)) cur = Object.prototype.hasOwnProperty.call(cur, step as string) ? (cur as JsonObject)[step as string] : undefined;
      else cur = undefined;
    }
    return cur;
  }

  it('the default is used exactly when the path is missing', () => {
    fc.assert(
      fc.property(tree, path, (data, p) => {
        const from = obj({ quote: data });
        const sentinel = 'default-sentinel';
        const want = walk(data, p);
        const got = run(obj({ select: p, from, default: sentinel }));
        assert.equal(key(got), key(want === undefined ? sentinel : want));
        assert.equal(run(obj({ contains_path: p, in: from })), want !== undefined);
        const plain = runError(obj({ select: p, from }));
        if (want === undefined) assert.equal(plain?.code, 'value not found');
        else assert.equal(plain, null);
      }),
    );
  });

  it('the default is not evaluated when the path exists', () => {
    fc.assert(
      fc.property(tree, path, (data, p) => {
        const exists = walk(data, p) !== undefined;
        const e = runError(obj({ select: p, from: obj({ quote: data }), default: obj({ abort: 'evaluated' }) }));
        assert.equal(e === null, exists);
        if (!exists) assert.equal(e!.code, 'transaction aborted');
      }),
    );
  });
});

describe('Merge, ToObject and ToArray', () => {
  const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), fc.oneof(fc.integer({ min: 0, max: 9 }).map((n) => BigInt(n)), fc.constant<Json>(null)), { maxKeys: 4 });

  it('Merge: the right wins, null deletes, other keys stay', () => {
    fc.assert(
      fc.property(
        record.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as Record<string, Json>),
        record,
        (left, right) => {
          const got = run(obj({ merge: objectExpr(left), with: objectExpr(right) })) as JsonObject;
          const want: Record<string, Json> = { ...left };
          for (const [k, v] of Object.entries(right)) {
            if (v === null) delete want[k];
            else want[k] = v;
          }
          assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort());
          for (const k of Object.keys(want)) assert.equal(key(got[k]!), key(want[k]!));
        },
      ),
    );
  });

  it('ToObject(ToArray(o)) is o', () => {
    fc.assert(
      fc.property(record.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null)) as Record<string, Json>), (o) => {
        const got = run(obj({ to_object: obj({ to_array: objectExpr(o) }) })) as JsonObject;
        assert.deepEqual(Object.keys(got).sort(), Object.keys(o).sort());
        for (const k of Object.keys(o)) assert.equal(key(got[k]!), key(o[k]!));
      }),
    );
  });
});
