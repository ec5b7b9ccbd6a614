/**
 * How sets are read. Every set kind turns into a SetSource: entries in Fauna's
 * set order, each with its order key (the encoded tuple of covered values and
 * ref), read lazily between key bounds in either direction. Pagination,
 * Count, Get-first and the set combinators are all written against this.
 */
import { invalidArgument, type Position } from '../../errors.js';
import type { SetNode } from '../../values/set.js';
import type { Ref, SetRef, Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';

export interface SetEntry {
  /** Order key: encodeKey([...values, ref]) in this set's key space. */
  key: Buffer;
  /** Covered values (empty for sets of refs). */
  values: Value[];
  /** The document the entry belongs to. */
  ref: Ref;
  /** The cursor a page gives for this entry, when not [...values, ref] (event sets). */
  cursor?: Value;
}

export interface SetSource {
  /** Number of covered values; 0 for sets of refs. */
  readonly arity: number;
  /**
   * Fauna's set shape, when known: the reverse flag of each covered value
   * followed by `false` for the document id. Union, Intersection and
   * Difference refuse sets whose flags differ on their common prefix.
   */
  readonly reversed?: readonly boolean[];
  /** True for event (history) sets, which only combine with each other. */
  readonly historical?: boolean;
  /** How a page echoes a cursor it was given (default: as an array, `0` -> `[0]`). */
  cursorEcho?(cursor: Value): Value;
  /** Encodes a cursor (a tuple prefix) into this set's key space. */
  keyOf(tuple: Value[]): Buffer;
  /**
   * Entries with lo <= key < hi (either bound may be null), ascending or
   * descending. `hint`: how many entries the reader expects to take (a
   * source may read that many at once; it never changes what is yielded).
   */
  scan(lo: Buffer | null, hi: Buffer | null, descending: boolean, hint?: number): Iterable<SetEntry>;
  /** The first `n` entries scan would yield, read at once (sources that read in batches). */
  take?(lo: Buffer | null, hi: Buffer | null, descending: boolean, n: number): SetEntry[];
  /** How many entries scan(null, null) would yield, counted in storage without reading them (sources that can). */
  count?(): number;
}

/**
 * A source reading `inner`'s entries through another scan (bounded or
 * filtered): inner's shape, without inner's own `take` and `count`, which
 * would bypass it.
 */
export function throughScan(inner: SetSource, scan: SetSource['scan']): SetSource {
  const { take: _take, count: _count, ...shape } = inner;
  return { ...shape, scan };
}

/** What the set was read at: the transaction's snapshot, or an earlier time (At / ts). */
export interface ReadOptions {
  atTs: bigint | null;
  position: Position;
}

type SourceFactory = (ctx: EvalContext, node: never, options: ReadOptions) => SetSource;
const factories = new Map<string, SourceFactory>();

export function defineSetKind<K extends SetNode['kind']>(kind: K, factory: (ctx: EvalContext, node: SetNode & { kind: K }, options: ReadOptions) => SetSource): void {
  factories.set(kind, factory as SourceFactory);
}

export function sourceOf(ctx: EvalContext, set: SetRef, options: ReadOptions): SetSource {
  const factory = factories.get(set.node.kind);
  if (factory === undefined) throw invalidArgument(`Sets of kind ${set.node.kind} cannot be read.`, options.position);
  return factory(ctx, set.node as never, options);
}

/**
 * The element an entry contributes to a page: the ref, the single value, or
 * the value tuple. Decided per entry, as Fauna renders each element from its
 * own covered values (a Union may mix sets of refs and sets of values).
 */
export function entryElement(_source: SetSource, entry: SetEntry): Value {
  if (entry.values.length === 0) return entry.ref;
  if (entry.values.length === 1) return entry.values[0]!;
  return entry.values;
}

/** The key of an entry's covered values (its ref when it covers none): what set operations group by. */
export function groupKey(source: SetSource, entry: SetEntry): Buffer {
  return entry.values.length === 0 || source.historical === true ? entry.key : source.keyOf(entry.values);
}

/** The cursor tuple of an entry: its values followed by its ref. */
export function entryCursor(entry: SetEntry): Value {
  return entry.cursor ?? [...entry.values, entry.ref];
}

/** Normalises a cursor argument (a scalar or a tuple prefix) into a tuple. */
export function cursorTuple(v: Value): Value[] {
  return Array.isArray(v) ? v : [v];
}

/** Union, Intersection and Difference take sets of one shape: the same reverse flags, history or not. */
export function compatible(sources: SetSource[], position: Position): void {
  for (let i = 1; i < sources.length; i++) {
    const a = sources[i - 1]!;
    const b = sources[i]!;
    if ((a.historical === true) !== (b.historical === true)) throw invalidArgument('Sets are not compatible.', position);
    if (a.reversed === undefined || b.reversed === undefined) continue;
    const n = Math.min(a.reversed.length, b.reversed.length);
    for (let j = 0; j < n; j++) if (a.reversed[j] !== b.reversed[j]) throw invalidArgument('Sets are not compatible.', position);
  }
}

/**
 * Checks, where Union, Intersection or Difference is built, that its sets
 * are compatible, as FaunaDB does (and so reports it at that form). A set
 * that cannot even be described yet (an undefined index...) is left to fail
 * where it is read.
 */
export function checkCompatible(ctx: EvalContext, sets: SetRef[], position: Position): void {
  let sources: SetSource[];
  try {
    sources = sets.map((s) => sourceOf(ctx, s, { atTs: null, position }));
  } catch {
    return;
  }
  compatible(sources, position);
}
