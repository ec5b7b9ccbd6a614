/**
 * The pages workload: writers create groups of 4 documents (one transaction
 * per group, see pages-model.ts) while readers paginate the index
 * `pages` (values [v, g, ref]) with page sizes 1, 2, 3, 7, 64 and 1024,
 * forwards (following `after`) and backwards (from `before: null`, following
 * `before`).
 *
 * How the reads are checked. Every page is its own transaction, so a page is
 * a snapshot but a complete read is not: a group committed while a read is
 * under way may land partly in pages already read and partly in pages still
 * to come. So:
 *
 * - per page (the snapshot): the single writer commits groups in order
 *   0, 1, 2, ..., so any snapshot holds exactly groups 0..k-1 for some k.
 *   A page covers a key range: from its starting cursor (inclusive; the
 *   start of the set if none) to the cursor it returns for the next page
 *   (exclusive; the end of the set if none) when reading forward, and from
 *   its own first element (or the start of the set when it has no `before`)
 *   up to the given `before` cursor when reading backward. The page must be
 *   exactly the model's entries in that range restricted to groups below
 *   k0 = the smallest k consistent with what it shows (every group it
 *   contains, the group of its next cursor, and every group the writer had
 *   reported committed before the page was read). A group only partly
 *   visible in the range, a skipped entry, a duplicate, a wrong value or a
 *   wrong order makes it differ. In the single-process run the snapshot is
 *   known exactly, so the whole page (data and both cursors) must equal the
 *   model's page.
 * - per complete read (pages concatenated): strictly increasing in Fauna's
 *   order (so no duplicates), every element a real entry, and every entry of
 *   the groups committed before the read began present (nothing skipped).
 *   Whole groups are only required of reads made while nothing is written.
 *
 * The run ends with quiescent reads that must equal the model exactly, and
 * with verifyDatabase finding no problems. It runs once in one process (writes
 * interleaved between pages) and once with the writer in another OS process
 * on the same file. STOCKROOM_SOAK=1 writes more groups and reads more.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Engine } from '../../electron/engine/engine.js';
import { Ref, type Value } from '../../electron/engine/values/value.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { jsonToWireValue } from '../../electron/engine/wire/decode.js';
import { isJsonObject, type Json } from '../../shared/fql/json.js';
import { tempEngine } from '../helpers/engine.js';
import { COLLECTION, INDEX, compareEntries, groupEntries, groupWrite, rng, type ModelEntry } from './pages-model.js';
import { reference } from './reference.js';

const SOAK = process.env.STOCKROOM_SOAK === '1';
const SIZES = [1, 2, 3, 7, 64, 1024];
const here = dirname(fileURLToPath(import.meta.url));

// --- the model ----------------------------------------------------------------------------------

class Model {
  private readonly groups: ModelEntry[][] = [];
  /** Entries of groups 0..total-1, sorted. */
  readonly sorted: ModelEntry[];
  constructor(
    readonly seed: number,
    readonly total: number,
  ) {
    for (let g = 0; g < total; g++) this.groups.push(groupEntries(seed, g));
    this.sorted = this.groups.flat().sort(compareEntries);
  }
  entry(id: bigint): ModelEntry | undefined {
    const g = Number((id - 1n) / 4n);
    return this.groups[g]?.[Number((id - 1n) % 4n)];
  }
  /** Entries of groups below k, sorted. */
  snapshot(k: number): ModelEntry[] {
    return this.sorted.filter((e) => e.g < BigInt(k));
  }
}

/** Exact equality of values: same type (integer or double) and same value. */
function sameValue(a: Value, b: Value): boolean {
  if ((typeof a === 'bigint') !== (typeof b === 'bigint')) return false;
  if ((typeof a === 'number') !== (typeof b === 'number')) return false;
  return reference(a, b) === 0;
}

function sameEntry(a: ModelEntry, b: ModelEntry): boolean {
  return a.id === b.id && a.g === b.g && sameValue(a.v, b.v);
}

/** JSON text of anything, bigints included. */
function j(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}

function show(e: ModelEntry | undefined): string {
  if (e === undefined) return 'none';
  const v = e.v;
  const text = typeof v === 'bigint' ? `${v}` : typeof v === 'number' ? `${Object.is(v, -0) ? '-0' : v}d` : j(v);
  return `(${text}, g${e.g}, #${e.id})`;
}

// --- reading pages -----------------------------------------------------------------------------------

interface Page {
  data: ModelEntry[];
  /** Cursors as returned (wire), and as entries. */
  beforeJson?: Json;
  afterJson?: Json;
  before?: ModelEntry | 'null';
  after?: ModelEntry | 'null';
}

