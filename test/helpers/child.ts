/**
 * Child OS processes running a TypeScript script, talking in
 * lines: the parent waits for lines such as `ready`, writes `go`, collects
 * output, and can kill -9 the child.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { childArgs } from './child-bundle.js';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class Child {
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<ChildExit>;
  private waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  private exitedWith: ChildExit | null = null;

  private constructor(readonly proc: ChildProcess) {
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(line)) return true;
        w.resolve(line);
        return false;
      });
    });
    proc.stderr!.on('data', (d: Buffer) => {
      this.stderr += d.toString();
    });
    // 'close' comes after the output streams have ended, so every line has been seen.
    this.exited = new Promise((resolve) =>
      proc.on('close', (code, signal) => {
        this.exitedWith = { code, signal };
        resolve(this.exitedWith);
      }),
    );
  }

  /** Starts the TypeScript `script` in a new Node process (see child-bundle.ts for how). */
  static async start(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Child> {
    return new Child(spawn(process.execPath, [...(await childArgs(script)), ...args], { stdio: ['pipe', 'pipe', 'pipe'], env }));
  }

  /** True until the child has exited and its output has been read. */
  get running(): boolean {
    return this.exitedWith === null;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  /** Resolves with the first line (seen so far or to come) that passes `test`; rejects if the child exits first or on timeout. */
  waitForLine(test: (line: string) => boolean, timeoutMs = 60_000): Promise<string> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`child ${this.pid}: no matching line within ${timeoutMs} ms; stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      const done = (line: string): void => {
        clearTimeout(timer);
        resolve(line);
      };
      this.waiters.push({ test, resolve: done });
      void this.exited.then((e) => {
        clearTimeout(timer);
        if (this.waiters.some((w) => w.resolve === done)) {
          reject(new Error(`child ${this.pid} exited (${e.code ?? e.signal}) before the line came; stderr: ${this.stderr.slice(-2000)}`));
        }
      });
    });
  }

  send(line: string): void {
    this.proc.stdin!.write(`${line}\n`);
  }

  /** Closes the child's stdin (after the last line it needs). */
  endInput(): void {
    this.proc.stdin!.end();
  }

  /** SIGKILL: no cleanup, no flush — what a power cut or a crash looks like to the file. */
  kill9(): void {
    this.proc.kill('SIGKILL');
  }

  /** Waits for a clean exit (code 0); rejects with the child's stderr otherwise. */
  async succeeded(): Promise<void> {
    const e = await this.exited;
    if (e.code !== 0) throw new Error(`child ${this.pid} exited with ${e.code ?? e.signal}; stderr:\n${this.stderr.slice(-4000)}`);
  }
}

/** Resolves when a line arrives on stdin that passes `test` (the child's side of a start barrier). */
export function waitForStdinLine(test: (line: string) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => {
      if (test(line)) {
        rl.close();
        // Let go of stdin, or it keeps the process alive after its work is done.
        process.stdin.destroy();
        resolve();
      }
    });
  });
}
