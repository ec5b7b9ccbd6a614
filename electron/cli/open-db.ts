/**
 * Opening the database a command names, creating the default one (with the
 * sample store) on first use.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Engine } from '../engine/engine.js';
import { hasSampleStore, provisionSampleStore } from '../sample/sample-store.js';
import { defaultDatabasePath } from './paths.js';

export function openForCli(db: string | undefined): Engine {
  const file = db ?? defaultDatabasePath();
  const isNew = !existsSync(file);
  if (isNew) mkdirSync(dirname(file), { recursive: true });
  const engine = Engine.open(file);
  if (db === undefined && !hasSampleStore(engine)) {
    const r = provisionSampleStore(engine, 'cli');
    if (!r.ok) process.stderr.write(`Could not provision the sample store: ${r.error.description}\n`);
  }
  return engine;
}
