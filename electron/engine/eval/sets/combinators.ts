/**
 * Readers of composed sets: Union, Intersection, Difference, Distinct,
 * Range, Reverse and Join. Each reads its inner sets lazily and merges them
 * in set order by entry key; the forms that build Range and Join live here
 * too (the array-or-set forms are with the collection functions).
 *
 * As in FaunaDB, Union, Intersection and Difference compare entries by their
 * covered values (by ref only for sets of refs), as multisets: for each run
 * of equal values, Union keeps the entries of the set that has the most of
 * them, Intersection those of the set that has the fewest (when every set
 * has some), Difference those of the first set when no other set has any.
 * Join keeps one entry per distinct value.
 */
import { invalidArgument, type Position } from '../../errors.js';
import { prefixEnd } from '../../storage/keys.js';
import { LambdaValue, PURE, Ref, SetRef, type Value } from '../../values/value.js';
import { requireIndex } from '../indexes/match.js';
import { castLambda, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction } from '../registry.js';
import { compatible, defineSetKind, entryElement, groupKey, sourceOf, throughScan, type ReadOptions, type SetEntry, type SetSource } from './source.js';

function setArg(v: Value | undefined, position: Position): SetRef {
  if (v instanceof SetRef) return v;
  if (v instanceof Ref && v.isNative) return new SetRef({ kind: 'native', native: v });
  throw invalidArgument(`Set expected, ${typeName(v)} provided.`, position);
}

/**
 * Fauna's compatibility rule: history sets combine only with history sets,
 * and the reverse flags of the sets' shapes must agree as far as both go
 * (a set of refs combines with a set of values).
 */
const order = (descending: boolean) => (a: Buffer, b: Buffer) => (descending ? -1 : 1) * Buffer.compare(a, b);

/** A stream of entries with its head and the head's group key. */
class Cursor {
  private readonly it: Iterator<SetEntry>;
  head: SetEntry | null = null;
  group: Buffer | null = null;
  constructor(
    private readonly source: SetSource,
    entries: Iterable<SetEntry>,
  ) {
    this.it = entries[Symbol.iterator]();
    this.advance();
  }
  advance(): void {
    const next = this.it.next();
    this.head = next.done ? null : next.value;
    this.group = this.head === null ? null : groupKey(this.source, this.head);
  }
  /** Takes every entry at the head whose group key is `group`. */
  take(group: Buffer): SetEntry[] {
    const out: SetEntry[] = [];
    while (this.head !== null && Buffer.compare(this.group!, group) === 0) {
      out.push(this.head);
      this.advance();
    }
    return out;
  }
}

/** Merges ordered streams run by run of equal group keys; `select` picks what each run yields. */
function* mergeGroups(ctx: EvalContext, sources: SetSource[], streams: Iterable<SetEntry>[], descending: boolean, select: (runs: SetEntry[][]) => SetEntry[]): Iterable<SetEntry> {
  const cursors = streams.map((s, i) => new Cursor(sources[i]!, s));
  const cmp = order(descending);
  while (true) {
    let best: Buffer | null = null;
    for (const c of cursors) if (c.group !== null && (best === null || cmp(c.group, best) < 0)) best = c.group;
    if (best === null) return;
    ctx.tick();
    yield* select(cursors.map((c) => c.take(best)));
  }
}

/** The run with the most (or fewest) entries; the first such run on a tie. */
function pick(runs: SetEntry[][], most: boolean): SetEntry[] {
  let chosen: SetEntry[] | null = null;
  for (const run of runs) {
    if (run.length === 0) continue;
    if (chosen === null || (most ? run.length > chosen.length : run.length < chosen.length)) chosen = run;
  }
  return chosen ?? [];
}

/** Entries of `source` whose group key is `group`, within [lo, hi). */
function runOf(source: SetSource, group: Buffer, lo: Buffer | null, hi: Buffer | null, descending: boolean, limit: number): SetEntry[] {
  const end = prefixEnd(group);
  const from = lo !== null && Buffer.compare(lo, group) > 0 ? lo : group;
  const to = hi !== null && (end === null || Buffer.compare(hi, end) < 0) ? hi : end;
  if (to !== null && Buffer.compare(from, to) >= 0) return [];
  const out: SetEntry[] = [];
  for (const e of source.scan(from, to, descending)) {
    if (Buffer.compare(groupKey(source, e), group) !== 0) continue;
    out.push(e);
    if (out.length >= limit) break;
  }
  return out;
}

