/**
 * IPC: one handler for every API call. The sender must be the top frame of
 * one of our own windows showing an app:// page (policy.ts); the method and
 * arguments are validated against the contract by the dispatcher. A call
 * never throws across IPC: it resolves with the transport's reply message.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC_CALL_CHANNEL, type CallReply } from '../../shared/api/transport.js';
import type { Dispatcher } from '../api/handlers.js';
import { isTrustedSender } from './policy.js';

export function registerIpc(dispatcher: Dispatcher, windows: ReadonlySet<BrowserWindow>, originOf: (event: IpcMainInvokeEvent) => string): void {
  ipcMain.handle(IPC_CALL_CHANNEL, async (event, method: unknown, args: unknown): Promise<CallReply> => {
    if (!isTrustedSender(event, windows)) {
      return { type: 'result', id: 0, ok: false, error: { code: 'permission denied', description: 'Calls are accepted only from Stockroom windows.' } };
    }
    return dispatcher.reply(0, typeof method === 'string' ? method : String(method), args, originOf(event));
  });
}
