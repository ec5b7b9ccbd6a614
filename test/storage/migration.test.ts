/**
 * Format 1 -> 2: a file written by the format-1 code (fixtures/format1.db,
 * made by make-format1-fixture.ts at commit 04d66de, where an entry's key
 * repeated the document's ref after values ending with it) opens, is
 * migrated in one transaction, and reads the same documents, history, index
 * results and index reads at past times as the format-1 code read from it
 * (fixtures/format1.json). The verifier checks every migrated key against
 * the entries the documents give today.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { Engine } from '../../electron/engine/engine.js';
import { encodeKey } from '../../electron/engine/storage/keys.js';
import { Ref, collectionRef } from '../../electron/engine/values/value.js';
import { openDatabase } from '../../electron/engine/storage/open.js';
import { SCHEMA_VERSION } from '../../electron/engine/storage/schema-sql.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { parseJson, stringifyJson } from '../../shared/fql/json.js';
import { fql } from '../helpers/engine.js';
import { readScenario } from './format1-scenario.js';

const fixtures = join(import.meta.dirname, 'fixtures');

function withCopy(body: (file: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-migrate-'));
  try {
    const file = join(dir, 'format1.db');
    copyFileSync(join(fixtures, 'format1.db'), file);
    body(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const expected = parseJson(readFileSync(join(fixtures, 'format1.json'), 'utf8')) as { times: string[]; reads: Record<string, unknown> };
const times = expected.times.map((t) => BigInt(t));

function keyLengths(engine: Engine, index: string, table: 'index_entries' | 'index_history'): number[] {
  return (engine.db.prepare(`SELECT length(key) FROM ${table} WHERE idx = (SELECT oid FROM schema_objects WHERE kind = 'indexes' AND name = ?)`).pluck().all(index) as bigint[]).map(Number);
}

test('a format-1 file is migrated and reads what format 1 read', () => {
  withCopy((file) => {
    const engine = Engine.open(file);
    try {
      assert.equal(SCHEMA_VERSION, 2);
      assert.equal(Number(engine.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get()), 2);
      const reads = readScenario(engine, times) as Record<string, unknown>;
      assert.deepEqual(Object.keys(reads).sort(), Object.keys(expected.reads).sort());
      for (const key of Object.keys(expected.reads)) {
        assert.equal(stringifyJson(reads[key] as never), stringifyJson(expected.reads[key] as never), key);
      }
      const report = verifyDatabase(engine);
      assert.ok(report.ok, report.problems.join('\n'));
      assert.equal(report.indexes, 2);
      assert.ok(keyLengths(engine, 'by_color', 'index_entries').length > 0 && keyLengths(engine, 'by_color', 'index_history').length > 0);
      // The migrated file takes writes, seen by Get, Events and the index.
      fql(engine, 'Update(Ref(Collection("c"), "1"), {data: {n: 13}})');
      fql(engine, 'Delete(Ref(Collection("c"), "2"))');
      fql(engine, 'Create(Ref(Collection("c"), "7"), {data: {n: 7, color: "red"}})');
      assert.equal(fql(engine, 'Select(["data", "n"], Get(Ref(Collection("c"), "1")))'), 13n);
      assert.equal(fql(engine, 'Exists(Ref(Collection("c"), "2"))'), false);
      // Red now: 3 (recoloured before the migration) and 7 (created after it); 2 was red and is deleted.
      assert.equal(fql(engine, 'Count(Match(Index("by_color"), "red"))'), 2n);
      const page = fql(engine, 'Paginate(Match(Index("by_color"), "red"), {size: 1})') as { after: unknown };
      assert.ok(page.after !== undefined);
      assert.ok(verifyDatabase(engine).ok);
    } finally {
      engine.close();
    }
    // Opening again finds format 2 and changes nothing.
    const again = Engine.open(file);
    try {
      assert.equal(fql(again, 'Count(Documents(Collection("c")))'), 4n); // 1, 3, 5 and 7
      assert.ok(verifyDatabase(again).ok);
    } finally {
      again.close();
    }
  });
});

test('format 1 keys held the ref twice; format 2 keys hold it once', () => {
  withCopy((file) => {
    const raw = new Database(file, { readonly: true });
    const lengthsOf = (db: Database.Database, table: string): number[] =>
      (db.prepare(`SELECT length(key) FROM ${table} WHERE idx = (SELECT oid FROM schema_objects WHERE kind = 'indexes' AND name = 'by_color') ORDER BY coll, id, length(key)`).pluck().all() as number[]).map(Number);
    const before = { entries: lengthsOf(raw, 'index_entries'), history: lengthsOf(raw, 'index_history') };
    const untouched = (raw.prepare(`SELECT hex(key) FROM index_entries WHERE idx = (SELECT oid FROM schema_objects WHERE kind = 'indexes' AND name = 'by_n') ORDER BY 1`).pluck().all() as string[]);
    raw.close();
    const engine = Engine.open(file);
    try {
      // A ref to a document of "c" encodes in 28 bytes: every key of by_color loses one copy.
      const refBytes = encodeKey([new Ref('1', collectionRef('c'))]).length;
      assert.equal(refBytes, 28);
      assert.deepEqual(lengthsOf(engine.db, 'index_entries'), before.entries.map((n) => n - refBytes));
      assert.deepEqual(lengthsOf(engine.db, 'index_history'), before.history.map((n) => n - refBytes));
      // by_n has no values: its keys (terms, then the ref) are as they were.
      assert.deepEqual(engine.db.prepare(`SELECT hex(key) FROM index_entries WHERE idx = (SELECT oid FROM schema_objects WHERE kind = 'indexes' AND name = 'by_n') ORDER BY 1`).pluck().all(), untouched);
    } finally {
      engine.close();
    }
  });
});

test('a format-1 file opened read-only is refused, not misread', () => {
  withCopy((file) => {
    assert.throws(() => openDatabase(file, { readonly: true }), /older Stockroom format \(1\)/);
  });
});
