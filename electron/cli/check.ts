/**
 * `stockroom check`: SQLite's integrity check and the index verifier, and
 * the index builds under way in the background or stopped.
 */
import { Engine } from '../engine/engine.js';
import { verifyDatabase } from '../engine/verify.js';

/** The most problems listed one by one (the count says how many there are). */
const SHOWN_PROBLEMS = 50;

export function checkDatabase(file: string): { ok: boolean; lines: string[] } {
  const engine = Engine.open(file);
  try {
    const report = verifyDatabase(engine);
    const lines = [
      `integrity_check: ${report.integrity.join('; ')}`,
      `indexes: ${report.indexes} checked, ${report.entries} entries, ${report.problems.length} problem(s)`,
      ...report.problems.slice(0, SHOWN_PROBLEMS).map((p) => `  ${p}`),
      ...(report.problems.length > SHOWN_PROBLEMS ? [`  ... and ${report.problems.length - SHOWN_PROBLEMS} more`] : []),
      ...engine.backgroundBuilds().map((b) =>
        b.failed === null ? `index ${b.index}: building in the background (${b.done} of ${b.total} documents)` : `index ${b.index}: its background build stopped (${b.failed}); the index stays inactive`,
      ),
      report.ok ? 'ok' : 'FAILED',
    ];
    return { ok: report.ok, lines };
  } finally {
    engine.close();
  }
}
