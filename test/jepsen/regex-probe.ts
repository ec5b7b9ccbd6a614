/**
 * Runs one ContainsStrRegex in its own Engine with a 200 ms query budget and
 * prints the outcome as JSON (a separate process, so that a regex which never
 * ends can be killed by the test).
 *
 * Usage: regex-probe.ts SUBJECT PATTERN
 */
import { Engine } from '../../electron/engine/engine.js';

const [subject, pattern] = process.argv.slice(2);
const engine = Engine.open(':memory:');
const started = Date.now();
const r = engine.query({ containsstrregex: subject!, pattern: pattern! }, { limits: { timeoutMs: 200 } });
process.stdout.write(`${JSON.stringify({ ms: Date.now() - started, ...(r.ok ? { ok: true, resource: r.resource } : { ok: false, error: r.error.toJSON() }) })}\n`);
