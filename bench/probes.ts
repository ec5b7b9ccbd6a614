/**
 * `npm run bench:probes`: the measurements behind docs/performance.md's
 * account of the write path, on this machine.
 *
 * - commit cost: a transaction updating k rows on k distinct 4 KiB pages,
 *   WAL + synchronous=FULL, for several k (what one more dirty page costs);
 * - WAL pages per submit_order transaction, by table (frames appended to the
 *   -wal file, mapped to tables with SQLite's dbstat);
 * - submit_order's time with synchronous=FULL and OFF (the second is the
 *   CPU, plus writing the WAL without syncing it), engine and baseline, each
 *   split into the time in COMMIT and everything else;
 * - what a commit's WAL writes cost by how they are issued (two calls per
 *   frame, as SQLite writes them, or one call for all);
 * - the floor for an engine that keeps what ours keeps: the baseline's
 *   hand-written transaction plus history rows appended by time, a ledger
 *   row and a clock row, against the baseline alone (time and WAL pages);
 * - the floor for building an index over 1 M documents (build-floor.ts).
 *
 * `--only=write` skips the index build (the slow part), `--only=build` runs
 * it alone, `--quick` builds over 100 k documents.
 */
import Database from 'better-sqlite3';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { baselineDb, removeDir, tempDir, timePerOp } from './harness.js';
import { buildFloor } from './build-floor.js';
import { baselineStore, baselineSubmit, benchStore, ORDER_LINES, submitOrderExpr } from './cases/submit-order.js';

function commitCost(dir: string): string[] {
  const db = baselineDb(join(dir, 'commit-cost.db'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
  const rows = 20_000;
  const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
  // One row per page: a 3000-byte body leaves no room for a second row.
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(i, Buffer.alloc(3000));
  })();
  const update = db.prepare('UPDATE t SET body = ? WHERE id = ?');
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const out: string[] = [];
  for (const pages of [1, 2, 4, 8, 16, 21, 32]) {
    const us = timePerOp(300, (n) => {
      begin.run();
      for (let j = 0; j < pages; j++) update.run(Buffer.alloc(3000, n & 0xff), (n * 37 + j * 997) % rows);
      commit.run();
    });
    out.push(`  ${String(pages).padStart(2)} pages: ${us.toFixed(0)} µs per transaction`);
  }
  db.close();
  return out;
}

function walPages(dir: string): string[] {
  const file = join(dir, 'wal-pages.db');
  const engine = benchStore(file);
  const expr = submitOrderExpr();
  for (let i = 0; i < 500; i++) engine.query(expr);
  engine.db.pragma('wal_checkpoint(TRUNCATE)');
  engine.db.pragma('wal_autocheckpoint = 0');
  const n = 50;
  for (let i = 0; i < n; i++) engine.query(expr);
  const wal = readFileSync(`${file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const frames: number[] = [];
  for (let off = 32; off + 24 + pageSize <= wal.length; off += 24 + pageSize) frames.push(wal.readUInt32BE(off));
  const db = new Database(file, { readonly: true });
  const tableOf = new Map((db.prepare('SELECT pageno, name, pagetype FROM dbstat').raw().all() as [number, string, string][]).map(([p, name, type]) => [p, `${name} (${type})`]));
  db.close();
  engine.close();
  const counts = new Map<string, number>();
  for (const p of frames) {
    const k = tableOf.get(p) ?? 'pages added since';
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [
    `  ${(frames.length / n).toFixed(1)} pages per transaction:`,
    ...[...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${(v / n).toFixed(2).padStart(6)}  ${k}`),
  ];
}

/** µs per call of `run` over n calls, and of those the µs spent in COMMIT (`commitTime` accumulates it). */
function splitTime(n: number, run: () => void, commitTime: { ns: bigint }): { us: number; inCommit: number } {
  for (let i = 0; i < 200; i++) run();
  commitTime.ns = 0n;
  const us = timePerOp(n, run, 0);
  return { us, inCommit: Number(commitTime.ns) / 1000 / n };
}

