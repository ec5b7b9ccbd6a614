/**
 * monotonic (Jepsen-style, issue 6): a counter incremented concurrently while
 * readers read it back in time with At. Sorted by ts the values never
 * decrease, a read at an increment's ts sees it, and the counter's history is
 * exactly the acknowledged increments — through one EngineHost, and from
 * several OS processes on one file. The checker is first shown bad histories.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertInvalid, assertRun, assertValid } from './assert-run.js';
import { checkTimestamps, describeResult } from './checkers.js';
import type { Op, OpError, OpType } from './history.js';
import { runInProcesses, runThroughHost, type RunOutcome } from './runner.js';
import { checkMonotonic, monotonic } from './workloads/monotonic.js';
import { workloadParams, type WorkloadParams } from './workload.js';


// --- the checker on hand-made histories --------------------------------------------

type Row = [process: string, type: OpType, f: string, value: unknown, error?: OpError];

function hist(rows: Row[]): Op[] {
  return rows.map(([process, type, f, value, error], index) => ({ index, process, type, f, value, time: index * 10, ...(error ? { error } : {}) }));
}

/** Increments ok at the given [ts, n]; reads as given; a final read of the increments. */
function incr(process: string, ts: number, n: number): Row[] {
  return [
    [process, 'invoke', 'incr', null],
    [process, 'ok', 'incr', { n, ts }],
  ];
}
function readAt(process: string, at: number, n: number, kind = 'exact', snapshot = 10_000): Row[] {
  return [
    [process, 'invoke', 'read-at', { kind, at }],
    [process, 'ok', 'read-at', { kind, at, n, snapshot }],
  ];
}
function final(events: [number, string, number][]): Row[] {
  return [
    ['final', 'invoke', 'final', null],
    ['final', 'ok', 'final', { events }],
  ];
}
const GOOD_EVENTS: [number, string, number][] = [
  [100, 'create', 0],
  [200, 'update', 1],
  [300, 'update', 2],
  [400, 'update', 3],
];


