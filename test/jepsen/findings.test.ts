/**
 * Engine bugs found while proving the host (issue 4). Each test fails until
 * the bug is fixed; the report names them.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { Child } from '../helpers/child.js';
import { fqlExpr } from './conn.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('findings: transaction time', () => {
  test('the time of read transactions (Now(), the reply ts) never goes backwards on one connection', () => {
    // wallClockMicros() (electron/engine/storage/transaction.ts) is Date.now() in ms plus the sub-millisecond
    // fraction of performance.now(), a different clock: within one millisecond the sum jumps back by up to
    // 999 µs. Write transactions are kept in order by `last_ts + 1`; read transactions take max(now, last_ts)
    // and so go back in time. The bank workload through the host shows the same in its history.
    const engine = Engine.open(':memory:');
    try {
      const now = fqlExpr('ToMicros(Now())');
      let previous = 0n;
      let backwards = 0;
      let worst = 0n;
      const until = Date.now() + 300;
      while (Date.now() < until) {
        const r = engine.query(now);
        assert.ok(r.ok);
        const ts = r.resource as bigint;
        assert.equal(ts, r.ts, 'Now() is the transaction time');
        if (ts < previous) {
          backwards++;
          if (previous - ts > worst) worst = previous - ts;
        }
        previous = ts;
      }
      assert.equal(backwards, 0, `Now() went back ${backwards} times, by up to ${worst} µs`);
    } finally {
      engine.close();
    }
  });
});

describe('findings: regular expressions', () => {
  test('a quantifier after a group is an ordinary greedy quantifier, not a possessive one: (ab)+, (?:ab)+, (a|b)+', () => {
    // Java reads `(ab)+` as "ab, one or more times"; only `X*+`, `X++`, `X?+`, `X{n}+` are possessive.
    // translateJavaRegex (electron/engine/eval/functions/strings.ts) calls quantifierSuffix() right after `)`,
    // so the `+` that quantifies the group is taken for a possessive suffix and the pattern is refused.
    const engine = Engine.open(':memory:');
    try {
      for (const [pattern, want] of [
        ['(ab)+', true],
        ['(?:ab)+', true],
        ['(a|b)+c', true],
        ['^(ab)+$', false],
      ] as const) {
        const r = engine.query(fqlExpr(`ContainsStrRegex("xababc", ${JSON.stringify(pattern)})`));
        assert.ok(r.ok, `${pattern}: ${r.ok ? '' : r.error.description}`);
        assert.equal(r.resource, want, pattern);
      }
    } finally {
      engine.close();
    }
  });

  test('a regex with catastrophic backtracking stops within the query time limit (or is refused)', async () => {
    // `(a*)*b` against 30 a's backtracks exponentially inside one RegExp call, where the engine's time
    // checks (EvalContext.tick) cannot run: the 200 ms budget is ignored and the query runs for minutes.
    // Through the host, the hard deadline ends the worker (see host.test.ts); a standalone Engine (the CLI)
    // hangs. `(a+)+b` is refused today only by accident (the bug above); `(a*)*b`, `(a|a)*b`,
    // `^(\w+\s?)*$` and `(a{1,30}){1,30}b` are accepted.
    const child = await Child.start(join(here, 'regex-probe.ts'), ['a'.repeat(30) + '!', '(a*)*b']);
    const outcome = await Promise.race([child.exited.then(() => 'exited' as const), sleep(5_000).then(() => 'hung' as const)]);
    if (outcome === 'hung') child.kill9();
    await child.exited;
    assert.equal(outcome, 'exited', 'the query was still running after 5 s with a 200 ms time limit');
    const line = child.lines.find((l) => l.startsWith('{'));
    assert.ok(line, child.stderr);
    const r = JSON.parse(line) as { ms: number; ok: boolean; error?: { code: string } };
    assert.ok(!r.ok && ['processing time limit exceeded', 'invalid argument'].includes(r.error!.code), line);
  });
});