type Direction = 'forward' | 'backward';

/** An element [v, g, ref] or a cursor [v, g, ref, ref] as the entry it stands for. */
function toEntry(json: Json, model: Model, what: string): ModelEntry {
  const value = jsonToWireValue(json);
  if (!Array.isArray(value)) assert.fail(`${what}: expected an array, got ${j(json)}`);
  const [v, g, ref] = value as Value[];
  if (typeof g !== 'bigint' || !(ref instanceof Ref)) assert.fail(`${what}: malformed ${j(value)}`);
  const id = BigInt(ref.id);
  const known = model.entry(id);
  const entry = { v: v!, g, id };
  if (known === undefined || !sameEntry(known, entry)) assert.fail(`${what}: ${show(entry)} is not the model's ${show(known)}`);
  return known;
}

function cursorEntry(json: Json | undefined, model: Model, what: string): ModelEntry | 'null' | undefined {
  if (json === undefined) return undefined;
  if (Array.isArray(json) && json.length === 1 && json[0] === null) return 'null';
  return toEntry(json, model, what);
}

function readPage(engine: Engine, model: Model, size: number, cursor: { after?: Json; before?: Json }): Page {
  const expr: Json = { paginate: { match: { index: INDEX } }, size: BigInt(size) };
  if (cursor.after !== undefined) expr.after = cursor.after;
  if (cursor.before !== undefined) expr.before = cursor.before;
  const r = engine.query(expr, { origin: 'pages-reader' });
  if (!r.ok) throw new Error(`paginate failed: ${JSON.stringify(r.error.toJSON())}`);
  const page = r.resource;
  assert.ok(isJsonObject(page) && Array.isArray(page.data));
  const out: Page = { data: page.data.map((e, i) => toEntry(e, model, `element ${i}`)) };
  if (page.before !== undefined) {
    out.beforeJson = page.before;
    out.before = cursorEntry(page.before, model, 'before cursor');
  }
  if (page.after !== undefined) {
    out.afterJson = page.after;
    out.after = cursorEntry(page.after, model, 'after cursor');
  }
  return out;
}

/** Where the entries whose first value is null (the last in the order) begin. */
function nullStart(list: ModelEntry[]): number {
  const i = list.findIndex((e) => e.v === null);
  return i < 0 ? list.length : i;
}

/** The model's page of a snapshot for a cursor (undefined: first page; 'null': before null). */
function modelPage(list: ModelEntry[], dir: Direction, size: number, given: ModelEntry | 'null' | undefined): { data: ModelEntry[]; before?: ModelEntry | 'null'; after?: ModelEntry | 'null' } {
  const firstAtOrAfter = (c: ModelEntry): number => {
    const i = list.findIndex((e) => compareEntries(e, c) >= 0);
    return i < 0 ? list.length : i;
  };
  if (dir === 'forward') {
    const start = given === undefined ? 0 : given === 'null' ? list.length : firstAtOrAfter(given);
    const data = list.slice(start, start + size);
    const next = list[start + size];
    return { data, ...(given !== undefined ? { before: given } : {}), ...(next !== undefined ? { after: next } : {}) };
  }
  // `before: null` is a prefix cursor: exclusive of every entry whose first value is null.
  const end = given === undefined ? list.length : given === 'null' ? nullStart(list) : firstAtOrAfter(given);
  const start = Math.max(0, end - size);
  const data = list.slice(start, end);
  return { data, ...(start > 0 ? { before: data[0]! } : {}), ...(given !== undefined ? { after: given } : {}) };
}

function sameCursor(a: ModelEntry | 'null' | undefined, b: ModelEntry | 'null' | undefined): boolean {
  if (a === undefined || b === undefined || a === 'null' || b === 'null') return a === b;
  return sameEntry(a, b);
}

function assertSamePage(got: Page, want: ReturnType<typeof modelPage>, where: string): void {
  const ok = got.data.length === want.data.length && got.data.every((e, i) => sameEntry(e, want.data[i]!)) && sameCursor(got.before, want.before) && sameCursor(got.after, want.after);
  if (!ok) {
    assert.fail(
      `${where}: page differs from the model\n got  ${got.data.map(show).join(' ')} before=${show(got.before as ModelEntry)} after=${show(got.after as ModelEntry)}\n want ${want.data.map(show).join(' ')} before=${show(want.before as ModelEntry)} after=${show(want.after as ModelEntry)}`,
    );
  }
}