function syncCost(dir: string): string[] {
  const out: string[] = [];
  const rows: Record<string, { us: number; inCommit: number }> = {};
  for (const mode of ['FULL', 'OFF']) {
    const engine = benchStore(join(dir, `sync-${mode}.db`));
    engine.db.pragma(`synchronous = ${mode}`);
    // Time spent in COMMIT (writing the WAL, and syncing it), apart from everything else.
    const store = engine.store;
    const commit = store.commit.bind(store);
    const engineCommit = { ns: 0n };
    store.commit = () => {
      const t = process.hrtime.bigint();
      commit();
      engineCommit.ns += process.hrtime.bigint() - t;
    };
    const expr = submitOrderExpr();
    const e = splitTime(2000, () => {
      const r = engine.query(expr);
      if (!r.ok) throw new Error(r.error.description);
    }, engineCommit);
    engine.close();
    const db = baselineStore(join(dir, `sync-baseline-${mode}.db`));
    db.pragma(`synchronous = ${mode}`);
    const baselineCommit = { ns: 0n };
    const submit = baselineSubmit(db, baselineCommit);
    const b = splitTime(2000, () => submit(0), baselineCommit);
    db.close();
    rows[mode] = e;
    for (const [who, t] of [['engine  ', e], ['baseline', b]] as const) {
      out.push(`  ${who} synchronous=${mode.padEnd(4)}: ${t.us.toFixed(0).padStart(4)} µs per order = ${t.inCommit.toFixed(0).padStart(3)} in COMMIT + ${(t.us - t.inCommit).toFixed(0).padStart(3)} everything else`);
    }
    if (mode === 'FULL') out.push(`  the engine's COMMIT alone is ${(e.inCommit / b.us).toFixed(2)}x the baseline's whole order`);
  }
  const full = rows.FULL!;
  const off = rows.OFF!;
  out.push(`  the engine's work outside COMMIT takes ${((full.us - full.inCommit) / (off.us - off.inCommit)).toFixed(1)}x longer when every commit syncs`);
  return out;
}

/**
 * What one commit's WAL writes cost by how they are issued: SQLite writes
 * each frame with two calls (its 24-byte header, then the page); the same
 * bytes in one call, each followed by a sync, for the frame counts of a
 * baseline order and an engine order.
 */
function walWritePattern(dir: string): string[] {
  const fd = openSync(join(dir, 'write-pattern.bin'), 'w+');
  const frameSize = 24 + 4096;
  const frames = 1000;
  writeSync(fd, Buffer.alloc(frameSize * frames));
  fsyncSync(fd);
  const header = Buffer.alloc(24, 1);
  const page = Buffer.alloc(4096, 2);
  const all = Buffer.alloc(frameSize * 32, 3);
  const out: string[] = [];
  for (const count of [1, 11, 21]) {
    let offset = 0;
    // Each commit's frames follow the last one's, wrapping round before they would pass the end.
    const next = (): number => {
      const at = offset;
      offset += count * frameSize;
      if (offset + count * frameSize > frameSize * frames) offset = 0;
      return at;
    };
    const split = timePerOp(1000, () => {
      const at = next();
      for (let f = 0; f < count; f++) {
        writeSync(fd, header, 0, 24, at + f * frameSize);
        writeSync(fd, page, 0, 4096, at + f * frameSize + 24);
      }
      fsyncSync(fd);
    });
    const whole = timePerOp(1000, () => {
      writeSync(fd, all, 0, count * frameSize, next());
      fsyncSync(fd);
    });
    out.push(`  ${String(count).padStart(2)} frames + sync: ${split.toFixed(0).padStart(4)} µs written two calls per frame, ${whole.toFixed(0).padStart(4)} µs in one call`);
  }
  closeSync(fd);
  return out;
}

/** WAL frames per call of `run`, averaged over n calls, on a connection to `file`. */
function walFramesPerCall(db: Database.Database, file: string, n: number, run: (i: number) => void): number {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  for (let i = 0; i < n; i++) run(i);
  const wal = readFileSync(`${file}-wal`);
  const pageSize = wal.readUInt32BE(8);
  const frames = Math.floor((wal.length - 32) / (24 + pageSize));
  db.pragma('wal_autocheckpoint = 1000');
  return frames / n;
}

/**
 * The baseline's transaction, plus what a document engine with history and a
 * ledger must also write: each new version appended to a history table keyed
 * by time, one ledger row naming the writes, the clock row.
 */
