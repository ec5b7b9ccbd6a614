/**
 * host: the EngineHost under runaway queries, stuck and crashed workers, and
 * commits from another process.
 * - A runaway query (a huge Reduce, an ever-doubling array or string, a UDF
 *   recursing without end) stops with a clear error and writes nothing,
 *   while the other clients' operations go through.
 * - A query stuck where the engine cannot interrupt it is stopped by the
 *   host's hard deadline: its worker is replaced, its caller gets `time out`,
 *   nothing it wrote stays, and the requests queued behind it still run.
 * - A crashed writer worker is reported to its caller and replaced; queued
 *   requests run on the new one and the write lock is not left behind.
 * - Commits made by another process on the same file arrive as change events.
 * Every test ends with the host's check (integrity_check + index verifier).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { FaunaErrorJson } from '../../electron/engine/errors.js';
import { EngineHost, type HostOptions } from '../../electron/host/engine-host.js';
import type { ChangeEvent } from '../../electron/host/protocol.js';
import type { Json } from '../../shared/fql/json.js';
import { Child } from '../helpers/child.js';
import { checkWellFormed, describeResult } from './checkers.js';
import { complete, fqlExpr, hostConn, mustRun, num, type Conn } from './conn.js';
import { History, plain } from './history.js';

const here = dirname(fileURLToPath(import.meta.url));

async function withHost(name: string, options: Omit<HostOptions, 'file'>, body: (host: EngineHost, file: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `stockroom-host-${name}-`));
  const file = join(dir, 'db.sqlite');
  const host = await EngineHost.start({ file, ...options });
  try {
    await mustRun(hostConn(host, 'setup'), 'CreateCollection({ name: "marks" })\nCreateCollection({ name: "notes" })');
    await body(host, file);
    const check = await host.check();
    assert.ok(check.ok, `verifyDatabase after ${name}:\n${check.lines.join('\n')}`);
  } finally {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The innermost cause of an error (call errors nest one per call). */
function innermost(e: FaunaErrorJson): FaunaErrorJson {
  let cur = e;
  while (cur.cause?.[0]) cur = cur.cause[0];
  return cur;
}

async function marks(host: EngineHost): Promise<number> {
  const r = await host.query(fqlExpr('Count(Documents(Collection("marks")))'), 'test');
  assert.ok(r.ok);
  return num(r.resource);
}

/** `n` clients each alternately writing a note and counting notes; records a history. */
async function bystanders(conns: Conn[], history: History, ops: number): Promise<void> {
  await Promise.all(
    conns.map(async (conn, c) => {
      for (let i = 0; i < ops; i++) {
        const write = i % 2 === 0;
        const expr = write ? fqlExpr(`Create(Collection("notes"), { data: { c: ${c}, i: ${i} } })`) : fqlExpr('Count(Documents(Collection("notes")))');
        await history.run(`c${c}`, write ? 'write' : 'read', { i }, async () => complete(await conn.query(expr), () => ({ i })));
      }
    }),
  );
}

/** The history is well formed and every operation of the clients `c0`, `c1`, ... succeeded. */
function assertAllOk(history: History, what: string): void {
  const wf = checkWellFormed(history.ops);
  assert.ok(wf.valid, describeResult(wf));
  const bad = history.ops.filter((o) => /^c\d+$/.test(o.process) && o.type !== 'invoke' && o.type !== 'ok');
  assert.deepEqual(bad, [], `${what}: other clients' operations failed (history in ${history.write()})`);
  history.write();
}

const ARRAY_3000 = JSON.stringify(Array.from({ length: 3000 }, (_, i) => i));
const FORTY = JSON.stringify(Array.from({ length: 40 }, (_, i) => i));

