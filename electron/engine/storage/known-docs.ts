/**
 * The documents one transaction has read or written (collection oid -> id ->
 * current version, null when there is none). Most transactions touch one
 * document or a handful: the first is kept in plain fields, and maps are made
 * only for a second, so a point read allocates none.
 */
export class KnownDocs<T> {
  private firstColl: bigint | null = null;
  private firstId = 0n;
  private firstDoc: T | null = null;
  private rest: Map<bigint, Map<bigint, T | null>> | null = null;

  /** The known version, or undefined when this document was not seen. */
  get(coll: bigint, id: bigint): T | null | undefined {
    if (this.firstColl === coll && this.firstId === id) return this.firstDoc;
    return this.rest?.get(coll)?.get(id);
  }

  set(coll: bigint, id: bigint, doc: T | null): void {
    if (this.firstColl === null || (this.firstColl === coll && this.firstId === id)) {
      this.rest?.get(coll)?.delete(id); // it may have been kept there while the first slot was taken
      this.firstColl = coll;
      this.firstId = id;
      this.firstDoc = doc;
      return;
    }
    this.rest ??= new Map();
    let byId = this.rest.get(coll);
    if (byId === undefined) {
      byId = new Map();
      this.rest.set(coll, byId);
    }
    byId.set(id, doc);
  }

  delete(coll: bigint, id: bigint): void {
    if (this.firstColl === coll && this.firstId === id) this.dropFirst();
    else this.rest?.get(coll)?.delete(id);
  }

  /** Forgets every document of a collection. */
  deleteCollection(coll: bigint): void {
    if (this.firstColl === coll) this.dropFirst();
    this.rest?.delete(coll);
  }

  clear(): void {
    this.dropFirst();
    this.rest = null;
  }

  private dropFirst(): void {
    this.firstColl = null;
    this.firstDoc = null;
  }
}
