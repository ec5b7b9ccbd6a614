/**
 * The ledger: committed write transactions, newest first, with what ran and
 * the documents each created, changed or deleted. Card numbers in document
 * data are masked.
 */
import type { LedgerEntry, LedgerWrite } from '../../shared/api/contract.js';
import { isJsonObject, parseJson, stringifyJson, type Json } from '../../shared/fql/json.js';
import { maskCards } from './cards.js';
import type { Handlers } from './context.js';
import { asArray, asString, field, microsToIso } from './wire.js';

const DEFAULT_LIMIT = 50;

function actionOf(x: Json | undefined): LedgerWrite['action'] {
  return x === 'create' || x === 'delete' ? x : 'update';
}

/** Top-level data fields whose value differs between two versions. */
export function changedFields(before: Json | undefined, after: Json | undefined): string[] {
  const a = field(before, 'data');
  const b = field(after, 'data');
  const keys = new Set([...(isJsonObject(a) ? Object.keys(a) : []), ...(isJsonObject(b) ? Object.keys(b) : [])]);
  const text = (x: Json | undefined): string | undefined => (x === undefined ? undefined : stringifyJson(x));
  return [...keys].filter((k) => text(field(a, k)) !== text(field(b, k))).sort();
}

export function toLedgerWrite(w: Json): LedgerWrite {
  const before = field(w, 'before');
  const after = field(w, 'after');
  const action = actionOf(field(w, 'action'));
  return {
    collection: asString(field(w, 'collection')),
    id: asString(field(w, 'id')),
    action,
    before: before === undefined || before === null ? null : stringifyJson(maskCards(before)),
    after: after === undefined || after === null ? null : stringifyJson(maskCards(after)),
    changedFields: action === 'update' ? changedFields(before, after) : [],
  };
}

export const ledgerHandlers: Handlers<'ledger.list'> = {
  async 'ledger.list'(args, ctx) {
    const limit = args.limit ?? DEFAULT_LIMIT;
    const rows = await ctx.host.ledger({
      beforeTs: args.before === undefined ? null : BigInt(args.before),
      limit,
      ...(args.collection !== undefined ? { collection: args.collection } : {}),
      ...(args.documentId !== undefined ? { documentId: args.documentId } : {}),
    });
    const entries = rows.map((row): LedgerEntry => ({
      ts: row.ts,
      time: microsToIso(BigInt(row.ts)),
      origin: row.origin,
      query: row.query,
      writes: asArray(parseJson(row.writes)).map(toLedgerWrite),
    }));
    return { entries, next: entries.length === limit ? entries[entries.length - 1]!.ts : null };
  },
};
