/**
 * A background index build in the host's writer, its steps interleaved with
 * the requests of clients writing back to back: the index turns active,
 * agrees with the documents (those written meanwhile too), and every write
 * meanwhile succeeded.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../../electron/engine/engine.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { fqlExpr } from '../jepsen/conn.js';
import type { ChangeEvent } from '../../shared/api/contract.js';

const DOCS = 30_000;
const CLIENTS = 6;

describe('background builds in the host', () => {
  test('an index over 30 000 documents turns active while six clients write back to back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-host-build-'));
    const file = join(dir, 'db.sqlite');
    try {
      const setup = Engine.open(file);
      const mustRun = (text: string): void => {
        const r = setup.query(fqlExpr(text));
        assert.ok(r.ok, r.ok ? '' : r.error.description);
      };
      mustRun('CreateCollection({name: "items"})');
      for (let start = 0; start < DOCS; start += 5000) {
        const ns = Array.from({ length: 5000 }, (_, k) => start + k);
        mustRun(`Foreach(${JSON.stringify(ns)}, Lambda("n", Create(Collection("items"), {data: {n: Var("n")}})))`);
      }
      setup.close();

      const host = await EngineHost.start({ file, pollMs: 100 });
      const events: ChangeEvent[] = [];
      host.onChange((e) => events.push(e));
      try {
        const created = await host.query(fqlExpr('CreateIndex({name: "items_by_n", source: Collection("items"), values: [{field: ["data", "n"]}, {field: ["ref"]}]})'), 'test');
        assert.ok(created.ok, 'CreateIndex');
        let active = false;
        let writes = 0;
        const writers = Array.from({ length: CLIENTS }, async (_, c) => {
          for (let k = 0; !active; k++) {
            const r = await host.query(fqlExpr(`Create(Collection("items"), {data: {n: ${-1 - c * 1_000_000 - k}}})`), `client ${c}`);
            assert.ok(r.ok, 'a write during the build failed');
            writes++;
          }
        });
        const deadline = Date.now() + 120_000;
        while (!active) {
          assert.ok(Date.now() < deadline, `the index was not active after 120 s of back-to-back writes (${writes} writes done)`);
          const r = await host.query(fqlExpr('Select("active", Get(Index("items_by_n")))'), 'test');
          active = r.ok && r.resource === true;
        }
        await Promise.all(writers);
        // The step that made the index active has no ledger row: it is announced as an event without changes.
        while (!events.some((e) => e.origin === 'index build' && e.changes.length === 0)) {
          assert.ok(Date.now() < deadline, 'no change event announced the end of the build');
          await sleep(20);
        }
        assert.ok(writes > 0, 'the clients wrote during the build');
        const count = await host.query(fqlExpr('Count(Match(Index("items_by_n")))'), 'test');
        const docs = await host.query(fqlExpr('Count(Documents(Collection("items")))'), 'test');
        assert.ok(count.ok && docs.ok);
        assert.ok(Number(docs.resource) >= DOCS, `documents: ${String(docs.resource)}`);
        assert.deepEqual(count.resource, docs.resource, 'one entry per document');
        const check = await host.check();
        assert.ok(check.ok, check.lines.join('\n'));
      } finally {
        await host.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('an index built by another process is announced as a change event when it turns active', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-host-build-'));
    const file = join(dir, 'db.sqlite');
    try {
      const other = Engine.open(file);
      const mustRun = (text: string): void => {
        const r = other.query(fqlExpr(text));
        assert.ok(r.ok, r.ok ? '' : r.error.description);
      };
      mustRun('CreateCollection({name: "items"})');
      for (let start = 0; start < 12_000; start += 4000) mustRun(`Foreach(${JSON.stringify(Array.from({ length: 4000 }, (_, k) => start + k))}, Lambda("n", Create(Collection("items"), {data: {n: Var("n")}})))`);
      const host = await EngineHost.start({ file, pollMs: 50 });
      const events: ChangeEvent[] = [];
      host.onChange((e) => events.push(e));
      try {
        mustRun('CreateIndex({name: "items_by_n", source: Collection("items"), values: [{field: ["data", "n"]}]})');
        const created = await host.query(fqlExpr('Select("active", Get(Index("items_by_n")))'), 'test');
        assert.ok(created.ok && created.resource === false, 'the index is built in the background');
        const before = events.length;
        other.finishBackgroundWork();
        const deadline = Date.now() + 10_000;
        // The host's own writer may take over steps of the build meanwhile (it runs pending builds
        // too); whoever finishes it, an event without changes tells the views.
        while (!events.slice(before).some((e) => (e.origin === 'maintenance' || e.origin === 'index build') && e.changes.length === 0)) {
          assert.ok(Date.now() < deadline, 'the host did not announce the other process\'s build');
          await sleep(20);
        }
        const active = await host.query(fqlExpr('Select("active", Get(Index("items_by_n")))'), 'test');
        assert.ok(active.ok && active.resource === true);
      } finally {
        await host.close();
        other.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
