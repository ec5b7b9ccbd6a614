/**
 * The ledger's record of a transaction's writes: for each document created,
 * updated or deleted, its collection, id and the data before and after.
 */
import type { WriteRecord } from './storage/transaction.js';
import { encodeValue } from './storage/codec.js';

export function ledgerWritesJson(writes: WriteRecord[]): string {
  const parts = writes.map((w) => {
    const before = w.before === null ? 'null' : (w.beforeBody ?? encodeValue(w.before));
    const after = w.after === null ? 'null' : (w.afterBody ?? encodeValue(w.after));
    return `{"db":${JSON.stringify(w.db.toString())},"collection":${JSON.stringify(w.collection)},"id":${JSON.stringify(w.id)},"action":"${w.action}","before":${before},"after":${after}}`;
  });
  return `[${parts.join(',')}]`;
}
