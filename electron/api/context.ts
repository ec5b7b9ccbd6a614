/**
 * What a handler gets: the engine host, who is calling (the ledger's origin),
 * and `query`, which runs one wire expression as one transaction and returns
 * its result or throws the engine's error as an ApiError.
 */
import { ApiError, type ApiArgsOf, type ApiMethod, type ApiResults, type FqlError } from '../../shared/api/contract.js';
import type { Json } from '../../shared/fql/json.js';
import { printExpr } from '../../shared/fql/print.js';
import type { FaunaErrorJson } from '../engine/errors.js';
import type { EngineHost } from '../host/engine-host.js';

export interface AppInfo {
  /** The database file. */
  database: string;
  transport: 'ipc' | 'websocket';
  /** The app's version (defaults to package.json's). */
  version?: string;
}

export class CallContext {
  constructor(
    readonly host: EngineHost,
    readonly origin: string,
    readonly info: AppInfo,
  ) {}

  /**
   * Runs an expression as one transaction. `summary` is what the ledger
   * records as having run (defaults to the expression printed as FQL).
   */
  async query(expr: Json, summary?: string): Promise<Json> {
    const reply = await this.host.query(expr, this.origin, { summary: (summary ?? printExpr(expr)).slice(0, 2000) });
    if (reply.ok) return reply.resource;
    throw new ApiError(toFqlError(reply.errors[0] ?? { code: 'internal error', description: 'The engine reported no error detail.' }));
  }
}

export function toFqlError(e: FaunaErrorJson): FqlError {
  return {
    code: e.code,
    description: e.description,
    ...(e.position !== undefined ? { position: e.position } : {}),
    ...(e.cause !== undefined ? { cause: e.cause.map(toFqlError) } : {}),
    ...(e.failures !== undefined ? { failures: e.failures } : {}),
  };
}

export type Handler<M extends ApiMethod> = (args: ApiArgsOf<M>, ctx: CallContext) => Promise<ApiResults[M]>;

/** A domain's handlers: a subset of the API's methods. */
export type Handlers<M extends ApiMethod> = { [K in M]: Handler<K> };
