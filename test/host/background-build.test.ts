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
import { Engine } from '../../electron/engine/engine.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { fqlExpr } from '../jepsen/conn.js';

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
});
