/**
 * A StockroomApi over any BridgeApi: the Electron preload's `window.stockroom`
 * or the WebSocket bridge of web mode. Screens only ever see StockroomApi.
 */
import { ApiError, type ApiArgsOf, type ApiMethod, type ApiResults, type ChangeEvent, type StockroomApi } from '../../shared/api/contract.js';
import type { BridgeApi, CallReply } from '../../shared/api/transport.js';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in web mode. */
    stockroom?: BridgeApi;
  }
}

export function apiFromBridge(bridge: BridgeApi): StockroomApi {
  return {
    async call<M extends ApiMethod>(method: M, args: ApiArgsOf<M>): Promise<ApiResults[M]> {
      let reply: CallReply;
      try {
        reply = await bridge.call(method, args);
      } catch (err) {
        if (err instanceof ApiError) throw err;
        throw new ApiError({ code: 'unavailable', description: err instanceof Error ? err.message : String(err) });
      }
      if (reply.ok) return reply.result as ApiResults[M];
      throw new ApiError(reply.error);
    },
    onChanges(listener: (event: ChangeEvent) => void): () => void {
      return bridge.onChanges(listener);
    },
  };
}
