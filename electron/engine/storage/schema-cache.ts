/**
 * Decoded schema objects, cached across transactions.
 *
 * Every schema write bumps the clock's `schema_gen`; each transaction compares the
 * generation it reads with the cache's and drops the cache when another
 * connection (or process) changed the schema. Derived data (compiled function
 * bodies, index definitions) hangs off the same cache so it is compiled once.
 */
import type { FObject } from '../values/value.js';
import { decodeFields } from './codec.js';
import type { SchemaRow, Store } from './store.js';

export interface SchemaDoc {
  readonly row: SchemaRow;
  readonly fields: FObject;
  /** Derived data keyed by purpose (e.g. 'lambda', 'index'); dropped with the cache. */
  readonly derived: Map<string, unknown>;
}

export class SchemaCache {
  private generation: bigint | string | null = null;
  /** database oid -> kind -> name -> document (null: known not to exist). */
  private readonly byName = new Map<bigint, Map<string, Map<string, SchemaDoc | null>>>();
  private readonly byOid = new Map<bigint, SchemaDoc | null>();
  private readonly lists = new Map<string, unknown>();

  /** Called at the start of each transaction with the file's current generation. */
  sync(generation: bigint | string | null): void {
    if (generation !== this.generation) {
      this.clear();
      this.generation = generation;
    }
  }

  /** The generation the cache holds (null when empty). */
  get currentGeneration(): bigint | string | null {
    return this.generation;
  }

  clear(): void {
    this.byName.clear();
    this.byOid.clear();
    this.lists.clear();
    this.generation = null;
  }

  /** A schema object by name; `source.store` is read only on a miss. */
  get(source: { readonly store: Store }, db: bigint, kind: string, name: string): SchemaDoc | null {
    let inDb = this.byName.get(db);
    if (inDb === undefined) {
      inDb = new Map();
      this.byName.set(db, inDb);
    }
    let ofKind = inDb.get(kind);
    if (ofKind === undefined) {
      ofKind = new Map();
      inDb.set(kind, ofKind);
    }
    let doc = ofKind.get(name);
    if (doc === undefined) {
      const row = source.store.getSchema(db, kind, name);
      doc = row === undefined ? null : this.wrap(row);
      ofKind.set(name, doc);
    }
    return doc;
  }

  getByOid(source: { readonly store: Store }, oid: bigint): SchemaDoc | null {
    let doc = this.byOid.get(oid);
    if (doc === undefined) {
      const row = source.store.getSchemaByOid(oid);
      doc = row === undefined ? null : this.wrap(row);
      this.byOid.set(oid, doc);
    }
    return doc;
  }

  /** A derived list (e.g. the indexes sourcing a collection), computed once per generation. */
  list<T>(key: string, compute: () => T): T {
    if (this.lists.has(key)) return this.lists.get(key) as T;
    const value = compute();
    this.lists.set(key, value);
    return value;
  }

  private wrap(row: SchemaRow): SchemaDoc {
    const existing = this.byOid.get(row.oid);
    if (existing && existing.row.ts === row.ts && existing.row.name === row.name) return existing;
    const doc: SchemaDoc = { row, fields: decodeFields(row.body), derived: new Map() };
    this.byOid.set(row.oid, doc);
    return doc;
  }
}
