/**
 * The FQL Shell: FQL text in, one result per statement out (each statement
 * its own transaction, in order), each result as wire JSON and in FQL's
 * printed form, each error with its code, position and place in the text.
 */
import type { ShellResult } from '../../shared/api/contract.js';
import { stringifyJson } from '../../shared/fql/json.js';
import { printFql } from '../../shared/fql/print.js';
import { toFqlError, type Handlers } from './context.js';

export const shellHandlers: Handlers<'fql.query'> = {
  async 'fql.query'({ text }, ctx) {
    const statements = await ctx.host.runText(text, ctx.origin);
    return statements.map((s): ShellResult => ({
      ok: s.ok,
      text: s.text,
      ...(s.resource !== undefined ? { resource: stringifyJson(s.resource), printed: printFql(s.resource) } : {}),
      ...(s.error !== undefined ? { error: toFqlError(s.error) } : {}),
      ...(s.location !== undefined ? { location: s.location } : {}),
      ts: s.ts === null ? null : s.ts.toString(),
    }));
  },
};
