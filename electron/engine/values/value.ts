/**
 * The engine's value model.
 *
 * FQL types map onto JavaScript so that each stays distinct:
 *   Integer -> bigint (64-bit, wrapping arithmetic), Double -> number,
 *   String -> string, Boolean -> boolean, Null -> null, Array -> Value[],
 *   Object -> FObject (a null-prototype record), and classes for the rest.
 */
import type { SetNode } from './set.js';
import { formatInstant } from './time.js';

export type Value =
  | bigint
  | number
  | string
  | boolean
  | null
  | Value[]
  | FObject
  | Ref
  | FTime
  | FDate
  | Bytes
  | SetRef
  | LambdaValue
  | Page;

export interface FObject {
  [key: string]: Value;
}

/**
 * FObjects are made by a constructor whose prototype is empty and has no
 * prototype itself: no key is ever inherited ("toString", "constructor" and
 * "__proto__" are plain data), as with Object.create(null), but V8 keeps
 * such objects in its fast representation (creating and reading them is
 * several times faster).
 */
const EMPTY_PROTOTYPE: object = Object.create(null);
const ObjectMaker = function (this: FObject) {} as unknown as { new (): FObject; prototype: object };
ObjectMaker.prototype = EMPTY_PROTOTYPE;

export function newObject(): FObject {
  return new ObjectMaker();
}

/** Builds an FObject from entries; keys such as `__proto__` stay data. */
export function objectFrom(entries: Iterable<readonly [string, Value]>): FObject {
  const obj = newObject();
  for (const [k, v] of entries) obj[k] = v;
  return obj;
}

/** The native collections every database has. */
export type NativeKind =
  | 'collections'
  | 'indexes'
  | 'functions'
  | 'databases'
  | 'keys'
  | 'tokens'
  | 'credentials'
  | 'roles'
  | 'access_providers';

export const NATIVE_KINDS: readonly NativeKind[] = [
  'collections',
  'indexes',
  'functions',
  'databases',
  'keys',
  'tokens',
  'credentials',
  'roles',
  'access_providers',
];

/**
 * A reference. Native collection refs have no collection (`Collections()`),
 * schema refs point into a native collection (`Collection("orders")`), and
 * document refs point into a user collection (`Ref(Collection("orders"), "1")`).
 * `database` scopes a ref to a child database.
 */
export class Ref {
  constructor(
    readonly id: string,
    readonly collection: Ref | null = null,
    readonly database: Ref | null = null,
  ) {}

  /** True for `Collections()`, `Indexes()` and the other native collection refs. */
  get isNative(): boolean {
    return this.collection === null;
  }

  /** The native kind this ref is a schema document of (`Collection("x")` -> 'collections'). */
  get schemaKind(): NativeKind | null {
    if (this.collection !== null && this.collection.collection === null) {
      return this.collection.id as NativeKind;
    }
    return null;
  }

  /** True for a ref to a document in a user collection. */
  get isDocument(): boolean {
    return this.collection !== null && this.collection.schemaKind === 'collections';
  }
}

export function nativeRef(kind: NativeKind, database: Ref | null = null): Ref {
  if (database === null) return ROOT_NATIVE[kind];
  return new Ref(kind, null, database);
}

const ROOT_NATIVE = Object.fromEntries(NATIVE_KINDS.map((k) => [k, new Ref(k)])) as Record<NativeKind, Ref>;

export function schemaRef(kind: NativeKind, name: string, database: Ref | null = null): Ref {
  return new Ref(name, nativeRef(kind, database), null);
}

export function collectionRef(name: string, database: Ref | null = null): Ref {
  return schemaRef('collections', name, database);
}

/** An instant with nanosecond precision, UTC. */
export class FTime {
  // An ES private field: invisible to equality checks and cloning, as a cache should be.
  #iso: string | undefined;
  constructor(readonly ns: bigint) {}

  /** The ISO-8601 text (`2026-11-22T08:00:00.123456Z`), formatted once per value. */
  get iso(): string {
    return (this.#iso ??= formatInstant(this.ns));
  }

  get micros(): bigint {
    // floor division so that instants before the epoch truncate downwards
    const q = this.ns / 1000n;
    return this.ns < 0n && q * 1000n !== this.ns ? q - 1n : q;
  }

  static fromMicros(us: bigint): FTime {
    return new FTime(us * 1000n);
  }
}

/** A calendar date, as days since 1970-01-01. */
export class FDate {
  constructor(readonly days: number) {}
}

export class Bytes {
  constructor(readonly bytes: Uint8Array) {}
}

/** A lazy set: nothing is read until it is paginated or iterated. */
export class SetRef {
  constructor(readonly node: SetNode) {}
}

/** A page of a set or array: `{data, before?, after?}`. */
export class Page {
  constructor(
    readonly data: Value[],
    readonly before: Value | undefined = undefined,
    readonly after: Value | undefined = undefined,
    /**
     * Each element's cursor (Fauna's unmapped value: covered values then
     * ref), for Take and Drop, or how to compute them when first asked
     * (most pages never are); undefined when the elements are their own.
     */
    public cursors: Value[] | (() => Value[]) | undefined = undefined,
  ) {}
}

/**
 * A lambda value: produced by `Lambda` or `Query`, applied by Map, Filter,
 * Call... `source` is its wire form (for `@query` rendering); `apply` runs it.
 */
export class LambdaValue {
  constructor(
    readonly params: Json,
    readonly source: JsonObject,
    readonly arity: number | 'any',
    readonly apply: (ctx: EvalContext, arg: Value) => Value,
    readonly closed: boolean,
    readonly effect: Effect,
  ) {}
}

export type Effect = 0 | 1 | 2; // pure, read, write
export const PURE: Effect = 0;
export const READ: Effect = 1;
export const WRITE: Effect = 2;

import type { Json, JsonObject } from '../../../shared/fql/json.js';
import type { EvalContext } from '../eval/context.js';

export function isObject(v: Value | undefined): v is FObject {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === EMPTY_PROTOTYPE || proto === null || proto === Object.prototype;
}

export function isInt(v: Value): v is bigint {
  return typeof v === 'bigint';
}

export function isDouble(v: Value): v is number {
  return typeof v === 'number';
}

export function isNumber(v: Value): v is bigint | number {
  return typeof v === 'bigint' || typeof v === 'number';
}
