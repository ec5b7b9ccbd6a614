/**
 * The desktop shell's security rules (electron/main/policy.ts), tested in
 * plain Node: they need no Electron binary, so they run everywhere.
 */
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY, isAppUrl, isTrustedSender, rendererTarget, safeExternalUrl, secureWebPreferences } from '../../electron/main/policy.js';

describe('desktop security policy', () => {
  it('makes every window sandboxed and isolated, without Node', () => {
    const prefs = secureWebPreferences('/x/preload.cjs');
    assert.equal(prefs.preload, '/x/preload.cjs');
    assert.equal(prefs.contextIsolation, true);
    assert.equal(prefs.sandbox, true);
    assert.equal(prefs.nodeIntegration, false);
    assert.equal(prefs.nodeIntegrationInWorker, false);
    assert.equal(prefs.nodeIntegrationInSubFrames, false);
    assert.equal(prefs.webSecurity, true);
    assert.equal(prefs.webviewTag, false);
  });

  it('has a CSP with no inline or eval-ed scripts', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => { const [name, ...values] = d.trim().split(/\s+/); return [name!, values]; }));
    assert.deepEqual(directives.get('script-src'), ["'self'"]);
    assert.deepEqual(directives.get('default-src'), ["'self'"]);
    assert.deepEqual(directives.get('object-src'), ["'none'"]);
    assert.ok(!CONTENT_SECURITY_POLICY.includes('unsafe-eval'));
  });

  it('knows its own pages', () => {
    assert.equal(isAppUrl(APP_INDEX_URL), true);
    assert.equal(isAppUrl('app://stockroom/orders/1'), true);
    for (const url of ['app://evil/index.html', 'https://stockroom/', 'file:///etc/passwd', 'http://127.0.0.1:7412/', 'javascript:alert(1)', 'not a url']) assert.equal(isAppUrl(url), false, url);
  });

  it('opens only plain https links outside the app', () => {
    assert.equal(safeExternalUrl('https://fauna.com/docs'), 'https://fauna.com/docs');
    for (const url of ['http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'https://user:pw@example.com/', 'ms-settings:', 'app://stockroom/', '']) {
      assert.equal(safeExternalUrl(url), null, url);
    }
  });

  it('trusts IPC only from the main frame of its own windows showing the app', () => {
    const mainFrame = { url: APP_INDEX_URL };
    const contents = { mainFrame };
    const win = { webContents: contents, isDestroyed: () => false };
    assert.equal(isTrustedSender({ sender: contents, senderFrame: mainFrame }, [win]), true);
    assert.equal(isTrustedSender({ sender: contents, senderFrame: { url: APP_INDEX_URL } }, [win]), false, 'a subframe');
    assert.equal(isTrustedSender({ sender: contents, senderFrame: null }, [win]), false, 'a gone frame');
    const other = { mainFrame: { url: APP_INDEX_URL } };
    assert.equal(isTrustedSender({ sender: other, senderFrame: other.mainFrame }, [win]), false, 'not our window');
    const elsewhere = { url: 'https://example.com/' };
    const navigated = { mainFrame: elsewhere };
    assert.equal(isTrustedSender({ sender: navigated, senderFrame: elsewhere }, [{ webContents: navigated, isDestroyed: () => false }]), false, 'another page');
    assert.equal(isTrustedSender({ sender: contents, senderFrame: mainFrame }, [{ webContents: contents, isDestroyed: () => true }]), false, 'a closed window');
  });

  it('serves only files inside the renderer folder', () => {
    const dir = resolve('/srv/renderer');
    assert.deepEqual(rendererTarget(dir, 'app://stockroom/'), { kind: 'index', file: join(dir, 'index.html') });
    assert.deepEqual(rendererTarget(dir, 'app://stockroom/assets/a.js'), { kind: 'file', file: join(dir, 'assets', 'a.js') });
    assert.deepEqual(rendererTarget(dir, 'app://stockroom/orders/12'), { kind: 'index', file: join(dir, 'index.html') });
    for (const url of ['app://stockroom/..%2f..%2fetc%2fpasswd', 'app://stockroom/%2e%2e/secret.txt', 'app://other/index.html', 'app://stockroom/a%00.js', 'app://stockroom/%E0%A4%A.js']) {
      const t = rendererTarget(dir, url);
      if (t.kind !== 'none') assert.ok(t.file.startsWith(dir + '/'), `${url} -> ${t.file}`);
    }
    assert.equal(rendererTarget(dir, 'app://stockroom/..%2f..%2fetc%2fpasswd').kind, 'none');
    assert.equal(rendererTarget(dir, 'app://other/index.html').kind, 'none');
    assert.equal(rendererTarget(dir, 'app://stockroom/a%00.js').kind, 'none');
  });
});
