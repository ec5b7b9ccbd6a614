/**
 * The benchmark's report, not its speed: `npm run bench -- --json` prints
 * one object {"<case>": {engine, baseline, ratio, unit}} whose ratio is the
 * engine's cost over the baseline's, and the table names every case.
 * (Speeds are measured by `npm run bench`, never asserted by a test.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { median } from '../../bench/harness.js';

function bench(...args: string[]): string {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--only=get', ...args], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('npm run bench', () => {
  test('--json prints one object of cases, each with the engine, the baseline, their ratio and the unit', () => {
    const out = bench('--json');
    assert.equal(out.trim().split('\n').length, 1, 'one line: one JSON object');
    const report = JSON.parse(out) as Record<string, { engine: number; baseline: number; ratio: number; unit: string }>;
    assert.deepEqual(Object.keys(report).sort(), ['point_get', 'shell_query_parse_eval']);
    for (const [name, c] of Object.entries(report)) {
      assert.ok(c.engine > 0 && c.baseline > 0, `${name}: both sides measured`);
      assert.ok(Math.abs(c.ratio - c.engine / c.baseline) < 1e-9, `${name}: ratio = engine / baseline`);
      assert.match(c.unit, /^µs\//, name);
    }
  });

  test('the table names each case with its ratio', () => {
    const out = bench();
    assert.match(out, /^case +engine +baseline +ratio +unit/m);
    assert.match(out, /^point_get +[\d.]+ +[\d.]+ +[\d.]+x +µs\/get/m);
    assert.match(out, /^shell_query_parse_eval +[\d.]+ +[\d.]+ +[\d.]+x/m);
  });

  test('a side counts its median round', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([900, 1, 2, 3, 1000]), 3);
  });
});
