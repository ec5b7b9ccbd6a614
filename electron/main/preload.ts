/**
 * The preload: exposes exactly the API bridge (`window.stockroom`, the
 * BridgeApi of shared/api/transport.ts) and nothing else — never ipcRenderer
 * itself. Bundled to CommonJS (dist/electron/main/preload.cjs) because
 * sandboxed preloads cannot load ES modules.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { ChangeEvent } from '../../shared/api/contract.js';
import { IPC_CALL_CHANNEL, IPC_CHANGES_CHANNEL, type BridgeApi, type CallReply } from '../../shared/api/transport.js';

const listeners = new Set<(event: ChangeEvent) => void>();

ipcRenderer.on(IPC_CHANGES_CHANNEL, (_event, change: ChangeEvent) => {
  for (const listener of listeners) {
    try {
      listener(change);
    } catch (err) {
      console.error('stockroom: a change listener failed', err);
    }
  }
});

const bridge: BridgeApi = {
  call(method: string, args: unknown): Promise<CallReply> {
    // Validated again, against the contract's schemas, in the main process.
    return ipcRenderer.invoke(IPC_CALL_CHANNEL, String(method), args) as Promise<CallReply>;
  },
  onChanges(listener: (event: ChangeEvent) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('onChanges needs a function');
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('stockroom', bridge);
