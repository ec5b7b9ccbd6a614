/**
 * Conformance: FQL behaviour as data. Every file in cases/ is a JSON array of
 * cases; each case runs on a fresh database:
 *   { "name": "...",
 *     "setup": ["FQL statements run first, each its own transaction"],
 *     "fql": "FQL text of the query"      (or "wire": <wire-format JSON expression>),
 *     "result": <expected wire-format JSON>   (integers vs doubles compared exactly)
 *     or "print": "expected result printed in FQL form"
 *     or "error": { "code": "...", "description": "..." (optional), "position": [...] (optional) } }
 * Files are read with the lossless JSON reader, so 4 and 4.0 differ.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseFql } from '../../electron/engine/parse/index.js';
import { isJsonObject, parseJson, stringifyJson, type Json } from '../../shared/fql/json.js';
import { printFql } from '../../shared/fql/print.js';
import { memoryEngine, runFql } from '../helpers/engine.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'cases');

interface Case {
  name: string;
  setup?: string[];
  fql?: string;
  wire?: Json;
  result?: Json;
  print?: string;
  error?: { code: string; description?: string; position?: (string | number)[] };
}

function asCase(json: Json, file: string, i: number): Case {
  if (!isJsonObject(json) || typeof json.name !== 'string') throw new Error(`${file} case ${i}: needs a name`);
  return json as unknown as Case;
}

/** Deep equality where bigint and number never match each other. */
function same(a: Json, b: Json): boolean {
  if (typeof a !== typeof b) return false;
  if (a === null || b === null || typeof a !== 'object') return a === b || (typeof a === 'number' && Number.isNaN(a) && Number.isNaN(b as number));
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]!));
  if (Array.isArray(b) || !isJsonObject(b)) return false;
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && same(a[k]!, b[k]!));
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const cases = parseJson(readFileSync(join(dir, file), 'utf8'));
  if (!Array.isArray(cases)) throw new Error(`${file}: expected an array of cases`);
  describe(file.replace(/\.json$/, ''), () => {
    cases.forEach((raw, i) => {
      const c = asCase(raw, file, i);
      test(c.name, () => {
        const engine = memoryEngine();
        try {
          for (const s of c.setup ?? []) {
            for (const r of runFql(engine, s)) assert.ok(r.ok, `setup failed: ${s}: ${r.ok ? '' : JSON.stringify(r.error.toJSON())}`);
          }
          const expr = c.wire !== undefined ? c.wire : parseSingle(c.fql);
          const r = engine.query(expr);
          if (c.error) {
            assert.ok(!r.ok, `expected error ${c.error.code}, got ${r.ok ? stringifyJson(r.resource) : ''}`);
            assert.equal(r.error.code, c.error.code, `code (description: ${r.error.description})`);
            if (c.error.description !== undefined) assert.equal(r.error.description, c.error.description);
            if (c.error.position !== undefined) assert.deepEqual(r.error.position, c.error.position.map((p) => (typeof p === 'string' ? p : Number(p))));
            return;
          }
          assert.ok(r.ok, `unexpected error: ${r.ok ? '' : JSON.stringify(r.error.toJSON())}`);
          if (c.print !== undefined) assert.equal(printFql(r.resource), c.print);
          if (c.result !== undefined) assert.ok(same(r.resource, c.result), `got ${stringifyJson(r.resource)}\nwant ${stringifyJson(c.result)}`);
          if (c.result === undefined && c.print === undefined) throw new Error('case has no expectation');
        } finally {
          engine.close();
        }
      });
    });
  });
}

function parseSingle(text: string | undefined): Json {
  if (text === undefined) throw new Error('case needs fql or wire');
  const statements = parseFql(text);
  if (statements.length !== 1) throw new Error(`expected one statement, got ${statements.length}`);
  return statements[0]!.expr;
}
