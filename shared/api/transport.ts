/**
 * How the API travels. Both transports carry the same messages:
 * - Electron: the preload exposes `window.stockroom` ({ call, onChanges }) and
 *   forwards each call over IPC channel `stockroom:call`; change events arrive
 *   on channel `stockroom:changes`.
 * - Web mode: a WebSocket at `/api?token=<per-run token>` on the page's own
 *   origin carries JSON messages of the shapes below.
 */
import type { ChangeEvent, FqlError } from './contract.js';

export const IPC_CALL_CHANNEL = 'stockroom:call';
export const IPC_CHANGES_CHANNEL = 'stockroom:changes';
export const WS_PATH = '/api';

export interface CallMessage {
  type: 'call';
  id: number;
  method: string;
  args: unknown;
}

export type CallReply = { type: 'result'; id: number; ok: true; result: unknown } | { type: 'result'; id: number; ok: false; error: FqlError };

export interface ChangesMessage {
  type: 'changes';
  event: ChangeEvent;
}

export type ServerMessage = CallReply | ChangesMessage;

/** What the preload puts on `window` (and what the web client implements). */
export interface BridgeApi {
  call(method: string, args: unknown): Promise<CallReply>;
  onChanges(listener: (event: ChangeEvent) => void): () => void;
}
