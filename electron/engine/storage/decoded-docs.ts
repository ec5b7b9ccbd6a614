/**
 * The decoded fields of recently read document versions, shared by the
 * transactions of one connection. Decoding a stored JSON body into FQL values
 * costs more than reading it from SQLite; a store reads the same documents
 * (its products, its customers) over and over, so a read whose stored body
 * is the very text decoded before reuses that decoding. The key is the body
 * text itself, compared in full, so an edited version (Insert at an existing
 * time, a rewrite by a migration) can never be served from here.
 *
 * FQL values are immutable; cached fields (and documents rendered from them)
 * are frozen so that a consumer that tried to change one would fail loudly
 * rather than change what later reads see.
 */
import { decodeFields } from './codec.js';
import { isObject, type FObject, type Value } from '../values/value.js';

/** Total body text kept (characters), and the largest body kept. */
const MAX_TOTAL_CHARS = 8_000_000;
const MAX_BODY_CHARS = 64_000;

/** A version as reads share it: its time, decoded fields and stored text. */
export interface DecodedVersion {
  readonly ts: bigint;
  readonly fields: FObject;
  readonly body: string;
  /** The document as Get renders it for one ref object (see renderDocument), made on first use. */
  rendered?: { ref: object; doc: FObject };
}

export class DecodedDocs {
  /** collection oid -> document id -> its last decoded version; oldest insertions first. */
  private readonly byDoc = new Map<bigint, Map<bigint, DecodedVersion>>();
  /** Insertion order, for eviction: [collection, id] pairs. */
  private readonly order: [bigint, bigint][] = [];
  private orderStart = 0;
  private totalChars = 0;

  /** A stored version, decoded at most once while its text stays recent. */
  version(coll: bigint, id: bigint, ts: bigint, body: string): DecodedVersion {
    let inColl = this.byDoc.get(coll);
    const known = inColl?.get(id);
    if (known !== undefined && known.body === body) {
      // The same text at another time (a version restored by Insert) shares the decoding.
      return known.ts === ts ? known : this.keep(coll, id, inColl!, known, { ts, fields: known.fields, body });
    }
    const fields = decodeFields(body);
    if (body.length > MAX_BODY_CHARS) return { ts, fields, body };
    deepFreeze(fields);
    if (inColl === undefined) {
      inColl = new Map();
      this.byDoc.set(coll, inColl);
    }
    return this.keep(coll, id, inColl, known, { ts, fields, body });
  }

  private keep(coll: bigint, id: bigint, inColl: Map<bigint, DecodedVersion>, known: DecodedVersion | undefined, version: DecodedVersion): DecodedVersion {
    if (known !== undefined) this.totalChars -= known.body.length;
    else this.order.push([coll, id]);
    inColl.set(id, version);
    this.totalChars += version.body.length;
    this.evict();
    return version;
  }

  private evict(): void {
    while (this.totalChars > MAX_TOTAL_CHARS && this.orderStart < this.order.length) {
      const [coll, id] = this.order[this.orderStart++]!;
      const inColl = this.byDoc.get(coll);
      const gone = inColl?.get(id);
      if (gone === undefined) continue;
      this.totalChars -= gone.body.length;
      inColl!.delete(id);
      if (inColl!.size === 0) this.byDoc.delete(coll);
    }
    // Compact the order list once its consumed head dominates it.
    if (this.orderStart > 1024 && this.orderStart * 2 > this.order.length) {
      this.order.splice(0, this.orderStart);
      this.orderStart = 0;
    }
  }
}

function deepFreeze(value: Value): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
  } else if (isObject(value)) {
    // Refs, times and the other value classes are immutable already.
    for (const key of Object.keys(value)) deepFreeze((value as FObject)[key]!);
  } else {
    return;
  }
  Object.freeze(value);
}
