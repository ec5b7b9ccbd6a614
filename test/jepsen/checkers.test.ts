/**
 * The checkers can fail: each one is shown a good hand-made history (valid)
 * and bad ones (invalid, with the error that names the problem). Also the
 * history recorder's JSON lines round trip.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  checkBank,
  checkCrash,
  checkInternal,
  checkLostUpdate,
  checkTimestamps,
  checkOversell,
  checkUnique,
  checkWellFormed,
  modelSteps,
  type RecoverValue,
  type Step,
} from './checkers.js';
import { History, type Op, type OpError, type OpType } from './history.js';
import { assertInvalid, assertValid } from './assert-run.js';

type Row = [process: string, type: OpType, f: string, value: unknown, error?: OpError];

/** A history from rows; times are 10 ms apart in row order unless a row says otherwise. */
function hist(rows: Row[]): Op[] {
  return rows.map(([process, type, f, value, error], index) => ({ index, process, type, f, value, time: index * 10, ...(error ? { error } : {}) }));
}


const abort = (description: string): OpError => ({ code: 'transaction aborted', description });
const callAbort = (description: string): OpError => ({ code: 'call error', description: 'Calling the function resulted in an error.', cause: [abort(description)] });

describe('history recorder', () => {
  test('records invoke and completion, converts bigints, writes and reads JSON lines', async () => {
    const h = new History('unit');
    await h.run('c0', 'read', { n: 1n }, async () => ({ type: 'ok', value: { items: [1n, 2.5, 'x', 2n ** 70n] } }));
    await h.run('c1', 'write', 3, async () => ({ type: 'fail', error: { code: 'transaction aborted', description: 'no' } }));
    await assert.rejects(h.run('c2', 'write', 4, async () => Promise.reject(new Error('boom'))));
    assert.deepEqual(
      h.ops.map((o) => [o.process, o.type, o.f]),
      [
        ['c0', 'invoke', 'read'],
        ['c0', 'ok', 'read'],
        ['c1', 'invoke', 'write'],
        ['c1', 'fail', 'write'],
        ['c2', 'invoke', 'write'],
        ['c2', 'info', 'write'],
      ],
    );
    assert.deepEqual(h.ops[1]!.value, { items: [1, 2.5, 'x', (2n ** 70n).toString()] });
    assert.equal(h.ops[5]!.error?.description, 'boom');
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-history-'));
    try {
      const file = h.write('unit', dir);
      const back = History.fromJsonl('unit', readFileSync(file, 'utf8'));
      assert.deepEqual(back.ops, h.ops);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('merge orders ops from several processes by time', () => {
    const h = new History('unit');
    h.merge(hist([['a', 'invoke', 'x', 1], ['a', 'ok', 'x', 1]]).map((o) => ({ ...o, time: o.time + 5 })));
    h.merge(hist([['b', 'invoke', 'x', 2], ['b', 'ok', 'x', 2]]));
    assert.deepEqual(
      h.ops.map((o) => `${o.process}${o.type}@${o.time}#${o.index}`),
      ['binvoke@0#0', 'ainvoke@5#1', 'bok@10#2', 'aok@15#3'],
    );
  });
});

describe('checkWellFormed', () => {
  test('accepts alternating invokes and completions and counts overlap', () => {
    const r = checkWellFormed(hist([['a', 'invoke', 'x', 1], ['b', 'invoke', 'x', 2], ['a', 'ok', 'x', 1], ['b', 'fail', 'x', 2]]));
    assertValid(r);
    assert.equal(r.stats.maxConcurrency, 2);
  });
  test('rejects two open invokes in one process', () => {
    assertInvalid(checkWellFormed(hist([['a', 'invoke', 'x', 1], ['a', 'invoke', 'x', 2], ['a', 'ok', 'x', 2]])), /still open/);
  });
  test('rejects a completion without an invoke, of another function, or never completed', () => {
    assertInvalid(checkWellFormed(hist([['a', 'ok', 'x', 1]])), /without an invoke/);
    assertInvalid(checkWellFormed(hist([['a', 'invoke', 'x', 1], ['a', 'ok', 'y', 1]])), /is for y/);
    assertInvalid(checkWellFormed(hist([['a', 'invoke', 'x', 1]])), /never completed/);
    assertValid(checkWellFormed(hist([['a', 'invoke', 'x', 1]]), { allowOpen: true }));
  });
});

describe('checkBank', () => {
  const o = { accounts: 3, initial: [10, 10, 10] };
  const good: Row[] = [
    ['c0', 'invoke', 'transfer', { from: 0, to: 1, amount: 4 }],
    ['c1', 'invoke', 'read', { via: 'get' }],
    ['c0', 'ok', 'transfer', { from: 0, to: 1, amount: 4 }],
    ['c1', 'ok', 'read', { via: 'get', balances: [6, 14, 10] }],
    ['c0', 'invoke', 'transfer', { from: 2, to: 0, amount: 11 }],
    ['c0', 'fail', 'transfer', { from: 2, to: 0, amount: 11 }, callAbort('overdraft')],
    ['final', 'invoke', 'final', { via: 'get' }],
    ['final', 'ok', 'final', { via: 'get', balances: [6, 14, 10] }],
  ];
  test('accepts a consistent history', () => assertValid(checkBank(hist(good), o)));
  test('rejects a read whose sum is wrong', () => {
    const bad = good.map((r, i): Row => (i === 3 ? ['c1', 'ok', 'read', { via: 'get', balances: [6, 10, 10] }] : r));
    assertInvalid(checkBank(hist(bad), o), /sum to 26, not 30/);
  });
  test('rejects a negative balance', () => {
    const bad = good.map((r, i): Row => (i === 3 ? ['c1', 'ok', 'read', { via: 'index', balances: [-1, 21, 10] }] : r));
    assertInvalid(checkBank(hist(bad), o), /account 0 is negative/);
  });
  test('rejects a read that misses an account', () => {
    const bad = good.map((r, i): Row => (i === 3 ? ['c1', 'ok', 'read', { via: 'index', balances: [16, 14] }] : r));
    assertInvalid(checkBank(hist(bad), o), /saw 2 accounts/);
  });
  test('rejects a transfer that failed for another reason', () => {
    const bad = good.map((r, i): Row => (i === 5 ? ['c0', 'fail', 'transfer', r[3], { code: 'contended transaction', description: 'busy' }] : r));
    assertInvalid(checkBank(hist(bad), o), /other than an overdraft/);
  });
  test('rejects final balances that lost a transfer (even though they sum right)', () => {
    const bad = good.map((r, i): Row => (i === 7 ? ['final', 'ok', 'final', { via: 'get', balances: [10, 10, 10] }] : r));
    assertInvalid(checkBank(hist(bad), o), /differ from the initial balances plus the 1 successful transfers/);
  });
  test('rejects a history without a final read', () => assertInvalid(checkBank(hist(good.slice(0, 6)), o), /no final read/));
});

describe('checkOversell', () => {
  const o = { initial: { '1': 1, '2': 3 } };
  const order = (p: string, c: string): Row => [c, 'invoke', 'order', { product: p, quantity: 1 }];
  const ok = (p: string, c: string): Row => [c, 'ok', 'order', { product: p, quantity: 1 }];
  const refused = (p: string, c: string): Row => [c, 'fail', 'order', { product: p, quantity: 1 }, callAbort(`Stock quantity for Product [${p}] not enough – requested at [2024-01-01T00:00:00Z]`)];
  const final = (stock: Record<string, number>, sold: Record<string, number>): Row[] => [
    ['final', 'invoke', 'final', null],
    ['final', 'ok', 'final', { stock, sold }],
  ];
  const good: Row[] = [order('1', 'a'), order('1', 'b'), order('2', 'c'), ok('1', 'a'), refused('1', 'b'), ok('2', 'c'), ...final({ '1': 0, '2': 2 }, { '1': 1, '2': 1 })];
  test('accepts min(stock, demand) accepted orders', () => assertValid(checkOversell(hist(good), o)));
  test('rejects an oversold product', () => {
    const bad: Row[] = [order('1', 'a'), order('1', 'b'), ok('1', 'a'), ok('1', 'b'), ...final({ '1': -1, '2': 3 }, { '1': 2 })];
    const r = checkOversell(hist(bad), o);
    assertInvalid(r, /product 1: 2 orders accepted, expected min\(stock 1, demand 2\) = 1/);
    assertInvalid(r, /product 1: stock is -1/);
  });
  test('rejects an order refused although stock was left', () => {
    const bad: Row[] = [order('2', 'a'), refused('2', 'a'), ...final({ '1': 1, '2': 3 }, {})];
    assertInvalid(checkOversell(hist(bad), o), /product 2: 0 orders accepted, expected min\(stock 3, demand 1\) = 1/);
  });
  test('rejects a refusal for another reason', () => {
    const bad = good.map((r, i): Row => (i === 4 ? ['b', 'fail', 'order', r[3], { code: 'contended transaction', description: 'busy' }] : r));
    assertInvalid(checkOversell(hist(bad), o), /other than its stock/);
  });
  test('rejects stock + sold != initial, and sold != accepted', () => {
    const bad: Row[] = [...good.slice(0, 6), ...final({ '1': 0, '2': 1 }, { '1': 1, '2': 1 })];
    assertInvalid(checkOversell(hist(bad), o), /product 2: stock 1 \+ sold 1 = 2, not the initial 3/);
    const bad2: Row[] = [...good.slice(0, 6), ...final({ '1': 0, '2': 1 }, { '1': 1, '2': 2 })];
    assertInvalid(checkOversell(hist(bad2), o), /add up to 2, but 1 were accepted/);
  });
  test('rejects an order with an unknown outcome', () => {
    const bad: Row[] = [order('2', 'a'), ['a', 'info', 'order', { product: '2', quantity: 1 }], ...final({ '1': 1, '2': 3 }, {})];
    assertInvalid(checkOversell(hist(bad), o), /unknown outcome/);
  });
});

describe('checkLostUpdate', () => {
  const append = (c: string, e: number, type: OpType = 'ok'): Row[] => [
    [c, 'invoke', 'append', { element: e }],
    [c, type, 'append', { element: e }],
  ];
  const read = (c: string, items: number[]): Row[] => [
    [c, 'invoke', 'read', null],
    [c, 'ok', 'read', { items }],
  ];
  const final = (items: number[]): Row[] => [
    ['final', 'invoke', 'final', null],
    ['final', 'ok', 'final', { items }],
  ];
  test('accepts every acknowledged element once, reads as prefixes', () => {
    assertValid(checkLostUpdate(hist([...append('a', 1), ...read('b', [1]), ...append('b', 2), ...final([1, 2])])));
  });
  test('rejects a lost append', () => {
    assertInvalid(checkLostUpdate(hist([...append('a', 1), ...append('b', 2), ...final([2])])), /lost update: element 1/);
  });
  test('rejects duplicates and unknown elements', () => {
    assertInvalid(checkLostUpdate(hist([...append('a', 1), ...final([1, 1])])), /appears 2 times/);
    assertInvalid(checkLostUpdate(hist([...append('a', 1), ...final([1, 9])])), /9 is in the final array but was never appended/);
  });
  test('rejects a failed append that shows up', () => {
    assertInvalid(checkLostUpdate(hist([...append('a', 1, 'fail'), ...final([1])])), /although its append failed/);
  });
  test('rejects a read that is not a prefix of the final array', () => {
    assertInvalid(checkLostUpdate(hist([...append('a', 1), ...append('a', 2), ...read('b', [2]), ...final([1, 2])])), /not a prefix/);
  });
  test('rejects a stale read (misses an append acknowledged before it began)', () => {
    assertInvalid(checkLostUpdate(hist([...append('a', 1), ...read('b', []), ...final([1])])), /stale read: misses 1/);
    // With overlapping operations the same read is fine.
    assertValid(
      checkLostUpdate(
        hist([
          ['b', 'invoke', 'read', null],
          ...append('a', 1),
          ['b', 'ok', 'read', { items: [] }],
          ...final([1]),
        ]),
      ),
    );
  });
});

describe('checkUnique', () => {
  const goc = (c: string, id: string): Row[] => [
    [c, 'invoke', 'get-or-create', { key: 'k' }],
    [c, 'ok', 'get-or-create', { key: 'k', id }],
  ];
  const final = (docs: Record<string, string[]>): Row[] => [
    ['final', 'invoke', 'final', null],
    ['final', 'ok', 'final', { docs }],
  ];
  const notUnique: OpError = { code: 'instance not unique', description: 'document is not unique.' };
  test('accepts one document returned to everyone, and refused blind creates', () => {
    assertValid(
      checkUnique(
        hist([
          ...goc('a', '7'),
          ...goc('b', '7'),
          ['a', 'invoke', 'create', { key: 'b' }],
          ['b', 'invoke', 'create', { key: 'b' }],
          ['a', 'ok', 'create', { key: 'b', id: '8' }],
          ['b', 'fail', 'create', { key: 'b' }, notUnique],
          ...final({ k: ['7'], b: ['8'] }),
        ]),
      ),
    );
  });
  test('rejects two documents for a key', () => {
    assertInvalid(checkUnique(hist([...goc('a', '7'), ...goc('b', '9'), ...final({ k: ['7', '9'] })])), /key k: 2 documents/);
  });
  test('rejects a call that returned another document than the one that exists', () => {
    assertInvalid(checkUnique(hist([...goc('a', '7'), ...goc('b', '9'), ...final({ k: ['7'] })])), /returned document 9 for k/);
  });
  test('rejects two successful blind creates, and other errors', () => {
    const two: Row[] = [
      ['a', 'invoke', 'create', { key: 'b' }],
      ['a', 'ok', 'create', { key: 'b', id: '8' }],
      ['b', 'invoke', 'create', { key: 'b' }],
      ['b', 'ok', 'create', { key: 'b', id: '9' }],
      ...final({ b: ['8'] }),
    ];
    assertInvalid(checkUnique(hist(two)), /2 blind creates succeeded/);
    const other: Row[] = [...goc('a', '7'), ['b', 'invoke', 'get-or-create', { key: 'k' }], ['b', 'fail', 'get-or-create', { key: 'k' }, { code: 'contended transaction', description: 'busy' }], ...final({ k: ['7'] })];
    assertInvalid(checkUnique(hist(other)), /other than 'instance not unique'/);
  });
});

describe('checkInternal', () => {
  const steps: Step[] = [
    { k: 'create', key: 'x', val: 2 },
    { k: 'create', key: 'x', val: -1 },
    { k: 'match', key: 'x' },
    { k: 'update', target: 0, val: 0.5 },
    { k: 'get', target: 0 },
    { k: 'delete', target: 1 },
    { k: 'count', key: 'x' },
    { k: 'get', target: 1 },
    { k: 'match', key: 'y' },
  ];
  test('the model: reads see earlier steps only', () => {
    const m = modelSteps(steps);
    assert.deepEqual(m.reads, [[-1, 2], 0.5, 1, null, []]);
    assert.deepEqual([...m.cells], [['x', [0.5]]]);
  });
  const txn = (observed: unknown[]): Row[] => [
    ['a', 'invoke', 'txn', { steps }],
    ['a', 'ok', 'txn', { steps, observed }],
  ];
  const final = (cells: [string, number][]): Row[] => [
    ['final', 'invoke', 'final', null],
    ['final', 'ok', 'final', { cells }],
  ];
  test('accepts reads that match the model and a matching final state', () => {
    assertValid(checkInternal(hist([...txn([[-1, 2], 0.5, 1, null, []]), ...final([['x', 0.5]])])));
  });
  test('rejects a read that missed an earlier write of the same query (through the index)', () => {
    assertInvalid(checkInternal(hist([...txn([[2], 0.5, 1, null, []]), ...final([['x', 0.5]])])), /step 2 .* saw \[2\], expected \[-1,2\]/);
  });
  test('rejects a read that saw a later write (a delete before it happened)', () => {
    assertInvalid(checkInternal(hist([...txn([[-1, 2], 0.5, 1, null, []]), ...final([['x', 0.5], ['x', -1]])])), /key x: the database holds \[-1,0.5\]/);
    assertInvalid(checkInternal(hist([...txn([[-1, 2], 2, 1, null, []]), ...final([['x', 0.5]])])), /step 4 .* saw 2, expected 0.5/);
  });
  test('rejects writes of a failed query that remain', () => {
    const failed: Row[] = [
      ['a', 'invoke', 'txn', { steps }],
      ['a', 'fail', 'txn', { steps }, { code: 'transaction aborted', description: 'x' }],
    ];
    assertInvalid(checkInternal(hist([...failed, ...final([['x', 0.5]])])), /key x: written by a query that failed/);
  });
});

describe('checkCrash', () => {
  const txn = (t: number, size: number, type: OpType = 'ok'): Row[] => [
    ['w1', 'invoke', 'txn', { txn: t, size }],
    ...(type === 'invoke' ? [] : ([['w1', type, 'txn', { txn: t, size }]] as Row[])),
  ];
  const recover = (v: Partial<RecoverValue> & { counter: number; groups: [number, number, number][] }): Row[] => [
    ['checker', 'invoke', 'recover', null],
    ['checker', 'ok', 'recover', { round: 1, integrity: ['ok'], problems: [], ...v }],
  ];
  test('accepts acknowledged, whole groups and one unacknowledged in-flight commit', () => {
    assertValid(checkCrash(hist([...txn(1, 2), ...txn(2, 3), ...txn(3, 1, 'invoke'), ...recover({ counter: 3, groups: [[1, 2, 2], [2, 3, 3], [3, 1, 1]] })])));
  });
  test('rejects a missing acknowledged transaction', () => {
    assertInvalid(checkCrash(hist([...txn(1, 2), ...txn(2, 3), ...recover({ counter: 1, groups: [[1, 2, 2]] })])), /acknowledged transaction 2 is missing/);
  });
  test('rejects a partial group', () => {
    assertInvalid(checkCrash(hist([...txn(1, 2), ...txn(2, 3, 'invoke'), ...recover({ counter: 2, groups: [[1, 2, 2], [2, 1, 3]] })])), /partial transaction 2: 1 of 3/);
  });
  test('rejects groups and counter that disagree', () => {
    assertInvalid(checkCrash(hist([...txn(1, 2), ...recover({ counter: 2, groups: [[1, 2, 2]] })])), /counter is 2 but group 2 is missing/);
    assertInvalid(checkCrash(hist([...txn(1, 2), ...recover({ counter: 0, groups: [[1, 2, 2]] })])), /group 1 present but the counter is 0/);
  });
  test('rejects a failed integrity check or index problem, and a counter that goes back', () => {
    assertInvalid(checkCrash(hist([...txn(1, 1), ...recover({ counter: 1, groups: [[1, 1, 1]], integrity: ['*** in database main ***'] })])), /integrity_check/);
    assertInvalid(checkCrash(hist([...txn(1, 1), ...recover({ counter: 1, groups: [[1, 1, 1]], problems: ['index g: document 1 is missing an entry'] })])), /missing an entry/);
    assertInvalid(
      checkCrash(hist([...txn(1, 1), ...txn(2, 1, 'invoke'), ...recover({ counter: 2, groups: [[1, 1, 1], [2, 1, 1]] }), ...recover({ counter: 1, groups: [[1, 1, 1]] })])),
      /counter went back from 2 to 1/,
    );
  });
  const observe = (counter: number, groups: [number, number, number][]): Row[] => [
    ['reader', 'invoke', 'observe', null],
    ['reader', 'ok', 'observe', { counter, groups }],
  ];
  test('accepts reads by another connection that see whole groups and every earlier acknowledgement', () => {
    assertValid(checkCrash(hist([...txn(1, 2), ...observe(1, [[1, 2, 2]]), ...txn(2, 1), ...recover({ counter: 2, groups: [[1, 2, 2], [2, 1, 1]] })])));
  });
  test('rejects a read by another connection that sees a partial group, or misses an acknowledged one', () => {
    assertInvalid(checkCrash(hist([...txn(1, 2), ...observe(1, [[1, 1, 2]]), ...recover({ counter: 1, groups: [[1, 2, 2]] })])), /observe: partial transaction 1/);
    assertInvalid(checkCrash(hist([...txn(1, 2), ...observe(0, []), ...recover({ counter: 1, groups: [[1, 2, 2]] })])), /observe: misses transaction 1/);
    assertInvalid(checkCrash(hist([...txn(1, 2), ...observe(2, [[1, 2, 2]]), ...recover({ counter: 1, groups: [[1, 2, 2]] })])), /observe: counter 2 but groups 1/);
  });
  test('rejects more than one unacknowledged transaction per round', () => {
    assertInvalid(checkCrash(hist([...txn(1, 1, 'invoke'), ...recover({ counter: 2, groups: [[1, 1, 1], [2, 1, 1]] })])), /2 transactions present without acknowledgement/);
  });
});

describe('checkTimestamps', () => {
  const isWrite = (op: Op): boolean => op.f === 'write';
  const op = (c: string, f: string, ts: number): Row[] => [
    [c, 'invoke', f, null],
    [c, 'ok', f, { ts }],
  ];
  test('accepts timestamps that follow real time, and any order for overlapping operations', () => {
    assertValid(checkTimestamps(hist([...op('a', 'write', 10), ...op('b', 'read', 10), ...op('a', 'write', 11), ...op('b', 'read', 12)]), isWrite));
    assertValid(
      checkTimestamps(
        hist([
          ['a', 'invoke', 'write', null],
          ['b', 'invoke', 'read', null],
          ['b', 'ok', 'read', { ts: 5 }],
          ['a', 'ok', 'write', { ts: 9 }],
        ]),
        isWrite,
      ),
    );
  });
  test('rejects a read whose timestamp goes back', () => {
    assertInvalid(checkTimestamps(hist([...op('a', 'read', 10), ...op('b', 'read', 9)]), isWrite), /#3 \(read\) has timestamp 9, 1 µs before that of #1/);
  });
  test('rejects a write at or before an earlier operation, and two writes at one timestamp', () => {
    assertInvalid(checkTimestamps(hist([...op('a', 'read', 10), ...op('b', 'write', 10)]), isWrite), /#3 \(write\) has timestamp 10/);
    assertInvalid(
      checkTimestamps(
        hist([
          ['a', 'invoke', 'write', null],
          ['b', 'invoke', 'write', null],
          ['a', 'ok', 'write', { ts: 7 }],
          ['b', 'ok', 'write', { ts: 7 }],
        ]),
        isWrite,
      ),
      /two writes committed at the same timestamp 7/,
    );
  });
});
