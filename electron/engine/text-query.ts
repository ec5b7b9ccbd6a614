/**
 * FQL text in, one result per statement out. Each statement runs as its own
 * transaction, in order. A syntax error fails before anything runs.
 */
import type { Json } from '../../shared/fql/json.js';
import type { Engine, QueryOptions } from './engine.js';
import type { FaunaErrorJson } from './errors.js';
import { FqlSyntaxError, parseFql, type ParsedStatement, type SourceSpan } from './parse/index.js';
import { RecentCache } from './recent-cache.js';

export interface SourceLocation {
  line: number;
  column: number;
}

export type StatementResult =
  | { ok: true; text: string; resource: Json; ts: bigint }
  | { ok: false; text: string; error: FaunaErrorJson; ts: bigint | null; location?: SourceLocation };

export function syntaxErrorJson(err: FqlSyntaxError): FaunaErrorJson {
  return { position: [], code: 'invalid syntax', description: err.message };
}

/** Parses and runs FQL text; the statements run in order, each as its own transaction. */
/** Recently run texts, parsed (so that their expressions, and so their compiled forms, are reused). */
const recentTexts = new RecentCache<string, ParsedStatement[]>(256);

export function runText(engine: Engine, text: string, options: QueryOptions = {}): StatementResult[] {
  let statements;
  try {
    statements = recentTexts.getOrMake(text, () => parseFql(text));
  } catch (err) {
    if (err instanceof FqlSyntaxError) {
      return [{ ok: false, text, error: syntaxErrorJson(err), ts: null, location: { line: err.line, column: err.column } }];
    }
    throw err;
  }
  return statements.map((s) => {
    const r = engine.query(s.expr, { ...options, summary: s.text, once: !recentTexts.keeps(text) });
    if (r.ok) return { ok: true, text: s.text, resource: r.resource, ts: r.ts };
    const error = r.error.toJSON();
    const span = r.error.position ? spanAt(s, r.error.position) : undefined;
    const location = span ? { line: span.start.line, column: span.start.column } : { line: s.start.line, column: s.start.column };
    return { ok: false, text: s.text, error, ts: r.ts, location };
  });
}

/**
 * The source span of a wire position, or of its nearest enclosing one that
 * has a span (a varargs call such as `Union(a, b)` has no source text of its
 * own for the argument array it builds).
 */
function spanAt(statement: ParsedStatement, position: readonly (string | number)[]): SourceSpan | undefined {
  for (let n = position.length; n >= 0; n--) {
    const span = statement.spans.get(JSON.stringify(position.slice(0, n)));
    if (span !== undefined) return span;
  }
  return undefined;
}
