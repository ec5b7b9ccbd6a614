/**
 * `npm run bench:probes`: the measurements behind docs/performance.md's
 * account of the write path, on this machine.
 *
 * - commit cost: a transaction updating k rows on k distinct 4 KiB pages,
 *   WAL + synchronous=FULL, for several k (what one more dirty page costs);
 * - WAL pages per submit_order transaction, by table (frames appended to the
 *   -wal file, mapped to tables with SQLite's dbstat);
 * - submit_order's time with synchronous=FULL and OFF (the second is the
 *   CPU, plus writing the WAL without syncing it).
 */
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baselineDb, removeDir, tempDir, timePerOp } from './harness.js';
import { benchStore, submitOrderExpr } from './cases/submit-order.js';

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

function syncCost(dir: string): string[] {
  const out: string[] = [];
  for (const mode of ['FULL', 'OFF']) {
    const engine = benchStore(join(dir, `sync-${mode}.db`));
    engine.db.pragma(`synchronous = ${mode}`);
    const expr = submitOrderExpr();
    const us = timePerOp(2000, () => {
      const r = engine.query(expr);
      if (!r.ok) throw new Error(r.error.description);
    });
    engine.close();
    out.push(`  synchronous=${mode}: ${us.toFixed(0)} µs per order`);
  }
  return out;
}

const dir = tempDir();
try {
  process.stdout.write(['commit cost by pages written (WAL, synchronous=FULL):', ...commitCost(dir), ''].join('\n') + '\n');
  process.stdout.write(['WAL pages of one submit_order transaction:', ...walPages(dir), ''].join('\n') + '\n');
  process.stdout.write(['submit_order with and without syncing:', ...syncCost(dir), ''].join('\n') + '\n');
} finally {
  removeDir(dir);
}
