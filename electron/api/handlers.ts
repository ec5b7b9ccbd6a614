/**
 * The API's handlers, one module per domain, merged into one table that
 * covers every method of the contract (the type checker proves it), and the
 * dispatcher every transport calls: arguments are validated against the
 * contract's schema on arrival; anything malformed is rejected with an
 * `invalid request` error before it reaches the engine.
 */
import { ApiError, validateArgs, type ApiMethod, type FqlError } from '../../shared/api/contract.js';
import type { CallReply } from '../../shared/api/transport.js';
import type { EngineHost } from '../host/engine-host.js';
import { appHandlers } from './app.js';
import { CallContext, type AppInfo, type Handler } from './context.js';
import { customerHandlers } from './customers.js';
import { historyHandlers } from './history.js';
import { ledgerHandlers } from './ledger.js';
import { orderHandlers } from './orders.js';
import { productHandlers } from './products.js';
import { schemaHandlers } from './schema.js';
import { shellHandlers } from './shell.js';
import { storeHandlers } from './stores.js';

type AllHandlers = { [M in ApiMethod]: Handler<M> };

export const handlers: AllHandlers = {
  ...appHandlers,
  ...storeHandlers,
  ...productHandlers,
  ...customerHandlers,
  ...orderHandlers,
  ...shellHandlers,
  ...ledgerHandlers,
  ...schemaHandlers,
  ...historyHandlers,
};

export interface Dispatcher {
  /** Validates and runs one call; resolves with its result or rejects with an ApiError. */
  dispatch(method: string, rawArgs: unknown, origin: string): Promise<unknown>;
  /** The same, as the transport's reply message (never rejects). */
  reply(id: number, method: string, rawArgs: unknown, origin: string): Promise<CallReply>;
}

/** Turns anything a handler threw into the API's error shape. */
export function errorOf(err: unknown): FqlError {
  if (err instanceof ApiError) return err.error;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal error', description: message };
}

export function registerHandlers(host: EngineHost, info: AppInfo): Dispatcher {
  const dispatch = async (method: string, rawArgs: unknown, origin: string): Promise<unknown> => {
    const call = validateArgs(method, rawArgs);
    const handler = handlers[call.method] as Handler<ApiMethod>;
    return handler(call.args, new CallContext(host, origin, info));
  };
  return {
    dispatch,
    async reply(id, method, rawArgs, origin) {
      try {
        return { type: 'result', id, ok: true, result: await dispatch(method, rawArgs, origin) };
      } catch (err) {
        return { type: 'result', id, ok: false, error: errorOf(err) };
      }
    },
  };
}
