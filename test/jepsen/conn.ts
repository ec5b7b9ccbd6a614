/**
 * A client's connection to the database, the same shape whether it goes
 * through an EngineHost (worker thread + queue) or straight to an Engine in
 * this process; plus a seeded random generator and FQL helpers for workloads.
 */
import type { Engine } from '../../electron/engine/engine.js';
import type { FaunaErrorJson } from '../../electron/engine/errors.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import type { EngineHost } from '../../electron/host/engine-host.js';
import type { Json } from '../../shared/fql/json.js';
import type { Completion } from './history.js';

/** `ts`: the transaction time in µs (the commit time of a write, the snapshot time of a read). */
export type Reply = { ok: true; resource: Json; ts: bigint } | { ok: false; error: FaunaErrorJson };

export interface Conn {
  readonly name: string;
  query(expr: Json): Promise<Reply>;
}

export function engineConn(engine: Engine, origin: string): Conn {
  return {
    name: origin,
    query(expr) {
      const r = engine.query(expr, { origin });
      return Promise.resolve(r.ok ? { ok: true, resource: r.resource, ts: r.ts } : { ok: false, error: r.error.toJSON() });
    },
  };
}

export function hostConn(host: EngineHost, origin: string): Conn {
  return {
    name: origin,
    async query(expr) {
      const r = await host.query(expr, origin);
      return r.ok ? { ok: true, resource: r.resource, ts: r.ts } : { ok: false, error: r.errors[0] ?? { code: 'missing error', description: 'the host replied ok: false without an error' } };
    },
  };
}

/**
 * Errors after which the outcome is unknown: the host lost its worker while
 * the request ran, or the request outlived its hard deadline. Every other
 * error comes from the engine after it rolled the transaction back.
 */
const INDETERMINATE = new Set(['internal server error', 'time out']);

/** The usual mapping of a reply to a history completion; `value` turns a resource into the recorded value. */
export function complete(reply: Reply, value: (resource: Json, ts: bigint) => unknown = (r) => r): Completion {
  if (reply.ok) return { type: 'ok', value: value(reply.resource, reply.ts) };
  return { type: INDETERMINATE.has(reply.error.code) ? 'info' : 'fail', error: reply.error };
}

/** The wire expression of one FQL statement. */
export function fqlExpr(text: string): Json {
  const statements = parseFql(text);
  if (statements.length !== 1) throw new Error(`expected one statement, got ${statements.length}: ${text.slice(0, 200)}`);
  return statements[0]!.expr;
}

/** A string as an FQL literal. */
export const lit = (s: string): string => JSON.stringify(s);

/** Runs FQL statements on a connection, failing loudly on any error (for setup). */
export async function mustRun(conn: Conn, text: string): Promise<Json> {
  let last: Json = null;
  for (const s of parseFql(text)) {
    const r = await conn.query(s.expr);
    if (!r.ok) throw new Error(`setup failed: ${r.error.code}: ${r.error.description} at ${JSON.stringify(r.error.position)}\n  in ${s.text.slice(0, 300)}`);
    last = r.resource;
  }
  return last;
}

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }
  /** A seed for a sub-generator. */
  fork(salt: number): Rng {
    return new Rng((Math.imul(this.int(0, 0x7fffffff), 2654435761) ^ salt) >>> 0);
  }
}

/** A document's id from a wire ref `{"@ref": {"id": ...}}`. */
export function refId(ref: Json): string {
  const r = (ref as { '@ref'?: { id?: unknown } } | null)?.['@ref'];
  if (!r || typeof r.id !== 'string') throw new Error(`not a ref: ${JSON.stringify(ref, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return r.id;
}

/** A number from the wire (FQL integers arrive as bigint). */
export function num(v: Json | undefined): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  throw new Error(`not a number: ${String(v)}`);
}
