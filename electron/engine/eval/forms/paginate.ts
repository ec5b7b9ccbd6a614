/**
 * Documents, Singleton and Paginate.
 *
 * Paginate reads a set between cursors: forward paging (`after`, or none) is
 * inclusive of the cursor and returns the next page's first tuple as `after`;
 * backward paging (`before`) is exclusive and returns the page's first tuple
 * as `before`. A supplied cursor is echoed on the other side. Data is always
 * in ascending set order.
 */
import { invalidArgument, type Position } from '../../errors.js';
import { encodeKey } from '../../storage/keys.js';
import { Page, READ, Ref, SetRef, isObject, newObject, type Value } from '../../values/value.js';
import { castBoolean, castRef, castSize, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction } from '../registry.js';
import { refExists } from './documents.js';
import { defineSetKind, cursorTuple, entryCursor, entryElement, sourceOf, type SetEntry } from '../sets/source.js';
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
  if (opts.before !== undefined) {
    const hi = source.keyOf(cursorTuple(opts.before));
    const got = take(ctx, source.scan(null, hi, true), opts.size + 1, position);
    const data = got.slice(0, opts.size).reverse();
    const more = got.length > opts.size && data.length > 0;
    return new Page(data.map(element), more ? entryCursor(data[0]!) : undefined, opts.before);
  }
  const lo = opts.after === undefined ? null : source.keyOf(cursorTuple(opts.after));
  const got = take(ctx, source.scan(lo, null, false), opts.size + 1, position);
  const data = got.slice(0, opts.size);
  const next = got.length > opts.size ? entryCursor(got[opts.size]!) : undefined;
  return new Page(data.map(element), opts.after, next);
}

function take(ctx: EvalContext, entries: Iterable<SetEntry>, n: number, _position: Position): SetEntry[] {
  const out: SetEntry[] = [];
  if (n <= 0) return out;
  for (const e of entries) {
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
      pageSize = castSize(size, site.at('size'));
      if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
        throw invalidArgument(`Page size must be between 0 and ${MAX_PAGE_SIZE}, got ${pageSize}.`, site.at('size'));
      }
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
