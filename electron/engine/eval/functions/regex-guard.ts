/**
 * Running regular expressions that could backtrack catastrophically.
 *
 * A JavaScript RegExp cannot be interrupted, so a pattern like `(a|a)*b` on a
 * long input could run for minutes and stall the engine past any time limit.
 * Patterns that could backtrack badly (see mayBacktrackBadly) run in a
 * helper thread instead: the engine
 * waits for it synchronously with a timeout, and a helper still running when
 * the query's time is up is terminated and replaced. Other patterns (the vast
 * majority) run inline.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

export interface GuardedMatch {
  index: number;
  /** The match and its groups (undefined for groups that did not take part). */
  groups: (string | undefined)[];
  named: Record<string, string | undefined> | undefined;
}

/**
 * True when a translated (JavaScript) pattern could take more than linear
 * time: a quantified group whose body contains a quantifier or an
 * alternation (exponential cases such as `(a*)*b`, `(a|a)*b`), or two or more
 * unbounded quantifiers (polynomial cases such as `a.*b.*c`).
 */
export function mayBacktrackBadly(source: string): boolean {
  const unbounded = source.replace(/\\./g, '').replace(/\[[^\]]*\]/g, 'x').match(/[*+]|\{\d+,\}/g)?.length ?? 0;
  if (unbounded >= 2) return true;
  const stack: { risky: boolean }[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') stack.push({ risky: false });
    else if (c === '|' || c === '*' || c === '+' || (c === '{' && /^\{\d+,?\d*\}/.test(source.slice(i)))) {
      if (stack.length > 0) stack[stack.length - 1]!.risky = true;
    } else if (c === ')') {
      const group = stack.pop();
      const next = source[i + 1];
      const repeated = next === '*' || next === '+' || (next === '{' && !/^\{1\}/.test(source.slice(i + 1)) && /^\{\d+,?\d*\}/.test(source.slice(i + 1)));
      if (group?.risky && repeated) return true;
      // A group's own repetition makes the enclosing group's body repeat too.
      if (group?.risky && stack.length > 0) stack[stack.length - 1]!.risky = true;
    }
  }
  return false;
}

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ source, flags, input, limit, port, signal }) => {
  const flag = new Int32Array(signal);
  let reply;
  try {
    const re = new RegExp(source, flags);
    const matches = [];
    re.lastIndex = 0;
    while (re.lastIndex <= input.length && matches.length < limit) {
      const m = re.exec(input);
      if (m === null) break;
      if (m[0].length === 0) {
        const cp = input.codePointAt(m.index);
        re.lastIndex = m.index + (cp !== undefined && cp > 0xffff ? 2 : 1);
      }
      matches.push({ index: m.index, groups: Array.from(m), named: m.groups ? { ...m.groups } : undefined });
    }
    reply = { ok: true, matches };
  } catch (err) {
    reply = { ok: false, message: String(err && err.message || err) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

let helper: Worker | null = null;

function ensureHelper(): Worker {
  if (helper === null) {
    helper = new Worker(WORKER_SOURCE, { eval: true });
    helper.unref();
  }
  return helper;
}

export class RegexTimeout extends Error {}

/** All matches of a global regex in `input`, computed in the helper thread within `timeoutMs`. */
export function guardedMatches(source: string, flags: string, input: string, timeoutMs: number, limit: number): GuardedMatch[] {
  const worker = ensureHelper();
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const flag = new Int32Array(signal);
  try {
    worker.postMessage({ source, flags, input, limit, port: port2, signal }, [port2 as MessagePort]);
    const waited = Atomics.wait(flag, 0, 0, Math.max(1, timeoutMs));
    if (waited === 'timed-out') {
      void worker.terminate();
      helper = null;
      throw new RegexTimeout();
    }
    const message = receiveMessageOnPort(port1)?.message as { ok: true; matches: GuardedMatch[] } | { ok: false; message: string } | undefined;
    if (message === undefined) throw new Error('regular expression helper gave no answer');
    if (!message.ok) throw new Error(message.message);
    return message.matches;
  } finally {
    port1.close();
  }
}
