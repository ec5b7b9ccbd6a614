/** App windows: each one independent, all showing the same renderer, all tracked for IPC and change events. */
import { BrowserWindow } from 'electron';
import { APP_INDEX_URL, secureWebPreferences } from './policy.js';

export class Windows {
  readonly all = new Set<BrowserWindow>();
  private readonly numbers = new Map<number, number>();
  private next = 1;

  constructor(private readonly preload: string) {}

  open(): BrowserWindow {
    const win = new BrowserWindow({
      width: 1280,
      height: 820,
      minWidth: 720,
      minHeight: 480,
      show: false,
      title: 'Stockroom',
      webPreferences: secureWebPreferences(this.preload),
    });
    const contentsId = win.webContents.id;
    this.all.add(win);
    this.numbers.set(contentsId, this.next++);
    win.once('ready-to-show', () => win.show());
    win.on('closed', () => {
      this.all.delete(win);
      this.numbers.delete(contentsId);
    });
    void win.loadURL(APP_INDEX_URL);
    return win;
  }

  /** The ledger's origin for calls from a window: `window:N`. */
  originOf(webContentsId: number): string {
    return `window:${this.numbers.get(webContentsId) ?? 0}`;
  }

  send(channel: string, payload: unknown): void {
    for (const win of this.all) if (!win.isDestroyed()) win.webContents.send(channel, payload);
  }

  focusAny(): boolean {
    const win = [...this.all].find((w) => !w.isDestroyed());
    if (!win) return false;
    if (win.isMinimized()) win.restore();
    win.focus();
    return true;
  }
}
