/**
 * Readers of composed sets: Union, Intersection, Difference, Distinct,
 * Range, Reverse and Join. Each reads its inner sets lazily and merges them
 * in set order by entry key; the forms that build Range and Join live here
 * too (the array-or-set forms are with the collection functions).
 */
import { invalidArgument, type Position } from '../../errors.js';
import { prefixEnd } from '../../storage/keys.js';
import { LambdaValue, READ, Ref, SetRef, type Value } from '../../values/value.js';
import { castLambda, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction } from '../registry.js';
import { defineSetKind, entryElement, sourceOf, type ReadOptions, type SetEntry, type SetSource } from './source.js';

function setArg(v: Value | undefined, position: Position): SetRef {
  if (v instanceof SetRef) return v;
  if (v instanceof Ref && v.isNative) return new SetRef({ kind: 'native', native: v });
  throw invalidArgument(`Set expected, ${typeName(v)} provided.`, position);
}

function compatible(sources: SetSource[], position: Position): number {
  const arity = sources[0]?.arity ?? 0;
  if (sources.some((s) => s.arity !== arity)) throw invalidArgument('Sets are not compatible.', position);
  return arity;
}

const cmp = (descending: boolean) => (a: SetEntry, b: SetEntry) => (descending ? -1 : 1) * Buffer.compare(a.key, b.key);

/** Merges ordered streams, yielding each key once (union). */
function* mergeUnion(streams: Iterable<SetEntry>[], descending: boolean): Iterable<SetEntry> {
  const its = streams.map((s) => s[Symbol.iterator]());
  const heads = its.map((it) => it.next());
  const order = cmp(descending);
  while (true) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (h.done) continue;
      if (best < 0 || order(h.value, (heads[best] as IteratorYieldResult<SetEntry>).value) < 0) best = i;
    }
    if (best < 0) return;
    const entry = (heads[best] as IteratorYieldResult<SetEntry>).value;
    yield entry;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i]!;
      if (!h.done && Buffer.compare(h.value.key, entry.key) === 0) heads[i] = its[i]!.next();
    }
  }
}

/** True when `source` holds an entry with exactly this key. */
function contains(source: SetSource, key: Buffer): boolean {
  for (const e of source.scan(key, null, false)) return Buffer.compare(e.key, key) === 0;
  return false;
}

function combined(ctx: EvalContext, sets: SetRef[], options: ReadOptions, kind: 'union' | 'intersection' | 'difference'): SetSource {
  const sources = sets.map((s) => sourceOf(ctx, s, options));
  const arity = compatible(sources, options.position);
  const first = sources[0]!;
  return {
    arity,
    keyOf: (tuple) => first.keyOf(tuple),
    *scan(lo, hi, descending) {
      if (kind === 'union') {
        yield* mergeUnion(sources.map((s) => s.scan(lo, hi, descending)), descending);
        return;
      }
      for (const e of first.scan(lo, hi, descending)) {
        ctx.tick();
        const rest = sources.slice(1);
        const keep = kind === 'intersection' ? rest.every((s) => contains(s, e.key)) : !rest.some((s) => contains(s, e.key));
        if (keep) yield e;
      }
    },
  };
}

defineSetKind('union', (ctx, node, options) => combined(ctx, node.sets, options, 'union'));
defineSetKind('intersection', (ctx, node, options) => combined(ctx, node.sets, options, 'intersection'));
defineSetKind('difference', (ctx, node, options) => combined(ctx, node.sets, options, 'difference'));

/** Distinct: entries with equal covered values collapse into the first. */
defineSetKind('distinct', (ctx, node, options) => {
  const inner = sourceOf(ctx, node.set, options);
  return {
    arity: inner.arity,
    keyOf: inner.keyOf,
    *scan(lo, hi, descending) {
      let previous: Buffer | null = null;
      for (const e of inner.scan(lo, hi, descending)) {
        const valuesKey = inner.arity === 0 ? e.key : inner.keyOf(e.values);
        if (previous !== null && Buffer.compare(previous, valuesKey) === 0) continue;
        previous = valuesKey;
        yield e;
      }
    },
  };
});

/** Range: bounded by covered-value prefixes, both inclusive. */
defineSetKind('range', (ctx, node, options) => {
  const inner = sourceOf(ctx, node.set, options);
  const tuple = (v: Value): Value[] => (Array.isArray(v) ? v : [v]);
  const from = tuple(node.from).length === 0 ? null : inner.keyOf(tuple(node.from));
  const toPrefix = tuple(node.to).length === 0 ? null : inner.keyOf(tuple(node.to));
  const to = toPrefix === null ? null : prefixEnd(toPrefix);
  return {
    arity: inner.arity,
    keyOf: inner.keyOf,
    scan(lo, hi, descending) {
      const l = lo === null ? from : from === null ? lo : Buffer.compare(lo, from) > 0 ? lo : from;
      const h = hi === null ? to : to === null ? hi : Buffer.compare(hi, to) < 0 ? hi : to;
      if (l !== null && h !== null && Buffer.compare(l, h) >= 0) return [];
      return inner.scan(l, h, descending);
    },
  };
});

/**
 * Reverse: the inner set read the other way. Cursors stay in the inner key
 * space: after a cursor (inclusive) means at or below it in the inner order.
 */
defineSetKind('reverse', (ctx, node, options) => {
  const inner = sourceOf(ctx, node.set, options);
  return {
    arity: inner.arity,
    keyOf: inner.keyOf,
    scan(lo, hi, descending) {
      const innerLo = hi === null ? null : prefixEnd(hi);
      const innerHi = lo === null ? null : prefixEnd(lo);
      return inner.scan(innerLo, innerHi, !descending);
    },
  };
});

/** Join: for each element of the source, the set `with` gives for it; their union. */
defineSetKind('join', (ctx, node, options) => {
  const source = sourceOf(ctx, node.source, options);
  const targetOf = (v: Value): SetSource => {
    const set = node.with instanceof Ref ? new SetRef({ kind: 'match', index: node.with, terms: [v] }) : node.with.apply(ctx, v);
    return sourceOf(ctx, setArg(set, options.position), options);
  };
  let targets: SetSource[] | null = null;
  const all = (): SetSource[] => {
    if (targets === null) {
      targets = [];
      for (const e of source.scan(null, null, false)) {
        ctx.tick();
        targets.push(targetOf(entryElement(source, e)));
      }
    }
    return targets;
  };
  return {
    get arity() {
      return all()[0]?.arity ?? 0;
    },
    keyOf: (tuple) => (all()[0] ?? source).keyOf(tuple),
    scan(lo, hi, descending) {
      return mergeUnion(all().map((t) => t.scan(lo, hi, descending)), descending);
    },
  };
});

defineFunction({
  keys: ['range', 'from', 'to'],
  impl(_ctx, [set, from, to], site) {
    return new SetRef({ kind: 'range', set: setArg(set, site.at('range')), from: from ?? [], to: to ?? [] });
  },
});

defineFunction({
  keys: ['join', 'with'],
  effect: READ,
  impl(_ctx, [source, withValue], site) {
    const set = setArg(source, site.at('join'));
    if (withValue instanceof Ref && withValue.schemaKind === 'indexes') return new SetRef({ kind: 'join', source: set, with: withValue });
    const lambda: LambdaValue = castLambda(withValue, site.at('with'));
    return new SetRef({ kind: 'join', source: set, with: lambda });
  },
});
