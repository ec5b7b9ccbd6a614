// A stand-in for the `electron` module, just enough of it for the main
// process's wiring to run in plain Node (see main-wiring.test.ts). Everything
// the main process does to it is recorded on globalThis.__fakeElectron.
import { EventEmitter } from 'node:events';

const state = {
  windows: [],
  ipcHandlers: new Map(),
  protocolHandlers: new Map(),
  privilegedSchemes: [],
  menu: null,
  opened: [],
  headerHooks: [],
  permissionHandler: null,
  sandboxEnabled: false,
  paths: new Map([['appData', '/tmp/fake-appdata']]),
  quitRequested: false,
  exitCode: null,
};
globalThis.__fakeElectron = state;

let nextContentsId = 1;

class FakeWebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextContentsId++;
    this.sent = [];
    this.mainFrame = { url: '' };
    this.windowOpenHandler = null;
  }
  send(channel, payload) {
    this.sent.push({ channel, payload });
  }
  setWindowOpenHandler(fn) {
    this.windowOpenHandler = fn;
  }
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.options = options;
    this.webContents = new FakeWebContents();
    this.destroyed = false;
    state.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    setTimeout(() => this.emit('ready-to-show'), 0);
  }
  static getAllWindows() {
    return state.windows.filter((w) => !w.destroyed);
  }
  loadURL(url) {
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  show() {
    this.shown = true;
  }
  close() {
    this.destroyed = true;
    this.emit('closed');
  }
}

class FakeApp extends EventEmitter {
  setName(name) {
    state.name = name;
  }
  getPath(name) {
    return state.paths.get(name) ?? `/tmp/fake-${name}`;
  }
  setPath(name, value) {
    state.paths.set(name, value);
  }
  getVersion() {
    return '9.9.9-test';
  }
  enableSandbox() {
    state.sandboxEnabled = true;
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    state.quitRequested = true;
  }
  exit(code) {
    state.exitCode = code;
  }
}

export const app = new FakeApp();

export const ipcMain = {
  handle(channel, fn) {
    state.ipcHandlers.set(channel, fn);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes) {
    state.privilegedSchemes.push(...schemes);
  },
  handle(scheme, fn) {
    state.protocolHandlers.set(scheme, fn);
  },
};

export const Menu = {
  buildFromTemplate(template) {
    const find = (items, id) => {
      for (const item of items) {
        if (item.id === id) return item;
        if (Array.isArray(item.submenu)) {
          const hit = find(item.submenu, id);
          if (hit) return hit;
        }
      }
      return null;
    };
    return { template, getMenuItemById: (id) => find(template, id) };
  },
  setApplicationMenu(menu) {
    state.menu = menu;
  },
  getApplicationMenu() {
    return state.menu;
  },
};

export const session = {
  defaultSession: {
    webRequest: {
      onHeadersReceived(fn) {
        state.headerHooks.push(fn);
      },
    },
    setPermissionRequestHandler(fn) {
      state.permissionHandler = fn;
    },
    setPermissionCheckHandler(fn) {
      state.permissionCheck = fn;
    },
  },
};

export const shell = {
  openExternal(url) {
    state.opened.push(url);
    return Promise.resolve();
  },
};

export const dialog = {
  showErrorBox(title, message) {
    state.errorBox = { title, message };
  },
};

export default { app, BrowserWindow, ipcMain, protocol, Menu, session, shell, dialog };
