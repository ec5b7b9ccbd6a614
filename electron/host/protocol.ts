/**
 * Messages between the engine host (any thread that owns windows or
 * clients) and the engine worker (the thread that owns the database).
 * FQL values travel as wire-format JSON text so integers and doubles survive.
 */
import type { FaunaErrorJson } from '../engine/errors.js';

export type WorkerRequest =
  | { id: number; type: 'query'; expr: string; origin: string; summary?: string; timeoutMs?: number }
  | { id: number; type: 'text'; text: string; origin: string; timeoutMs?: number }
  | { id: number; type: 'ledger'; beforeTs: string | null; limit: number; collection?: string; documentId?: string }
  | { id: number; type: 'check' }
  | { id: number; type: 'provision-sample' };

export interface StatementOutcome {
  ok: boolean;
  text: string;
  /** Wire JSON text of the result (when ok). */
  resource?: string;
  error?: FaunaErrorJson;
  location?: { line: number; column: number };
  ts: string | null;
}

export interface LedgerEntry {
  ts: string;
  origin: string;
  query: string;
  /** Wire JSON text of the writes: [{collection, id, action, before, after}]. */
  writes: string;
}

export type WorkerReply =
  | { type: 'result'; id: number; ok: true; resource: string; ts: string }
  | { type: 'result'; id: number; ok: false; errors: FaunaErrorJson[]; ts: string | null }
  | { type: 'statements'; id: number; results: StatementOutcome[] }
  | { type: 'ledger'; id: number; entries: LedgerEntry[] }
  | { type: 'check'; id: number; ok: boolean; lines: string[] }
  | { type: 'changes'; event: ChangeEvent }
  | { type: 'ready'; lastTs: string }
  /** The worker starts request `id` (sent when requests wait behind it in one batch, so the host knows which one a stuck or crashed worker was running). */
  | { type: 'running'; id: number }
  /** The worker commits the group holding requests `ids`: from now on they may be durable, so they are never sent again. */
  | { type: 'committing'; ids: number[] }
  | { type: 'fatal'; message: string };

export interface Change {
  collection: string;
  id: string;
  action: 'create' | 'update' | 'delete';
}

/** Published after every commit, by this process or another one on the same file. */
export interface ChangeEvent {
  ts: string;
  origin: string;
  changes: Change[];
}

export interface WorkerConfig {
  file: string;
  /** The writer owns writes, background work and the change feed; a reader only answers reads. */
  role: 'writer' | 'reader';
  /** Provision the sample store when the file has no schema yet. */
  sample: boolean;
  /** Milliseconds between checks for commits made by other processes. */
  pollMs: number;
  nativeBinding?: string;
}