function combined(ctx: EvalContext, sets: SetRef[], options: ReadOptions, kind: 'union' | 'intersection' | 'difference'): SetSource {
  const sources = sets.map((s) => sourceOf(ctx, s, options));
  compatible(sources, options.position);
  const first = sources[0]!;
  return {
    arity: first.arity,
    ...(first.reversed !== undefined ? { reversed: first.reversed } : {}),
    ...(first.historical !== undefined ? { historical: first.historical } : {}),
    ...(first.cursorEcho !== undefined ? { cursorEcho: first.cursorEcho } : {}),
    keyOf: (tuple) => first.keyOf(tuple),
    *scan(lo, hi, descending) {
      if (kind === 'union') {
        yield* mergeGroups(ctx, sources, sources.map((s) => s.scan(lo, hi, descending)), descending, (runs) => pick(runs, true));
        return;
      }
      // Intersection and Difference walk the first set run by run and look the run up in the others.
      const rest = sources.slice(1);
      const cursor = new Cursor(first, first.scan(lo, hi, descending));
      while (cursor.head !== null) {
        const group = cursor.group!;
        const run = cursor.take(group);
        ctx.tick(run.length);
        if (kind === 'difference') {
          if (!rest.some((s) => runOf(s, group, lo, hi, descending, 1).length > 0)) yield* run;
          continue;
        }
        const runs = [run];
        for (const s of rest) {
          const other = runOf(s, group, lo, hi, descending, run.length);
          if (other.length === 0) break;
          runs.push(other);
        }
        if (runs.length === sources.length) yield* pick(runs, false);
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
  return throughScan(inner, function* (lo, hi, descending) {
    let previous: Buffer | null = null;
    for (const e of inner.scan(lo, hi, descending)) {
      const valuesKey = groupKey(inner, e);
      if (previous !== null && Buffer.compare(previous, valuesKey) === 0) continue;
      previous = valuesKey;
      yield e;
    }
  });
});

/** Range: bounded by covered-value prefixes, both inclusive, in the inner set's own order. */
defineSetKind('range', (ctx, node, options) => {
  const inner = sourceOf(ctx, node.set, options);
  const tuple = (v: Value): Value[] => (Array.isArray(v) ? v : [v]);
  const from = tuple(node.from).length === 0 ? null : inner.keyOf(tuple(node.from));
  const toPrefix = tuple(node.to).length === 0 ? null : inner.keyOf(tuple(node.to));
  const to = toPrefix === null ? null : prefixEnd(toPrefix);
  return throughScan(inner, (lo, hi, descending, hint) => {
    const l = lo === null ? from : from === null ? lo : Buffer.compare(lo, from) > 0 ? lo : from;
    const h = hi === null ? to : to === null ? hi : Buffer.compare(hi, to) < 0 ? hi : to;
    if (l !== null && h !== null && Buffer.compare(l, h) >= 0) return [];
    return inner.scan(l, h, descending, hint);
  });
});

/** Every byte complemented: reverses the order of prefix-free keys and keeps prefixes prefixes. */
function complement(key: Buffer): Buffer {
  const out = Buffer.allocUnsafe(key.length);
  for (let i = 0; i < key.length; i++) out[i] = 0xff - key[i]!;
  return out;
}

/**
 * Reverse: the inner set read the other way. Its key space is the inner one
 * with every byte complemented, so that cursors and Range bounds keep their
 * meaning in the reversed order (`after: 15` over 20..10 reads 15..10, and
 * Range(Reverse(s), 60, 50) reads 60..50), and so that reversed sets merge
 * with each other. For the complement K of an inner key k and any bound b:
 * K >= b exactly when k < prefixEnd(~b), so outer [lo, hi) is inner
 * [prefixEnd(~hi), prefixEnd(~lo)).
 */
defineSetKind('reverse', (ctx, node, options) => {
  const inner = sourceOf(ctx, node.set, options);
  const reversed = inner.reversed === undefined ? undefined : inner.reversed.length <= 1 ? [true, false] : [...inner.reversed.slice(0, -1).map((r) => !r), false];
  return {
    arity: inner.arity,
    ...(reversed !== undefined ? { reversed } : {}),
    ...(inner.historical !== undefined ? { historical: inner.historical } : {}),
    ...(inner.count !== undefined ? { count: inner.count } : {}),
    keyOf: (tuple) => complement(inner.keyOf(tuple)),
    *scan(lo, hi, descending) {
      let innerLo: Buffer | null = null;
      if (hi !== null) {
        innerLo = prefixEnd(complement(hi));
        if (innerLo === null) return;
      }
      const innerHi = lo === null ? null : prefixEnd(complement(lo));
      for (const e of inner.scan(innerLo, innerHi, !descending)) yield { ...e, key: complement(e.key) };
    },
  };
});

/** Join: for each element of the source, the set `with` gives for it; their union, one entry per value. */
defineSetKind('join', (ctx, node, options) => {
  const source = sourceOf(ctx, node.source, options);
  const targetOf = (e: SetEntry): SetSource => {
    // An index joins on the entry's covered values as its terms (the ref for a set of refs).
    const set = node.with instanceof Ref ? new SetRef({ kind: 'match', index: node.with, terms: e.values.length === 0 ? [e.ref] : e.values }) : node.with.apply(ctx, entryElement(source, e));
    return sourceOf(ctx, setArg(set, options.position), options);
  };
  let targets: SetSource[] | null = null;
  const all = (): SetSource[] => {
    if (targets === null) {
      targets = [];
      for (const e of source.scan(null, null, false)) {
        ctx.tick();
        targets.push(targetOf(e));
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
      const ts = all();
      return mergeGroups(ctx, ts, ts.map((t) => t.scan(lo, hi, descending)), descending, (runs) => {
        for (const run of runs) if (run.length > 0) return [run[0]!];
        return [];
      });
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
  impl(ctx, [source, withValue], site) {
    const set = setArg(source, site.at('join'));
    if (withValue instanceof Ref && withValue.schemaKind === 'indexes') {
      requireIndex(ctx, withValue, site.at('with'));
      return new SetRef({ kind: 'join', source: set, with: withValue });
    }
    if (!(withValue instanceof LambdaValue)) throw invalidArgument(`Lambda or Index Ref expected, ${typeName(withValue)} provided.`, site.at('with'));
    const lambda: LambdaValue = castLambda(withValue, site.at('with'));
    // The target of a join must be pure: no reads, writes or function calls.
    if (lambda.effect !== PURE) throw invalidArgument('Invalid lambda. Lambda in this context may not read, write, or call a user function.', site.at('with'));
    return new SetRef({ kind: 'join', source: set, with: lambda });
  },
});
