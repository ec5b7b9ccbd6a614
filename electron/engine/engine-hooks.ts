/**
 * Hooks the evaluator installs into the engine without an import cycle.
 */
import type { IndexMaintainer } from './storage/transaction.js';

let maintainerFactory: (() => IndexMaintainer) | null = null;

/** Installed by the index module so that storage keeps index entries current. */
export function installIndexMaintainer(factory: () => IndexMaintainer): void {
  maintainerFactory = factory;
}

export function createIndexMaintainer(): IndexMaintainer | null {
  return maintainerFactory?.() ?? null;
}