/**
 * The per-page snapshot check when the snapshot is only known to hold groups
 * 0..k-1 for some k >= kMin (see the file comment).
 */
function checkPageBounded(model: Model, page: Page, dir: Direction, size: number, given: ModelEntry | 'null' | undefined, kMin: number, where: string): void {
  let lo: ModelEntry | null = null;
  let hi: ModelEntry | null = null;
  let loEmpty = false;
  let nullEnd = false;
  if (dir === 'forward') {
    if (given === 'null') loEmpty = true;
    else if (given !== undefined) lo = given;
    if (page.after !== undefined) {
      assert.equal(page.data.length, size, `${where}: a page with a next cursor must be full`);
      assert.ok(page.after !== 'null', `${where}: the next cursor is an entry`);
      hi = page.after;
    }
  } else {
    if (given !== undefined && given !== 'null') hi = given;
    if (given === 'null') nullEnd = true;
    if (page.before !== undefined) {
      assert.equal(page.data.length, size, `${where}: a page with a before cursor must be full`);
      assert.ok(page.before !== 'null' && sameEntry(page.before, page.data[0]!), `${where}: before is the first element`);
      lo = page.before;
    }
  }
  const range = loEmpty ? [] : model.sorted.filter((e) => (lo === null || compareEntries(e, lo) >= 0) && (hi === null || compareEntries(e, hi) < 0) && !(nullEnd && e.v === null));
  let k = kMin;
  for (const e of page.data) k = Math.max(k, Number(e.g) + 1);
  if (dir === 'forward' && page.after !== undefined && page.after !== 'null') k = Math.max(k, Number(page.after.g) + 1);
  const want = range.filter((e) => e.g < BigInt(k));
  const ok = want.length === page.data.length && want.every((e, i) => sameEntry(e, page.data[i]!));
  if (!ok) {
    assert.fail(`${where}: page is not a snapshot of groups 0..${k - 1} over its range\n got  ${page.data.map(show).join(' ')}\n want ${want.map(show).join(' ')}`);
  }
}

/** A complete read in one direction, page by page; `between` runs after each page (writes, or yielding to the event loop). */
async function completeRead(
  engine: Engine,
  model: Model,
  dir: Direction,
  size: number,
  committed: () => number,
  exact: boolean,
  between: () => Promise<void> | void,
): Promise<ModelEntry[]> {
  const startCommitted = committed();
  const pages: ModelEntry[][] = [];
  let given: Json | undefined = dir === 'backward' ? [null] : undefined;
  for (let n = 0; ; n++) {
    const kMin = committed();
    const cursor = dir === 'forward' ? (given === undefined ? {} : { after: given }) : { before: given! };
    const page = readPage(engine, model, size, cursor);
    const where = `${dir} size ${size} page ${n}`;
    const givenEntry = given === undefined ? undefined : cursorEntry(given, model, 'given cursor');
    // The given cursor is echoed on the other side.
    if (given !== undefined) assert.ok(sameCursor(dir === 'forward' ? page.before : page.after, givenEntry), `${where}: cursor not echoed`);
    if (exact) assertSamePage(page, modelPage(model.snapshot(kMin), dir, size, givenEntry), where);
    else checkPageBounded(model, page, dir, size, givenEntry, kMin, where);
    if (dir === 'forward') pages.push(page.data);
    else pages.unshift(page.data);
    const next = dir === 'forward' ? page.afterJson : page.beforeJson;
    await between();
    if (next === undefined) break;
    given = next;
  }
  const all = pages.flat();
  for (let i = 1; i < all.length; i++) {
    assert.ok(compareEntries(all[i - 1]!, all[i]!) < 0, `${dir} size ${size}: ${show(all[i - 1])} then ${show(all[i])} is out of order or repeated`);
  }
  const seen = new Set(all.map((e) => e.id));
  for (const e of readable(model.snapshot(startCommitted), dir)) assert.ok(seen.has(e.id), `${dir} size ${size}: ${show(e)} (committed before the read) was skipped`);
  return all;
}

/**
 * What a complete read can see: everything forward; backward from
 * `before: null`, everything but the entries whose first value is null (as in
 * FaunaDB, that cursor is a prefix and before is exclusive).
 */
function readable(list: ModelEntry[], dir: Direction): ModelEntry[] {
  return dir === 'forward' ? list : list.filter((e) => e.v !== null);
}

