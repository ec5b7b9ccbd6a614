/**
 * How results look on a terminal: FQL's printed form, or wire JSON lines.
 */
import { stringifyJson } from '../../shared/fql/json.js';
import { printFql } from '../../shared/fql/print.js';
import type { StatementResult } from '../engine/text-query.js';

export function formatResult(r: StatementResult, format: 'fql' | 'json'): string {
  if (format === 'json') {
    return r.ok ? stringifyJson(r.resource) : stringifyJson({ errors: [r.error] } as never);
  }
  if (r.ok) return printFql(r.resource);
  return formatError(r);
}

export function formatError(r: Extract<StatementResult, { ok: false }>): string {
  const lines = [`Error: ${r.error.code}: ${r.error.description}`];
  if (r.error.position && r.error.position.length > 0) lines.push(`  at position ${JSON.stringify(r.error.position)}`);
  if (r.location) lines.push(`  at line ${r.location.line}, column ${r.location.column}`);
  for (const cause of r.error.cause ?? []) {
    lines.push(`  caused by ${cause.code}: ${cause.description}${cause.position && cause.position.length ? ` at ${JSON.stringify(cause.position)}` : ''}`);
  }
  for (const f of r.error.failures ?? []) lines.push(`  ${f.field.join('.')}: ${f.code}: ${f.description}`);
  return lines.join('\n');
}
