/**
 * Documents, Singleton and Paginate.
 *
 * Paginate reads a set between cursors: forward paging (`after`, or none) is
 * inclusive of the cursor and returns the next page's first tuple as `after`;
 * backward paging (`before`) is exclusive and returns the page's first tuple
 * as `before`. A supplied cursor is echoed on the other side, as an array
 * (`after: 0` comes back as `before: [0]`). Data is always in ascending set
 * order. As in FaunaDB, a size above 100000 reads 100000, a size of 0 reads
 * nothing and echoes the cursor on both sides, and a negative size reads
 * nothing. The page records each element's cursor (values then ref) for Take
 * and Drop.
 */
import { invalidArgument, type Position } from '../../errors.js';
import { encodeKey } from '../../storage/keys.js';
import { Page, READ, Ref, SetRef, isObject, newObject, type Value } from '../../values/value.js';
import { castBoolean, castRef, castSize, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction } from '../registry.js';
import { refExists } from './documents.js';
import { makePage } from '../functions/collections.js';
import { defineSetKind, cursorTuple, entryCursor, entryElement, sourceOf, type SetEntry, type SetSource } from '../sets/source.js';
import { timeArgMicros } from '../time-arg.js';

export const DEFAULT_PAGE_SIZE = 64;
export const MAX_PAGE_SIZE = 100_000;

defineFunction({
  keys: ['documents'],
  impl(_ctx, [coll], site) {
    const ref = castRef(coll, site.at('documents'));
    if (ref.schemaKind !== 'collections') throw invalidArgument(`Collection Ref expected, ${typeName(coll)} provided.`, site.at('documents'));
    return new SetRef({ kind: 'documents', collection: ref });
  },
});

defineFunction({
  keys: ['singleton'],
  impl(_ctx, [ref], site) {
    return new SetRef({ kind: 'singleton', ref: castRef(ref, site.at('singleton')) });
  },
});

defineSetKind('singleton', (ctx, node, options) => ({
  arity: 0,
  reversed: [false],
  keyOf: (tuple: Value[]) => encodeKey(tuple),
  *scan(lo, hi): Iterable<SetEntry> {
    if (!refExists(ctx, node.ref, options.position, options.atTs)) return;
    const key = encodeKey([node.ref]);
    if (lo !== null && Buffer.compare(key, lo) < 0) return;
    if (hi !== null && Buffer.compare(key, hi) >= 0) return;
    yield { key, values: [], ref: node.ref };
  },
}));

/** A set argument: a set, a native collection ref, or a document ref (a one-document set). */
export function setArgument(v: Value | undefined, position: Position): SetRef {
  if (v instanceof SetRef) return v;
  if (v instanceof Ref) {
    if (v.isNative) return new SetRef({ kind: 'native', native: v });
    return new SetRef({ kind: 'singleton', ref: v });
  }
  throw invalidArgument(`Set expected, ${typeName(v)} provided.`, position);
}

export interface PageOptions {
  size: number;
  after?: Value;
  before?: Value;
  atTs: bigint | null;
  sources: boolean;
}

export function paginateSet(ctx: EvalContext, set: SetRef, opts: PageOptions, position: Position): Page {
  const source = sourceOf(ctx, set, { atTs: opts.atTs, position });
  const element = (e: SetEntry): Value => {
    const v = entryElement(source, e);
    if (!opts.sources) return v;
    const wrapped = newObject();
    wrapped.value = v;
    wrapped.sources = [set];
    return wrapped;
  };
  const page = (entries: SetEntry[], before: Value | undefined, after: Value | undefined): Page =>
    makePage(entries.map(element), () => entries.map(entryCursor), before, after);
  const echo = (v: Value): Value => (source.cursorEcho ? source.cursorEcho(v) : cursorTuple(v));
  if (opts.before !== undefined) {
    const given = echo(opts.before);
    if (opts.size === 0) return page([], given, given);
    const hi = source.keyOf(cursorTuple(opts.before));
    const got = take(ctx, source, null, hi, true, opts.size + 1);
    const data = got.slice(0, Math.max(opts.size, 0)).reverse();
    const more = got.length > opts.size && data.length > 0;
    return page(data, more ? entryCursor(data[0]!) : undefined, given);
  }
  const given = opts.after === undefined ? undefined : echo(opts.after);
  if (opts.size === 0) return page([], given, given);
  const lo = opts.after === undefined ? null : source.keyOf(cursorTuple(opts.after));
  const got = take(ctx, source, lo, null, false, opts.size + 1);
  const data = got.slice(0, Math.max(opts.size, 0));
  const next = opts.size > 0 && got.length > opts.size ? entryCursor(got[opts.size]!) : undefined;
  return page(data, given, next);
}

/** The first n entries of a source between bounds. */
function take(ctx: EvalContext, source: SetSource, lo: Buffer | null, hi: Buffer | null, descending: boolean, n: number): SetEntry[] {
  if (source.take !== undefined) return source.take(lo, hi, descending, n);
  const out: SetEntry[] = [];
  if (n <= 0) return out;
  for (const e of source.scan(lo, hi, descending, n)) {
    out.push(e);
    ctx.tick();
    if (out.length >= n) break;
  }
  return out;
}

defineFunction({
  keys: ['paginate'],
  optional: ['size', 'after', 'before', 'cursor', 'ts', 'events', 'sources'],
  effect: READ,
  impl(ctx, [setValue, size, after, before, cursor, ts, events, sources], site) {
    let set = setArgument(setValue, site.at('paginate'));
    let pageSize = DEFAULT_PAGE_SIZE;
    if (size !== undefined && size !== null) {
      // Fauna clamps a large size to the maximum; a negative one reads nothing.
      pageSize = Math.min(castSize(size, site.at('size')), MAX_PAGE_SIZE);
    }
    let afterCursor = after === undefined ? undefined : after;
    let beforeCursor = before === undefined ? undefined : before;
    if (cursor !== undefined && cursor !== null) {
      const keys = isObject(cursor) ? Object.keys(cursor) : [];
      if (!isObject(cursor) || keys.length !== 1 || (keys[0] !== 'after' && keys[0] !== 'before')) {
        throw invalidArgument("Invalid cursor object. Expected an object with either 'before' or 'after' key in it.", site.at('cursor'));
      }
      if (keys[0] === 'after') afterCursor = cursor.after;
      else beforeCursor = cursor.before;
    }
    if (events !== undefined && events !== null && castBoolean(events, site.at('events'))) {
      const src = setValue instanceof Ref && !setValue.isNative ? setValue : set;
      set = new SetRef({ kind: 'events', source: src });
    }
    const atTs = ts === undefined || ts === null ? ctx.readTs : timeArgMicros(ts, site.at('ts'));
    return paginateSet(
      ctx,
      set,
      {
        size: pageSize,
        ...(afterCursor !== undefined ? { after: afterCursor } : {}),
        ...(beforeCursor !== undefined ? { before: beforeCursor } : {}),
        atTs,
        sources: sources !== undefined && sources !== null && castBoolean(sources, site.at('sources')),
      },
      site.position,
    );
  },
});
