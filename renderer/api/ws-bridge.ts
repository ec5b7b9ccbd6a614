/**
 * The BridgeApi of web mode: JSON messages over one WebSocket to the page's
 * own origin. Reconnects with backoff when the socket drops; calls made while
 * disconnected wait for the connection; calls in flight when it drops fail
 * (their outcome is unknown, so they are never sent twice). After a reconnect
 * a synthetic change event (no changes listed) tells every screen to refresh,
 * since commits may have been missed meanwhile. When a connection attempt
 * fails, `beforeRetry` runs first (web mode re-reads the per-run token, which
 * is new when the server was restarted).
 */
import type { ChangeEvent, FqlError } from '../../shared/api/contract.js';
import type { BridgeApi, CallMessage, CallReply, ServerMessage } from '../../shared/api/transport.js';
import type { Connection, ConnectionState } from './connection';

interface Pending {
  resolve(reply: CallReply): void;
  reject(err: unknown): void;
}

const MAX_BACKOFF_MS = 4000;

export class WebSocketBridge implements BridgeApi, Connection {
  private socket: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly queued: CallMessage[] = [];
  private readonly changeListeners = new Set<(event: ChangeEvent) => void>();
  private readonly stateListeners = new Set<(state: ConnectionState) => void>();
  private backoff = 250;
  private everOpened = false;
  private current: ConnectionState = 'connecting';

  private failedAttempts = 0;

  constructor(
    private readonly url: () => string,
    private readonly beforeRetry?: () => Promise<void>,
  ) {
    this.connect();
  }

  get state(): ConnectionState {
    return this.current;
  }

  subscribe(listener: (state: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  call(method: string, args: unknown): Promise<CallReply> {
    const message: CallMessage = { type: 'call', id: this.nextId++, method, args };
    return new Promise<CallReply>((resolve, reject) => {
      this.pending.set(message.id, { resolve, reject });
      if (this.socket && this.socket.readyState === WebSocket.OPEN) this.send(message);
      else this.queued.push(message);
    });
  }

  onChanges(listener: (event: ChangeEvent) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const l of this.stateListeners) l(state);
  }

  private send(message: CallMessage): void {
    try {
      this.socket!.send(JSON.stringify(message));
    } catch (err) {
      this.fail(message.id, { code: 'invalid argument', description: `Could not send the request: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  private fail(id: number, error: FqlError): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    p.resolve({ type: 'result', id, ok: false, error });
  }

  private connect(): void {
    const socket = new WebSocket(this.url());
    this.socket = socket;
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      this.failedAttempts = 0;
      this.backoff = 250;
      const reconnected = this.everOpened;
      this.everOpened = true;
      this.setState('open');
      for (const m of this.queued.splice(0)) this.send(m);
      if (reconnected) this.emit({ ts: '', origin: 'reconnect', changes: [] });
    });
    socket.addEventListener('message', (e: MessageEvent) => {
      if (typeof e.data !== 'string') return;
      let message: ServerMessage;
      try {
        message = JSON.parse(e.data) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'result') {
        const p = this.pending.get(message.id);
        if (!p) return;
        this.pending.delete(message.id);
        p.resolve(message);
      } else if (message.type === 'changes') {
        this.emit(message.event);
      }
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      const queuedIds = new Set(this.queued.map((m) => m.id));
      for (const id of [...this.pending.keys()]) {
        if (queuedIds.has(id)) continue;
        this.fail(id, { code: 'unavailable', description: 'The connection to Stockroom was lost before the answer arrived; check whether the change was made.' });
      }
      this.setState(this.everOpened ? 'reconnecting' : 'connecting');
      if (!opened) this.failedAttempts++;
      const delay = this.backoff;
      this.backoff = Math.min(this.backoff * 2, MAX_BACKOFF_MS);
      setTimeout(() => {
        const ready = this.failedAttempts > 0 && this.beforeRetry ? this.beforeRetry().catch(() => {}) : Promise.resolve();
        void ready.then(() => this.connect());
      }, delay);
    });
  }

  private emit(event: ChangeEvent): void {
    for (const l of this.changeListeners) {
      try {
        l(event);
      } catch (err) {
        console.error(err);
      }
    }
  }
}
