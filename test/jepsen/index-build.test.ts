/**
 * index build under churn: an index over 12 000 documents is built in the
 * background by an EngineHost's writer while four other processes keep
 * updating, deleting and creating those documents. When the index turns
 * active, it must agree exactly with the documents (verifyDatabase), and
 * Match through it must count what the documents say.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { Child } from '../helpers/child.js';
import { checkWellFormed, describeResult } from './checkers.js';
import type { ClientProcessConfig } from './client-process.js';
import { engineConn, fqlExpr, mustRun, num } from './conn.js';
import { History, now } from './history.js';
import { churn } from './workloads/churn.js';
import { workloadParams } from './workload.js';
import type { Json, JsonObject } from '../../shared/fql/json.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('jepsen index build under churn', () => {
  test('a background index build agrees with documents written by four other processes meanwhile', async (t) => {
    const params = workloadParams();
    const dir = mkdtempSync(join(tmpdir(), 'stockroom-index-build-'));
    const file = join(dir, 'db.sqlite');
    try {
      const setup = Engine.open(file);
      await mustRun(engineConn(setup, 'setup'), churn.setup(params));
      setup.close();
      const host = await EngineHost.start({ file, pollMs: 100 });
      const history = new History('index-build');
      try {
        const n = churn.clients(params);
        const children = await Promise.all(
          Array.from({ length: n }, (_, k) => {
            const config: ClientProcessConfig = { workload: churn.name, file, via: 'engine', params, clientIds: [k] };
            return Child.start(join(here, 'client-process.ts'), [JSON.stringify(config)]);
          }),
        );
        await Promise.all(children.map((c) => c.waitForLine((l) => l === 'ready')));
        for (const c of children) {
          c.send('go');
          c.endInput();
        }
        const created = await host.query(fqlExpr('CreateIndex({ name: "items_by_g", source: Collection("items"), terms: [{ field: ["data", "g"] }], values: [{ field: ["data", "n"] }, { field: ["ref"] }] })'), 'test');
        assert.ok(created.ok, JSON.stringify(created.ok || created.errors));
        assert.equal((created.resource as JsonObject).active, false, 'the index was built at once; this test needs a background build');
        const createdAt = now();
        // Wait for the build to finish (Match fails while the index is not active).
        let activeAt = 0;
        const deadline = Date.now() + 120_000;
        while (Date.now() < deadline) {
          const r = await host.query(fqlExpr('Count(Match(Index("items_by_g"), 3))'), 'test');
          if (r.ok) {
            activeAt = now();
            break;
          }
          assert.match(r.errors[0]!.description, /not active/);
          await sleep(20);
        }
        assert.ok(activeAt > 0, 'the index never became active');
        await Promise.all(children.map((c) => c.succeeded()));
        for (const c of children) history.merge(c.lines.filter((l) => l.startsWith('op ')).map((l) => History.parseLine(l.slice(3))));
        const duringBuild = history.ops.filter((o) => o.type === 'ok' && o.time > createdAt && o.time < activeAt).length;
        const wf = checkWellFormed(history.ops);
        assert.ok(wf.valid, describeResult(wf));
        const r = churn.check(history.ops, params, { multiProcess: true });
        assert.ok(r.valid, describeResult(r));
        const check = await host.check();
        assert.ok(check.ok, `verifyDatabase (seed ${params.seed}, history in ${history.write()}):\n${check.lines.slice(0, 20).join('\n')}`);
        // And through Match: the count per group equals the documents'.
        const counts = await host.query(
          fqlExpr(`{
            byIndex: Map([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], Lambda("g", Count(Match(Index("items_by_g"), Var("g"))))),
            byDocs: Select("data", Paginate(Documents(Collection("items")), { size: 100000 }))
          }`),
          'test',
        );
        assert.ok(counts.ok);
        const o = counts.resource as JsonObject;
        const byIndex = (o.byIndex as Json[]).map(num);
        const ids = o.byDocs as Json[];
        assert.equal(byIndex.reduce((a, b) => a + b, 0), ids.length, 'the index holds a different number of documents');
        t.diagnostic(`${ids.length} documents; ${duringBuild} writes completed by other processes while the index was building (${Math.round(activeAt - createdAt)} ms); ${JSON.stringify(r.stats)}; seed ${params.seed}`);
      } finally {
        history.write();
        await host.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
