/**
 * A small least-recently-used cache keyed by text. Queries arrive as text
 * (the Shell, the CLI, requests to the host and the HTTP endpoint), and an
 * app sends the same few query texts over and over: keeping the parsed form
 * of recent texts lets the engine reuse the compiled form it keeps per
 * expression object, as a database keeps prepared statements.
 */
export class RecentCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly capacity: number,
    /** Texts longer than this are not kept (large one-off queries, bulk loads). */
    private readonly maxKeyLength = 4096,
  ) {}

  /** True when `key` is short enough to be kept. */
  keeps(key: string): boolean {
    return key.length <= this.maxKeyLength;
  }

  get(key: string): T | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    if (!this.keeps(key)) return;
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
  }

  /** The cached value for `key`, or `make()`'s, kept for next time. */
  getOrMake(key: string, make: () => T): T {
    let value = this.get(key);
    if (value === undefined) {
      value = make();
      this.set(key, value);
    }
    return value;
  }
}
