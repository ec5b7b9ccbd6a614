/**
 * Makes fixtures/format1.db and fixtures/format1.json for migration.test.ts:
 * run with the code of format 1 (commit 04d66de: index keys repeat the
 * document's ref after values that end with it), from a checkout of that
 * commit, as
 * `node --import tsx test/storage/make-format1-fixture.ts <out dir>`.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import { stringifyJson } from '../../shared/fql/json.js';
import { readScenario, writeScenario } from './format1-scenario.js';

const dir = process.argv[2] ?? join(import.meta.dirname, 'fixtures');
mkdirSync(dir, { recursive: true });
const file = join(dir, 'format1.db');
rmSync(file, { force: true });
const engine = Engine.open(file);
const times = writeScenario(engine);
const reads = readScenario(engine, times);
engine.db.pragma('wal_checkpoint(TRUNCATE)');
engine.db.pragma('journal_mode = DELETE');
engine.close();
writeFileSync(join(dir, 'format1.json'), stringifyJson({ times: times.map(String), reads } as never));