/** Reads that must equal the model exactly: nothing is being written. */
async function quiescentReads(engine: Engine, model: Model, committed: number): Promise<void> {
  for (const size of SIZES) {
    for (const dir of ['forward', 'backward'] as const) {
      const want = readable(model.snapshot(committed), dir);
      const got = await completeRead(engine, model, dir, size, () => committed, true, () => {});
      assert.equal(got.length, want.length, `${dir} size ${size}: count`);
      got.forEach((e, i) => assert.ok(sameEntry(e, want[i]!), `${dir} size ${size} at ${i}: ${show(e)} vs ${show(want[i])}`));
      // Whole groups: every group appears with all of its documents.
      const perGroup = new Map<bigint, number>();
      for (const e of got) perGroup.set(e.g, (perGroup.get(e.g) ?? 0) + 1);
      const wantPerGroup = new Map<bigint, number>();
      for (const e of want) wantPerGroup.set(e.g, (wantPerGroup.get(e.g) ?? 0) + 1);
      for (const [g, n] of perGroup) assert.equal(n, wantPerGroup.get(g), `group ${g} has ${n} documents`);
      if (dir === 'forward') for (const n of perGroup.values()) assert.equal(n, 4, 'a forward read holds whole groups');
    }
  }
}

function setup(engine: Engine): void {
  const exprs: Json[] = [
    { create_collection: { object: { name: COLLECTION } } },
    { create_index: { object: { name: INDEX, source: { collection: COLLECTION }, values: [{ object: { field: ['data', 'v'] } }, { object: { field: ['data', 'g'] } }, { object: { field: ['ref'] } }] } } },
  ];
  for (const e of exprs) {
    const r = engine.query(e);
    if (!r.ok) throw new Error(JSON.stringify(r.error.toJSON()));
  }
}

function assertVerified(engine: Engine): void {
  const report = verifyDatabase(engine);
  assert.deepEqual(report.problems, []);
  assert.ok(report.ok, JSON.stringify(report.integrity));
}

// --- the runs ------------------------------------------------------------------------------------------

describe('pages workload', () => {
  test('single process: writes interleaved between pages', async () => {
    const seed = 0x5eed + (SOAK ? Date.now() % 1000 : 0);
    const total = SOAK ? 400 : 60;
    const model = new Model(seed, total);
    const t = tempEngine();
    try {
      setup(t.engine);
      let committed = 0;
      const coin = rng(seed);
      const write = (): void => {
        if (committed >= total) return;
        const r = t.engine.query(groupWrite(seed, committed));
        if (!r.ok) throw new Error(JSON.stringify(r.error.toJSON()));
        committed++;
      };
      // A few groups first, then reads with a write after about every other page.
      for (let i = 0; i < 5; i++) write();
      while (committed < total) {
        for (const size of SIZES) {
          for (const dir of ['forward', 'backward'] as const) {
            await completeRead(t.engine, model, dir, size, () => committed, true, () => {
              if (coin() < (size === 1 ? 0.2 : 0.6)) write();
            });
          }
        }
      }
      await quiescentReads(t.engine, model, committed);
      assertVerified(t.engine);
    } finally {
      t.dispose();
    }
  });

  test('writer in another OS process on the same file', async () => {
    const seed = 0xbeef + (SOAK ? Date.now() % 1000 : 0);
    const total = SOAK ? 1500 : 150;
    const model = new Model(seed, total);
    const t = tempEngine();
    try {
      setup(t.engine);
      const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'pages-writer.ts'), t.file, String(seed), '0', String(total), SOAK ? '2' : '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let committed = 0;
      let done = false;
      let stderr = '';
      let started: () => void = () => {};
      const firstCommit = new Promise<void>((resolve) => (started = resolve));
      const errors: string[] = [];
      child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /^committed (\d+)$/.exec(line);
        if (m) {
          assert.equal(Number(m[1]), committed, 'groups commit in order');
          committed = Number(m[1]) + 1;
          started();
        } else if (line === 'done') done = true;
        else errors.push(line);
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      // Read while the writer is writing: from its first commit on.
      await Promise.race([firstCommit, exited]);
      // Yield between pages so that the writer's progress lines are seen.
      const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
      let reads = 0;
      while (!done || reads === 0) {
        for (const size of SIZES) {
          for (const dir of ['forward', 'backward'] as const) {
            await completeRead(t.engine, model, dir, size, () => committed, false, yieldToLoop);
            reads++;
          }
        }
        if (errors.length > 0) break;
      }
      const code = await exited;
      assert.deepEqual(errors, [], stderr);
      assert.equal(code, 0, stderr);
      assert.equal(committed, total);
      assert.ok(reads >= SIZES.length * 2);
      await quiescentReads(t.engine, model, total);
      assertVerified(t.engine);
    } finally {
      t.dispose();
    }
  });
});
