/**
 * Object and path functions: Select (with `default` and `all`), SelectAll,
 * Merge, ToObject, ToArray, ContainsPath (and the deprecated Contains),
 * ContainsField, ContainsValue.
 *
 * Paths walk objects by key, arrays and pages by index (pages also by
 * `data`/`before`/`after`), refs by `id`/`collection`/`database`, and sets
 * by `@set`. Documents are objects here (`{ref, ts, data, ...}`), so they are
 * walked like any object. Behaviour follows FaunaDB's v4 server
 * (ReadAdaptor.valueAtPath, ObjectFunctions, BasicFunctions, ConversionFunctions).
 */
import { FaunaError, invalidArgument, invalidRef, type Position } from '../../errors.js';
import { Bytes, FDate, FTime, LambdaValue, Page, PURE, READ, Ref, SetRef, isObject, newObject, type Effect, type FObject, type Value } from '../../values/value.js';
import { castBoolean, castLambda, castString, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineForm, defineFunction } from '../registry.js';
import { findSchema, kindNoun } from '../resolve.js';
import { cursorTuple, entryElement, sourceOf } from '../sets/source.js';
import type { Compiled, Env } from '../types.js';
import { defineLambdaFunction, sameValue } from './collections.js';

const maxEffect = (a: Effect, b: Effect): Effect => (a > b ? a : b);

// --- paths ---------------------------------------------------------------------------------

/** A path element: a field name, or an index (kept as the Integer it was given as). */
export type PathElem = string | bigint;

/** Casts a path argument: a String, an Integer, or an Array of them. */
export function castPath(v: Value | undefined, position: Position): PathElem[] {
  const one = (e: Value | undefined, pos: Position): PathElem => {
    if (typeof e === 'string' || typeof e === 'bigint') return e;
    throw invalidArgument(`String or Integer expected, ${typeName(e)} provided.`, pos);
  };
  if (Array.isArray(v)) return v.map((e, i) => one(e, [...position, i]));
  return [one(v, position)];
}

/** The `Value not found at path [a,0].` text of a path. */
function pathText(path: PathElem[]): string {
  return `[${path.map((p) => p.toString()).join(',')}]`;
}

/** The server narrows an index with `toInt` (the low 32 bits). */
function indexOf(i: bigint): number {
  return Number(BigInt.asIntN(32, i));
}

/** The database a ref is scoped to (a schema ref carries it on its native collection). */
function refDatabase(ref: Ref): Ref | null {
  for (let r: Ref | null = ref; r !== null; r = r.collection) {
    if (r.database !== null) return r.database;
  }
  return null;
}