function keepingSubmit(db: Database.Database): () => void {
  db.exec(`CREATE TABLE history (ts INTEGER NOT NULL, coll TEXT NOT NULL, id TEXT NOT NULL, body TEXT, PRIMARY KEY (ts, coll, id)) WITHOUT ROWID;
    CREATE TABLE ledger (ts INTEGER PRIMARY KEY, query TEXT NOT NULL, writes TEXT NOT NULL);
    CREATE TABLE clock (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL); INSERT INTO clock VALUES (1, 0);`);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const get = db.prepare('SELECT body FROM docs WHERE coll = ? AND id = ?').pluck();
  const put = db.prepare('INSERT INTO docs (coll, id, body) VALUES (?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET body = excluded.body');
  const history = db.prepare('INSERT INTO history VALUES (?, ?, ?, ?)');
  const ledger = db.prepare('INSERT INTO ledger VALUES (?, ?, ?)');
  const clock = db.prepare('UPDATE clock SET ts = ? WHERE id = 1');
  let next = 0;
  let ts = 0;
  return () => {
    begin.run();
    ts++;
    const customer = JSON.parse(get.get('customers', '101') as string) as { address: unknown; creditCard: unknown };
    const writes: string[][] = [];
    const line = ORDER_LINES.map((id) => {
      const doc = JSON.parse(get.get('products', id) as string) as { quantity: number; price: number; backorderLimit: number; backordered: boolean };
      if (doc.quantity < 1) throw new Error('out of stock');
      doc.quantity -= 1;
      doc.backordered = doc.backordered || doc.quantity <= doc.backorderLimit;
      const body = JSON.stringify(doc);
      put.run('products', id, body);
      history.run(ts, 'products', id, body);
      writes.push(['products', id, 'update']);
      return { product: id, quantity: 1, price: doc.price };
    });
    const id = String(++next);
    const body = JSON.stringify({ customer: '101', line, status: 'processing', creationDate: new Date().toISOString(), shipAddress: customer.address, creditCard: customer.creditCard });
    put.run('orders', id, body);
    history.run(ts, 'orders', id, body);
    writes.push(['orders', id, 'create']);
    ledger.run(ts, 'Call(Function("submit_order"), "101", [...])', JSON.stringify(writes));
    clock.run(ts);
    commit.run();
  };
}

function floorCost(dir: string): string[] {
  const plainFile = join(dir, 'floor-baseline.db');
  const keepingFile = join(dir, 'floor-keeping.db');
  const plain = baselineStore(plainFile);
  const keeping = baselineStore(keepingFile);
  const runPlain = baselineSubmit(plain);
  const runKeeping = keepingSubmit(keeping);
  let a = 0;
  let b = 0;
  for (let round = 0; round < 5; round++) {
    a += timePerOp(400, runPlain, round === 0 ? 50 : 0);
    b += timePerOp(400, runKeeping, round === 0 ? 50 : 0);
  }
  const pagesPlain = walFramesPerCall(plain, plainFile, 50, runPlain);
  const pagesKeeping = walFramesPerCall(keeping, keepingFile, 50, runKeeping);
  plain.close();
  keeping.close();
  return [
    `  baseline:                                   ${(a / 5).toFixed(0)} µs per order, ${pagesPlain.toFixed(1)} WAL pages`,
    `  baseline + history by time, ledger, clock:  ${(b / 5).toFixed(0)} µs per order, ${pagesKeeping.toFixed(1)} WAL pages (${(b / a).toFixed(2)}x)`,
  ];
}

const quick = process.argv.includes('--quick');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const dir = tempDir();
try {
  const section = (title: string, lines: () => string[]): void => {
    process.stdout.write([title, ...lines(), ''].join('\n') + '\n');
  };
  if (only !== 'build') {
    section('commit cost by pages written (WAL, synchronous=FULL):', () => commitCost(dir));
    section('WAL pages of one submit_order transaction:', () => walPages(dir));
    section('submit_order with and without syncing:', () => syncCost(dir));
    section("a commit's WAL writes by how they are issued:", () => walWritePattern(dir));
    section('the floor for what the engine keeps, in hand-written SQL:', () => floorCost(dir));
  }
  if (only !== 'write') section(`the floor for building an index over ${quick ? '100 k' : '1 M'} documents:`, () => buildFloor(dir, quick));
} finally {
  removeDir(dir);
}
