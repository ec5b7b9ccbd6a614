/** Opens a URL in the user's browser (best effort; never throws). */
import { spawn } from 'node:child_process';

export function openInBrowser(url: string): boolean {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => {
      /* no browser opener on this machine: the URL is printed anyway */
    });
    child.unref();
    return true;
  } catch {
    return false;
  }
}