function hasKey(obj: FObject, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * The value at `path` inside `container`, or undefined when the path is missing.
 * With `all`, arrays met along the path are flattened: the rest of the path is
 * applied to each element and the results joined.
 */
export function valueAtPath(container: Value, path: readonly PathElem[], all: boolean, i = 0): Value | undefined {
  const head = path[i];
  const v = container;
  if (v instanceof Ref) {
    if (head === undefined) return v;
    if (head === 'collection' || head === 'class') {
      return v.collection === null ? undefined : valueAtPath(v.collection, path, all, i + 1);
    }
    if (head === 'id') return i + 1 === path.length ? v.id : undefined;
    if (head === 'database') {
      const db = refDatabase(v);
      return db === null ? undefined : valueAtPath(db, path, all, i + 1);
    }
    return undefined;
  }
  if (v instanceof SetRef) {
    if (head === undefined) return v;
    return head === '@set' && i + 1 === path.length ? v : undefined;
  }
  if (Array.isArray(v)) {
    if (typeof head === 'bigint') {
      const idx = indexOf(head);
      return idx >= 0 && idx < v.length ? valueAtPath(v[idx]!, path, all, i + 1) : undefined;
    }
    if (all) return flatten(v, path, i);
    return head === undefined ? v : undefined;
  }
  if (v instanceof Page) {
    if (head === undefined) return v;
    if (head === 'data') return valueAtPath(v.data, path, all, i + 1);
    if (head === 'before') return v.before === undefined ? undefined : valueAtPath(v.before, path, all, i + 1);
    if (head === 'after') return v.after === undefined ? undefined : valueAtPath(v.after, path, all, i + 1);
    if (typeof head === 'bigint') {
      const idx = indexOf(head);
      return idx >= 0 && idx < v.data.length ? valueAtPath(v.data[idx]!, path, all, i + 1) : undefined;
    }
    return undefined;
  }
  if (isObject(v)) {
    if (head === undefined) return v;
    if (typeof head === 'string' && hasKey(v, head)) return valueAtPath(v[head]!, path, all, i + 1);
    return undefined;
  }
  // Scalars, times, dates, bytes, lambdas: only the empty path selects them.
  return head === undefined ? v : undefined;
}

function flatten(arr: Value[], path: readonly PathElem[], i: number): Value[] {
  const out: Value[] = [];
  for (const e of arr) {
    const r = valueAtPath(e, path, true, i);
    if (r === undefined) continue;
    if (Array.isArray(r)) out.push(...r);
    else out.push(r);
  }
  return out;
}

/** Select from an unresolved ref (its collection or schema document does not exist) is `invalid ref`. */
function checkResolved(ctx: EvalContext, from: Value, position: Position): void {
  if (!(from instanceof Ref)) return;
  const kind = from.schemaKind;
  if (kind !== null) {
    if (kind === 'keys' || kind === 'tokens' || kind === 'credentials') return;
    if (findSchema(ctx, from, position) === null) throw invalidRef(`Ref refers to undefined ${kindNoun(kind)} '${from.id}'`, position);
    return;
  }
  const coll = from.collection;
  if (coll !== null && coll.schemaKind === 'collections' && findSchema(ctx, coll, position) === null) {
    throw invalidRef(`Ref refers to undefined collection '${coll.id}'`, position);
  }
}

function selectResult(path: PathElem[], all: boolean, found: Value | undefined): Value | undefined {
  if (!all) return found;
  if (found === undefined) return [];
  return Array.isArray(found) ? found : [found];
}

/**
 * Select and SelectAll: path, from and all are evaluated, then the path is
 * walked; `default` is evaluated only when the path is missing. With `all` a
 * missing path is `[]` and `default` is never used.
 */
function defineSelect(name: 'select' | 'select_all' | 'select_as_index', withAll: boolean): void {
  defineForm({
    keys: [name, 'from'],
    optional: withAll ? ['all', 'default'] : ['default'],
    compile(fc) {
      const site = fc.site;
      const pathC = fc.arg(name);
      const fromC = fc.arg('from');
      const allC: Compiled | undefined = withAll && site.raw.all !== undefined ? fc.arg('all') : undefined;
      const defaultC: Compiled | undefined = site.raw.default !== undefined ? fc.arg('default') : undefined;
      let effect: Effect = maxEffect(pathC.effect, fromC.effect);
      if (allC) effect = maxEffect(effect, allC.effect);
      if (defaultC) effect = maxEffect(effect, defaultC.effect);
      const forceAll = !withAll;
      return {
        run: (ctx: EvalContext, env: Env) => {
          const pathValue = pathC.run(ctx, env);
          const from = fromC.run(ctx, env);
          const allValue = allC === undefined ? false : allC.run(ctx, env);
          const path = castPath(pathValue, site.at(name));
          const all = forceAll || castBoolean(allValue, site.at('all'));
          checkResolved(ctx, from, site.at('from'));
          const found = selectResult(path, all, valueAtPath(from, path, all));
          if (found !== undefined) return found;
          if (defaultC !== undefined) return defaultC.run(ctx, env);
          throw new FaunaError('value not found', `Value not found at path ${pathText(path)}.`, site.at('from'));
        },
        effect,
        position: site.position,
      };
    },
  });
}

defineSelect('select', true);
defineSelect('select_all', false);
defineSelect('select_as_index', false);

// --- ContainsPath / Contains / ContainsField -----------------------------------------------------

for (const key of ['contains_path', 'contains'] as const) {
  defineFunction({
    keys: [key, 'in'],
    impl(_ctx, [path, container], site) {
      const p = castPath(path, site.at(key));
      return valueAtPath(container === undefined ? null : container, p, false) !== undefined;
    },
  });
}

defineFunction({
  keys: ['contains_field', 'in'],
  impl(_ctx, [field, container], site) {
    const name = castString(field, site.at('contains_field'));
    if (Array.isArray(container)) throw invalidArgument('Object expected, Array provided.', site.at('in'));
    return valueAtPath(container === undefined ? null : container, [name], false) !== undefined;
  },
});

// --- ContainsValue ---------------------------------------------------------------------------

function isScalar(v: Value | undefined): boolean {
  switch (typeof v) {
    case 'bigint':
    case 'number':
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    default:
      return v === null || v instanceof FTime || v instanceof FDate || v instanceof Bytes;
  }
}

/** A document as Get renders it: `{ref: <document ref>, ts: <Integer>, ...}`. */
function isDocumentObject(obj: FObject): boolean {
  return obj.ref instanceof Ref && typeof obj.ts === 'bigint';
}

function setContains(ctx: EvalContext, set: SetRef, value: Value, position: Position): boolean {
  const source = sourceOf(ctx, set, { atTs: ctx.readTs, position });
  const lo = source.keyOf(cursorTuple(value));
  for (const entry of source.scan(lo, null, false)) {
    ctx.tick(1, position);
    return sameValue(entryElement(source, entry), value);
  }
  return false;
}

defineFunction({
  keys: ['contains_value', 'in'],
  effect: READ,
  impl(ctx, [valueArg, container], site) {
    const value = valueArg === undefined ? null : valueArg;
    if (isScalar(container)) {
      throw invalidArgument('Object, Array, Page, Set, or Ref expected, Scalar provided.', site.at('in'));
    }
    const c = container!;
    if (c instanceof Ref) {
      if (typeof value === 'string' && value === c.id) return true;
      if (c.collection !== null && sameValue(c.collection, value)) return true;
      const db = refDatabase(c);
      return db !== null && sameValue(db, value);
    }
    if (c instanceof SetRef) return setContains(ctx, c, value, site.position);
    if (c instanceof Page) {
      if (sameValue(c.data, value)) return true;
      if (Array.isArray(c.before) && sameValue(c.before, value)) return true;
      return Array.isArray(c.after) && sameValue(c.after, value);
    }
    if (Array.isArray(c)) {
      for (const e of c) {
        ctx.tick();
        if (sameValue(e, value)) return true;
      }
      return false;
    }
    if (isObject(c)) {
      for (const k of Object.keys(c)) {
        ctx.tick();
        if (sameValue(c[k]!, value)) return true;
      }
      if (isDocumentObject(c)) {
        const coll = (c.ref as Ref).collection;
        if (coll !== null && sameValue(coll, value)) return true;
      }
      return false;
    }
    return false;
  },
});

// --- Merge -------------------------------------------------------------------------------------

function castMergeObject(v: Value | undefined, position: Position): FObject {
  if (isObject(v)) return v;
  throw invalidArgument(`Object expected, ${typeName(v)} provided.`, position);
}

defineLambdaFunction({
  keys: ['merge', 'with'],
  optional: ['lambda'],
  lambdaKeys: ['lambda'],
  effect: PURE,
  impl(ctx, [mergeValue, withValue, lambdaValue], site) {
    const left = castMergeObject(mergeValue, site.at('merge'));
    const rights: FObject[] = Array.isArray(withValue)
      ? withValue.map((o, i) => castMergeObject(o, [...site.at('with'), i]))
      : [castMergeObject(withValue, site.at('with'))];
    const resolver: LambdaValue | null = lambdaValue === undefined ? null : castLambda(lambdaValue, site.at('lambda'));
    const out = newObject();
    for (const k of Object.keys(left)) out[k] = left[k]!;
    for (const right of rights) {
      for (const key of Object.keys(right)) {
        ctx.tick(1, site.position);
        const r = right[key]!;
        const l = hasKey(out, key) ? out[key]! : null;
        const merged = resolver === null ? r : resolver.apply(ctx, [key, l, r]);
        if (merged === null) delete out[key];
        else out[key] = merged;
      }
    }
    return out;
  },
});

// --- ToObject / ToArray --------------------------------------------------------------------------

defineFunction({
  keys: ['to_object'],
  impl(_ctx, [v], site) {
    const at = site.at('to_object');
    if (isObject(v)) return v;
    if (Array.isArray(v)) {
      const out = newObject();
      v.forEach((pair, i) => {
        if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') {
          throw invalidArgument(`Field/Value expected, ${typeName(pair)} provided.`, [...at, i]);
        }
        out[pair[0]] = pair[1]!;
      });
      return out;
    }
    throw invalidArgument(`Cannot cast ${typeName(v)} to Object.`, at);
  },
});

defineFunction({
  keys: ['to_array'],
  impl(_ctx, [v], site) {
    if (Array.isArray(v)) return v;
    if (isObject(v)) return Object.keys(v).map((k) => [k, v[k]!]);
    throw invalidArgument(`Cannot cast ${typeName(v)} to Array.`, site.at('to_array'));
  },
});
