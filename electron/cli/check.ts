/**
 * `stockroom check`: SQLite's integrity check and the index verifier.
 */
import { Engine } from '../engine/engine.js';
import { verifyDatabase } from '../engine/verify.js';

export function checkDatabase(file: string): { ok: boolean; lines: string[] } {
  const engine = Engine.open(file);
  try {
    const report = verifyDatabase(engine);
    const lines = [
      `integrity_check: ${report.integrity.join('; ')}`,
      `indexes: ${report.indexes} checked, ${report.entries} entries, ${report.problems.length} problem(s)`,
      ...report.problems.map((p) => `  ${p}`),
      report.ok ? 'ok' : 'FAILED',
    ];
    return { ok: report.ok, lines };
  } finally {
    engine.close();
  }
}
