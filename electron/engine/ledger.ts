/**
 * Reading the ledger: committed write transactions, newest first, with the
 * documents each created, updated or deleted.
 */
import { newObject, type FObject, type Value } from './values/value.js';
import { decodeValue } from './storage/codec.js';
import type { Store } from './storage/store.js';

export interface LedgerWrite {
  collection: string;
  id: string;
  action: 'create' | 'update' | 'delete';
  before: FObject | null;
  after: FObject | null;
}

export interface LedgerRecord {
  ts: bigint;
  origin: string;
  query: string;
  writes: LedgerWrite[];
}

interface StoredWrite {
  db: string;
  collection: string;
  id: string;
  action: 'create' | 'update' | 'delete';
  before: unknown;
  after: unknown;
}

function decodeFieldsPlain(v: unknown): FObject | null {
  if (v === null || v === undefined) return null;
  const decoded: Value = decodeValue(JSON.stringify(v));
  return decoded !== null && typeof decoded === 'object' && !Array.isArray(decoded) ? (decoded as FObject) : newObject();
}

export function parseLedgerWrites(text: string): LedgerWrite[] {
  const raw = JSON.parse(text) as StoredWrite[];
  return raw.map((w) => ({ collection: w.collection, id: w.id, action: w.action, before: decodeFieldsPlain(w.before), after: decodeFieldsPlain(w.after) }));
}

/** Only the shape of the writes (for the change feed), without decoding documents. */
export function ledgerChanges(text: string): { collection: string; id: string; action: 'create' | 'update' | 'delete' }[] {
  const raw = JSON.parse(text) as StoredWrite[];
  return raw.map((w) => ({ collection: w.collection, id: w.id, action: w.action }));
}

export interface LedgerQuery {
  /** Only entries strictly older than this ts (for paging); null = newest. */
  beforeTs: bigint | null;
  limit: number;
  collection?: string;
  documentId?: string;
}

export function readLedger(store: Store, q: LedgerQuery): LedgerRecord[] {
  const out: LedgerRecord[] = [];
  let before = q.beforeTs;
  const filtered = q.collection !== undefined || q.documentId !== undefined;
  while (out.length < q.limit) {
    const rows = store.ledgerPage(before, filtered ? 256 : q.limit - out.length);
    if (rows.length === 0) break;
    for (const row of rows) {
      before = row.ts;
      if (filtered) {
        const changes = ledgerChanges(row.writes);
        const hit = changes.some((c) => (q.collection === undefined || c.collection === q.collection) && (q.documentId === undefined || c.id === q.documentId));
        if (!hit) continue;
      }
      out.push({ ts: row.ts, origin: row.origin, query: row.query, writes: parseLedgerWrites(row.writes) });
      if (out.length >= q.limit) break;
    }
    if (!filtered) break;
  }
  return out;
}

/** Ledger rows committed after `afterTs`, oldest first (the change feed's source). */
export function ledgerSince(store: Store, afterTs: bigint, limit = 1000): { ts: bigint; origin: string; writes: string }[] {
  return store.db.prepare('SELECT ts, origin, writes FROM ledger WHERE ts > ? ORDER BY ts ASC LIMIT ?').all(afterTs, limit) as { ts: bigint; origin: string; writes: string }[];
}
