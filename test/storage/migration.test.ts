/**
 * Format 1 -> 2 -> 3: a file written by the format-1 code (fixtures/format1.db,
 * made by make-format1-fixture.ts at commit 04d66de, where an entry's key
 * repeated the document's ref after values ending with it) opens, is
 * migrated in one transaction, and reads the same documents, history, index
 * results and index reads at past times as the format-1 code read from it
 * (fixtures/format1.json). Format 3 stopped storing the values an index
 * defines as the document's own ref. The verifier checks every migrated key
 * and stored value against the entries the documents give today.
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
      assert.equal(SCHEMA_VERSION, 3);
      assert.equal(Number(engine.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get()), 3);
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
    // Opening again finds format 3 and changes nothing.
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

test("format 2 values held the document's own ref as a marker; format 3 values leave it out", () => {
  withCopy((file) => {
    const valuesOf = (db: Database.Database, table: string, index: string): string[] =>
      db.prepare(`SELECT vals FROM ${table} WHERE idx = (SELECT oid FROM schema_objects WHERE kind = 'indexes' AND name = ?) ORDER BY coll, id, key`).pluck().all(index) as string[];
    const raw = new Database(file, { readonly: true });
    const before = { entries: valuesOf(raw, 'index_entries', 'by_color'), history: valuesOf(raw, 'index_history', 'by_color'), byN: valuesOf(raw, 'index_entries', 'by_n') };
    raw.close();
    assert.ok(before.entries.length > 0 && before.history.length > 0);
    for (const v of [...before.entries, ...before.history]) assert.match(v, /^\[-?\d+,\{"@me":0\}\]$/);
    const engine = Engine.open(file);
    try {
      // by_color's values are [data.n, ref]: only data.n is stored now.
      assert.deepEqual(valuesOf(engine.db, 'index_entries', 'by_color'), before.entries.map((v) => v.replace(',{"@me":0}', '')));
      assert.deepEqual(valuesOf(engine.db, 'index_history', 'by_color'), before.history.map((v) => v.replace(',{"@me":0}', '')));
      assert.deepEqual(valuesOf(engine.db, 'index_entries', 'by_n'), before.byN);
      // A new entry is written the same way.
      fql(engine, 'Create(Ref(Collection("c"), "8"), {data: {n: -8, color: "blue"}})');
      assert.equal(engine.db.prepare(`SELECT vals FROM index_entries WHERE id = 8 AND idx = (SELECT oid FROM schema_objects WHERE name = 'by_color')`).pluck().get(), '[-8]');
      assert.equal(fql(engine, 'Equals(Select(["data", 0], Paginate(Match(Index("by_color"), "blue"))), [-8, Ref(Collection("c"), "8")])'), true);
      assert.ok(verifyDatabase(engine).ok);
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
