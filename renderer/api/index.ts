/**
 * Picks the transport: the Electron preload's bridge when present, else a
 * WebSocket to the serving host (web mode).
 */
import type { StockroomApi } from '../../shared/api/contract.js';
import { WS_PATH } from '../../shared/api/transport.js';
import { apiFromBridge } from './bridge';
import { alwaysOpen, type Connection } from './connection';
import { readToken, socketUrl } from './token';
import { WebSocketBridge } from './ws-bridge';

export type { Connection, ConnectionState } from './connection';

export function createApi(): { api: StockroomApi; connection: Connection } {
  if (window.stockroom) return { api: apiFromBridge(window.stockroom), connection: alwaysOpen };
  let token = readToken();
  // A restarted server has a new token: read it again from the served page.
  const refreshToken = async () => {
    const res = await fetch(`${location.pathname}${location.search}`, { cache: 'no-store', credentials: 'same-origin' });
    if (!res.ok) return;
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    token = readToken(doc) ?? token;
  };
  const bridge = new WebSocketBridge(() => socketUrl(WS_PATH, token), refreshToken);
  return { api: apiFromBridge(bridge), connection: bridge };
}
