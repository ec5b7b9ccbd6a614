/**
 * `stockroom shell`: an interactive FQL REPL. Input continues over several
 * lines until the statement is complete; each statement runs as its own
 * transaction.
 */
import { createInterface } from 'node:readline';
import type { Engine } from '../engine/engine.js';
import { FqlSyntaxError, parseFql } from '../engine/parse/index.js';
import { runText } from '../engine/text-query.js';
import { formatResult } from './output.js';

/** True when the text ends before the statement does (keep reading). */
export function isIncomplete(text: string): boolean {
  try {
    parseFql(text);
    return false;
  } catch (err) {
    return err instanceof FqlSyntaxError && err.offset >= text.trimEnd().length;
  }
}

export function runShell(engine: Engine, name: string): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY ?? false });
  const interactive = process.stdin.isTTY ?? false;
  if (interactive) process.stdout.write(`Stockroom FQL shell on ${name}. End statements with Enter; .exit to quit.\n`);
  let buffer = '';
  const prompt = (): void => {
    if (!interactive) return;
    rl.setPrompt(buffer === '' ? 'stockroom> ' : '......... ');
    rl.prompt();
  };
  prompt();
  return new Promise((resolve) => {
    rl.on('line', (line) => {
      if (buffer === '' && line.trim() === '.exit') {
        rl.close();
        return;
      }
      buffer += (buffer === '' ? '' : '\n') + line;
      if (buffer.trim() === '' || isIncomplete(buffer)) {
        if (buffer.trim() === '') buffer = '';
        prompt();
        return;
      }
      for (const r of runText(engine, buffer, { origin: 'cli' })) process.stdout.write(`${formatResult(r, 'fql')}\n`);
      buffer = '';
      prompt();
    });
    rl.on('close', () => {
      if (buffer.trim() !== '') for (const r of runText(engine, buffer, { origin: 'cli' })) process.stdout.write(`${formatResult(r, 'fql')}\n`);
      if (interactive) process.stdout.write('\n');
      resolve();
    });
  });
}
