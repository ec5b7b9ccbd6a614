/**
 * A small least-recently-used cache. Queries arrive as text (the Shell, the
 * CLI, requests to the host and the HTTP endpoint), and an app sends the
 * same few query texts over and over: keeping the parsed form of recent
 * texts lets the engine reuse the compiled form it keeps per expression
 * object (a cache of this kind keyed by the object), as a database keeps
 * prepared statements.
 *
 * Keyed by object identity, it is the engine's answer to a WeakMap that
 * would fill with one entry per query object: V8 keeps the values of such
 * an ephemeron table alive through minor collections, which made the
 * garbage collector a third of a small query's time.
 */
export class RecentCache<K, T> {
  private readonly entries = new Map<K, T>();

  constructor(
    private readonly capacity: number,
    /** Texts longer than this are not kept (large one-off queries, bulk loads). */
    private readonly maxKeyLength = 4096,
  ) {}

  /** True when `key` is kept (any object; a text no longer than the limit). */
  keeps(key: K): boolean {
    return typeof key !== 'string' || key.length <= this.maxKeyLength;
  }

  /** The most recently used key (already last: asking for it again reorders nothing). */
  private newest: K | undefined;

  get(key: K): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined && key !== this.newest) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, value);
      this.newest = key;
    }
    return value;
  }

  set(key: K, value: T): void {
    if (!this.keeps(key)) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    this.newest = key;
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
  }

  /** The cached value for `key`, or `make()`'s, kept for next time. */
  getOrMake(key: K, make: () => T): T {
    let value = this.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
    }
    return value;
  }
}