describe('jepsen host: runaway queries, stuck and crashed workers, other processes', () => {
  test('runaway queries stop with a clear error and roll back while other clients carry on', async () => {
    await withHost('runaway', {}, async (host) => {
      await mustRun(hostConn(host, 'setup'), 'CreateFunction({ name: "forever", body: Query(Lambda("n", Call(Function("forever"), Add(Var("n"), 1)))) })');
      const history = new History('host-runaway');
      const runaways: [string, string, number | undefined, (e: FaunaErrorJson) => void][] = [
        [
          'a Reduce over a Reduce (9 million steps) past its 300 ms budget',
          `Reduce(Lambda(["acc", "x"], Add(Var("acc"), Reduce(Lambda(["a", "y"], Add(Var("a"), Var("y"))), 0, ${ARRAY_3000}))), 0, ${ARRAY_3000})`,
          300,
          (e) => assert.equal(e.code, 'processing time limit exceeded'),
        ],
        [
          'an array doubled 40 times',
          `Count(Reduce(Lambda(["acc", "x"], Append(Var("acc"), Var("acc"))), [1], ${FORTY}))`,
          undefined,
          (e) => assert.match(`${e.code}: ${e.description}`, /^invalid argument: Result too large/),
        ],
        [
          'a string doubled 40 times',
          `Length(Reduce(Lambda(["acc", "x"], Concat([Var("acc"), Var("acc")])), "ab", ${FORTY}))`,
          undefined,
          (e) => assert.match(`${e.code}: ${e.description}`, /^invalid argument: Result too large/),
        ],
        ['a function that calls itself forever', 'Call(Function("forever"), 0)', undefined, (e) => assert.equal(innermost(e).code, 'stack overflow')],
      ];
      for (const [what, runaway, timeoutMs, expectError] of runaways) {
        const before = await marks(host);
        const started = Date.now();
        // The runaway writes first, so the rollback is visible; the other clients start at the same moment.
        const runawayReply = host.query(fqlExpr(`Do(Create(Collection("marks"), { data: { what: ${JSON.stringify(what)} } }), ${runaway})`), 'runaway', timeoutMs ? { timeoutMs } : {});
        const others = bystanders(Array.from({ length: 6 }, (_, c) => hostConn(host, `client:${c}`)), history, 10);
        const r = await runawayReply;
        const took = Date.now() - started;
        assert.ok(!r.ok, `${what}: succeeded`);
        expectError(r.errors[0]!);
        assert.ok(took < 15_000, `${what}: took ${took} ms to stop`);
        await others;
        assert.equal(await marks(host), before, `${what}: its write was not rolled back`);
      }
      assertAllOk(history, 'runaway');
      assert.equal(host.restartCount, 0);
    });
  });

  test('a regex that would backtrack catastrophically is stopped within the time limit and rolled back; other clients carry on', async () => {
    await withHost('stuck', { hardDeadlineGraceMs: 500 }, async (host) => {
      // Exponential backtracking inside one RegExp call: the engine runs such patterns in its
      // regex helper thread and gives up on them when the query's time is up.
      const stuck = 'ContainsStrRegex("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "(a*)*b")';
      for (const kind of ['write', 'read'] as const) {
        const history = new History(`host-stuck-${kind}`);
        const restarts = host.restartCount;
        const started = Date.now();
        const expr = kind === 'write' ? fqlExpr(`Do(Create(Collection("marks"), { data: { stuck: true } }), ${stuck})`) : fqlExpr(stuck);
        const stuckReply = history.run('stuck', kind, null, async () => {
          const r = await host.query(expr, 'stuck', { timeoutMs: 300 });
          return complete(r.ok ? { ok: true, resource: r.resource, ts: r.ts } : { ok: false, error: r.errors[0]! }, (v) => v);
        });
        await sleep(50);
        const others = bystanders(Array.from({ length: 4 }, (_, c) => hostConn(host, `client:${c}`)), history, 6);
        const op = await stuckReply;
        const took = Date.now() - started;
        assert.ok(op.type !== 'ok', `${kind}: the stuck query succeeded`);
        assert.equal(op.error?.code, 'processing time limit exceeded', `${kind}: ${JSON.stringify(op)}`);
        assert.ok(took < 5_000, `${kind}: took ${took} ms`);
        await others;
        assertAllOk(history, `stuck ${kind}`);
        assert.equal(host.restartCount, restarts, `${kind}: the worker should not have needed replacing`);
        assert.equal(await marks(host), 0, `${kind}: the stuck query's write is visible`);
      }
    });
  });

  test('a crashed writer worker is reported to its caller and replaced; queued requests run and the write lock is free', async () => {
    await withHost('crash', {}, async (host) => {
      const history = new History('host-crash');
      // A write transaction that is still running (holding SQLite's write lock) when the worker dies.
      const slow = fqlExpr(`Do(Create(Collection("marks"), { data: { slow: true } }), Reduce(Lambda(["acc", "x"], Add(Var("acc"), Reduce(Lambda(["a", "y"], Add(Var("a"), Var("y"))), 0, ${ARRAY_3000}))), 0, ${ARRAY_3000}))`);
      const slowOp = history.run('slow', 'write', null, async () => complete(await hostConn(host, 'slow').query(slow), () => null));
      await sleep(200);
      const queued = bystanders(Array.from({ length: 4 }, (_, c) => hostConn(host, `client:${c}`)), history, 6);
      await sleep(20);
      host.simulateCrash();
      const op = await slowOp;
      assert.equal(op.type, 'info', `the crashed request: ${JSON.stringify(op)}`);
      assert.equal(op.error?.code, 'internal server error');
      assert.match(op.error!.description, /stopped unexpectedly/);
      const started = Date.now();
      await queued;
      assertAllOk(history, 'crash');
      assert.ok(Date.now() - started < 5_000, 'the queued requests waited for a lock the dead worker held');
      assert.equal(host.restartCount, 1);
      assert.equal(await marks(host), 0, 'the crashed transaction is visible');
      const w = await host.query(fqlExpr('Create(Collection("marks"), { data: { after: true } })'), 'test');
      assert.ok(w.ok, JSON.stringify(plain(w)));
      assert.equal(await marks(host), 1);
    });
  });

  test('a worker that crashes inside a group commit: the running request fails, the other requests of the group run once', async () => {
    await withHost('crash-group', {}, async (host) => {
      // While a first write keeps the worker busy, five more queue up; they then reach the worker
      // together and run as one group commit: two quick writes, the slow one (running when the
      // worker dies), two more quick writes.
      const reduce = (outer: string): string => `Reduce(Lambda(["acc", "x"], Add(Var("acc"), Reduce(Lambda(["a", "y"], Add(Var("a"), Var("y"))), 0, ${ARRAY_3000}))), 0, ${outer})`;
      const busy = fqlExpr(`Do(Create(Collection("marks"), { data: { n: 0 } }), ${reduce(JSON.stringify(Array.from({ length: 60 }, (_, i) => i)))})`);
      const slow = fqlExpr(`Do(Create(Collection("marks"), { data: { n: "slow" } }), ${reduce(ARRAY_3000)})`);
      const quick = (n: number): Json => fqlExpr(`Create(Collection("marks"), { data: { n: ${n} } })`);
      const first = host.query(busy, 'busy');
      await sleep(20);
      const replies = [host.query(quick(1), 'c1'), host.query(quick(2), 'c2'), host.query(slow, 'slow'), host.query(quick(3), 'c3'), host.query(quick(4), 'c4')];
      const b = await first;
      assert.ok(b.ok, JSON.stringify(plain(b)));
      await sleep(300);
      host.simulateCrash();
      const [r1, r2, rs, r3, r4] = await Promise.all(replies);
      assert.ok(rs && !rs.ok, 'the slow request succeeded');
      assert.match(rs.errors[0]!.description, /stopped unexpectedly/);
      for (const r of [r1, r2, r3, r4]) assert.ok(r?.ok, JSON.stringify(r && plain(r)));
      assert.equal(host.restartCount, 1);
      // Each quick write exactly once (the first two ran again on the new worker: their first run was never committed).
      const ns = await host.query(fqlExpr('Map(Paginate(Documents(Collection("marks"))), Lambda("r", Select(["data", "n"], Get(Var("r")))))'), 'test');
      assert.ok(ns.ok);
      assert.deepEqual([...((ns.resource as { data: unknown[] }).data as bigint[])].map(Number).sort(), [0, 1, 2, 3, 4]);
    });
  });

  test('commits made by another process arrive as change events', async () => {
    await withHost('feed', { pollMs: 50 }, async (host, file) => {
      const events: ChangeEvent[] = [];
      host.onChange((e) => events.push(e));
      const own = await host.query(fqlExpr('Create(Collection("notes"), { data: { from: "host" } })'), 'host-client');
      assert.ok(own.ok);
      const child = await Child.start(join(here, 'writer-process.ts'), [file, '12']);
      await child.waitForLine((l) => l === 'ready');
      child.send('go');
      child.endInput();
      await child.succeeded();
      const commits = child.lines.filter((l) => l.startsWith('commit ')).map((l) => JSON.parse(l.slice(7)) as { ts: string; id: string });
      assert.equal(commits.length, 12);
      const deadline = Date.now() + 10_000;
      const seen = (ts: string): boolean => events.some((e) => e.ts === ts);
      while (!commits.every((c) => seen(c.ts)) && Date.now() < deadline) await sleep(20);
      for (const c of commits) {
        const matching = events.filter((e) => e.ts === c.ts);
        assert.equal(matching.length, 1, `commit ${c.ts} of the other process arrived ${matching.length} times`);
        assert.equal(matching[0]!.origin, `process:${child.pid}`);
        assert.deepEqual(matching[0]!.changes, [{ collection: 'notes', id: c.id, action: 'create' }]);
      }
      assert.ok(events.some((e) => e.ts === own.ts.toString() && e.origin === 'host-client'), 'the host’s own commit was not published');
      const order = events.map((e) => BigInt(e.ts));
      assert.ok(order.every((ts, i) => i === 0 || ts > order[i - 1]!), `events out of order: ${order.join(', ')}`);
      const history = new History('host-feed');
      for (const e of events) {
        history.record('feed', 'invoke', 'change', null);
        history.record('feed', 'ok', 'change', e as unknown as Json);
      }
      history.write();
    });
  });
});