describe('checkMonotonic', () => {
  const incs = [...incr('a', 200, 1), ...incr('b', 300, 2), ...incr('a', 400, 3)];

  test('a good history is valid: reads between, at and before increments, Get and Events reads', () => {
    // (A Get that saw 1 with a snapshot of 350, after the increment at 300, is not a read at 350: see monotonic.ts.)
    const r = checkMonotonic(
      hist([
        ...incs,
        ...readAt('r', 150, 0, 'between'),
        ...readAt('r', 200, 1),
        ...readAt('r', 299, 1, 'before'),
        ...readAt('r', 300, 2),
        ...readAt('r', 5000, 3, 'between', 450),
        ['r', 'invoke', 'latest', null],
        ['r', 'ok', 'latest', { ts: 400, n: 3, snapshot: 420 }],
        ['r', 'invoke', 'latest', null],
        ['r', 'ok', 'latest', { ts: 200, n: 1, snapshot: 350 }],
        ['r', 'invoke', 'events', null],
        ['r', 'ok', 'events', { events: [[300, 2], [400, 3]] }],
        ...final(GOOD_EVENTS),
      ]),
      { initial: 0 },
    );
    assertValid(r);
    assert.equal(r.stats.readsAtAnIncrementTs, 6);
  });

  test('values that go down as ts goes up', () => {
    assertInvalid(checkMonotonic(hist([...incs, ...readAt('r', 250, 2, 'between'), ...readAt('s', 350, 1, 'between'), ...final(GOOD_EVENTS)]), { initial: 0 }), /the counter went down/);
  });

  test('a read at the ts of an increment that does not see it', () => {
    assertInvalid(checkMonotonic(hist([...incs, ...readAt('r', 300, 1), ...final(GOOD_EVENTS)]), { initial: 0 }), /the ts of increment .* saw 1: not that increment \(2\)/);
  });

  test('a read just before an increment that sees it (a value from its future)', () => {
    assertInvalid(checkMonotonic(hist([...incs, ...readAt('r', 299, 2, 'before'), ...final(GOOD_EVENTS)]), { initial: 0 }), /saw 2, more than the 1 increments committed by then/);
  });

  test('a read that misses an increment committed well before its ts', () => {
    assertInvalid(checkMonotonic(hist([...incs, ...readAt('r', 380, 1, 'between'), ...final(GOOD_EVENTS)]), { initial: 0 }), /saw 1, but 2 increments had committed/);
  });

  test('a read at a time after its own snapshot counts as a read at the snapshot', () => {
    // At(future) reads as now: the read at 5000 with snapshot 350 is a read at 350.
    assertValid(checkMonotonic(hist([...incs, ...readAt('r', 5000, 2, 'between', 350), ...final(GOOD_EVENTS)]), { initial: 0 }));
    assertInvalid(checkMonotonic(hist([...incs, ...readAt('r', 5000, 2, 'between', 450), ...final(GOOD_EVENTS)]), { initial: 0 }), /at ts 450 saw 2, but 3 increments/);
  });

  test('a lost increment: two increments write the same value', () => {
    const lost = [...incr('a', 200, 1), ...incr('b', 300, 1), ...incr('a', 400, 2)];
    assertInvalid(checkMonotonic(hist([...lost, ...final([[100, 'create', 0], [200, 'update', 1], [300, 'update', 1], [400, 'update', 2]])]), { initial: 0 }), /wrote 1, not more than 1/);
  });

  test('increments whose values do not follow their ts order', () => {
    const swapped = [...incr('a', 200, 2), ...incr('b', 300, 1)];
    assertInvalid(checkMonotonic(hist([...swapped, ...final([[100, 'create', 0], [200, 'update', 2], [300, 'update', 1]])]), { initial: 0 }), /increment 1 in ts order \(expected 1\)/);
  });

  test('two increments at one ts', () => {
    const same = [...incr('a', 200, 1), ...incr('b', 200, 2)];
    assertInvalid(checkMonotonic(hist([...same, ...final([[100, 'create', 0], [200, 'update', 2]])]), { initial: 0 }), /committed at the same ts 200/);
  });

  test("an acknowledged increment missing from the counter's history, or an update no one acknowledged", () => {
    assertInvalid(checkMonotonic(hist([...incs, ...final(GOOD_EVENTS.slice(0, 3))]), { initial: 0 }), /is not in the counter's history/);
    assertInvalid(checkMonotonic(hist([...incs, ...final([...GOOD_EVENTS, [500, 'update', 4]])]), { initial: 0 }), /1 updates that no acknowledged increment made/);
  });

  test('an increment with an unknown outcome widens what reads may see, by one', () => {
    const rows: Row[] = [...incs, ['c', 'invoke', 'incr', null], ['c', 'info', 'incr', null, { code: 'time out', description: 'lost' }]];
    assertValid(checkMonotonic(hist([...rows, ...readAt('r', 450, 4, 'between', 450), ...final([...GOOD_EVENTS, [450, 'update', 4]])]), { initial: 0 }));
    assertInvalid(checkMonotonic(hist([...rows, ...readAt('r', 450, 5, 'between', 450), ...final([...GOOD_EVENTS, [450, 'update', 4]])]), { initial: 0 }), /saw 5, more than the 3 increments committed by then \(and 1 unknown\)/);
  });

  test('a failed read and a missing final read are errors', () => {
    assertInvalid(checkMonotonic(hist([...incs, ['r', 'invoke', 'read-at', { kind: 'exact', at: 200 }], ['r', 'fail', 'read-at', null, { code: 'instance not found', description: 'Document not found.' }], ...final(GOOD_EVENTS)]), { initial: 0 }), /read-at did not succeed: instance not found/);
    assertInvalid(checkMonotonic(hist(incs), { initial: 0 }), /no final read/);
  });
});

// --- the workload -----------------------------------------------------------------

const modes: [string, (p: WorkloadParams) => Promise<RunOutcome>, boolean][] = [
  ['every client through one EngineHost', (p) => runThroughHost(monotonic, p), false],
  ['one OS process per client on one file, half with their own Engine, half with their own EngineHost', (p) => runInProcesses(monotonic, p, { processes: monotonic.clients(p), via: 'mixed' }), true],
];

for (const [name, run, multiProcess] of modes) {
  describe(`jepsen monotonic: ${name}`, () => {
    test('values read back in time never decrease; a read at an increment ts sees it; no increment lost', async (t) => {
      const params = workloadParams();
      const outcome = await run(params);
      t.diagnostic(assertRun(`monotonic (${name})`, outcome, params));
      const kinds = new Set(outcome.history.ops.filter((o) => o.f === 'read-at' && o.type === 'ok').map((o) => (o.value as { kind: string }).kind));
      assert.deepEqual([...kinds].sort(), ['before', 'between', 'exact'], 'every kind of read ran');
      assert.ok((outcome.check.stats.readsAtAnIncrementTs ?? 0) > 10, JSON.stringify(outcome.check.stats));
      // Increments also commit in real-time order (a later one never has an earlier ts).
      const ts = checkTimestamps(outcome.history.ops.filter((op) => op.f === 'incr'), () => true, { slackMs: multiProcess ? 1 : 0 });
      assert.ok(ts.valid, `seed ${params.seed}, history in ${outcome.historyFile}\n${describeResult(ts, 5)}`);
    });
  });
}
