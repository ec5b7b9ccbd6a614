/**
 * The change feed as the screens use it: when something last committed, and
 * which documents changed just now (their rows briefly highlight).
 */
import { create } from 'zustand';
import type { ChangeEvent } from '../../shared/api/contract.js';
import type { ConnectionState } from '../api/connection';

const FLASH_MS = 1600;

interface LiveState {
  connection: ConnectionState;
  /** Date.now() of the last change event (or of startup). */
  lastChangeAt: number;
  /** 'collection/id' -> a counter bumped on each change, present while the highlight lasts. */
  flashes: Record<string, number>;
}

export const useLive = create<LiveState>(() => ({
  connection: 'connecting',
  lastChangeAt: Date.now(),
  flashes: {},
}));

let flashCounter = 0;

export function recordChanges(event: ChangeEvent): void {
  const keys = event.changes.map((c) => `${c.collection}/${c.id}`);
  const stamp = ++flashCounter;
  useLive.setState((s) => {
    const flashes = { ...s.flashes };
    for (const k of keys) flashes[k] = stamp;
    return { lastChangeAt: Date.now(), flashes };
  });
  if (keys.length === 0) return;
  setTimeout(() => {
    useLive.setState((s) => {
      const flashes = { ...s.flashes };
      let changed = false;
      for (const k of keys) {
        if (flashes[k] === stamp) {
          delete flashes[k];
          changed = true;
        }
      }
      return changed ? { flashes } : s;
    });
  }, FLASH_MS);
}

/** True while the document's highlight lasts. */
export function useFlash(collection: string, id: string): boolean {
  return useLive((s) => s.flashes[`${collection}/${id}`] !== undefined);
}
