/**
 * What a workload is: a schema and data to start from, clients that perform
 * operations and record them, a final read, and a checker. The same workload
 * runs with every client going through one EngineHost, and with clients spread
 * over several OS processes that each open the file themselves.
 */
import type { CheckResult } from './checkers.js';
import type { Conn, Rng } from './conn.js';
import type { History, Op } from './history.js';

export interface WorkloadParams {
  seed: number;
  /** Bigger runs (STOCKROOM_SOAK=1). */
  soak: boolean;
}

export interface ClientContext {
  /** 0..clients-1 */
  id: number;
  /** The history's process name for this client. */
  process: string;
  conn: Conn;
  history: History;
  rng: Rng;
  params: WorkloadParams;
}

export interface CheckContext {
  /** True when clients ran in several OS processes (their clocks are compared with some slack). */
  multiProcess: boolean;
}

export interface Workload {
  readonly name: string;
  /** Needs the sample store (the submit_order function and its collections). */
  readonly sample: boolean;
  /** FQL statements run one by one before the clients start; each must succeed. */
  setup(p: WorkloadParams): string;
  /** How many clients (logical processes) run. */
  clients(p: WorkloadParams): number;
  client(ctx: ClientContext): Promise<void>;
  /** Records the final read(s) (f = 'final'). */
  final(conn: Conn, history: History, p: WorkloadParams): Promise<void>;
  check(ops: readonly Op[], p: WorkloadParams, c: CheckContext): CheckResult;
}

export function workloadParams(seed?: number): WorkloadParams {
  const fromEnv = process.env.STOCKROOM_SEED;
  return {
    seed: seed ?? (fromEnv ? Number(fromEnv) : Math.floor(Math.random() * 0x7fffffff)),
    soak: process.env.STOCKROOM_SOAK === '1',
  };
}
