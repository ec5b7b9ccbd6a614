/**
 * Test helpers: fresh engines on temporary files, and running FQL text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type QueryResult } from '../../electron/engine/engine.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import type { Json } from '../../shared/fql/json.js';

export interface TempEngine {
  engine: Engine;
  file: string;
  dispose(): void;
}

/** An engine on a new file in a temporary folder (removed by dispose). */
export function tempEngine(): TempEngine {
  const dir = mkdtempSync(join(tmpdir(), 'stockroom-test-'));
  const file = join(dir, 'test.db');
  const engine = Engine.open(file);
  return {
    engine,
    file,
    dispose() {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An engine on an in-memory database: fastest, for cases that need no file. */
export function memoryEngine(): Engine {
  return Engine.open(':memory:');
}

/** Parses FQL text and runs each statement as its own transaction. */
export function runFql(engine: Engine, text: string): QueryResult[] {
  return parseFql(text).map((s) => engine.query(s.expr, { origin: 'test', summary: s.text }));
}

/** Runs FQL text (one statement) and returns its wire result, throwing on an FQL error. */
export function fql(engine: Engine, text: string): Json {
  const results = runFql(engine, text);
  const last = results[results.length - 1];
  if (last === undefined) throw new Error('no statement');
  for (const r of results) if (!r.ok) throw new Error(`${r.error.code}: ${r.error.description} at ${JSON.stringify(r.error.position)}`);
  return (last as { resource: Json }).resource;
}
