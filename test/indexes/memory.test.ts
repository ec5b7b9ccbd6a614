/**
 * What a page leaves behind: a ref kept from a page (a cursor, a ref an app
 * holds on to) must keep only itself alive, not the text the page was read
 * from, and the compiled forms the engine keeps for reuse must not keep bulk
 * loads. Both were real: ids cut from a batch text with `split` are slices of
 * it in V8 (a kept ref held ~20 KB), and an unbounded cache of compiled
 * expressions held every document of every bulk load.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { test } from 'node:test';
import type { Engine } from '../../electron/engine/engine.js';
import type { Json } from '../../shared/fql/json.js';
import { memoryEngine } from '../helpers/engine.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function load(engine: Engine, count: number, batch: number): void {
  const create = (r: Json) => engine.query(r);
  create({ create_collection: { object: { name: 'items' } } });
  create({ create_index: { object: { name: 'by_n', source: { collection: 'items' }, values: [{ object: { field: ['data', 'n'] } }, { object: { field: ['ref'] } }] } } });
  for (let start = 0; start < count; start += batch) {
    const docs: Json[] = [];
    for (let i = start; i < start + batch; i++) docs.push({ object: { n: BigInt(i), name: `item ${i} ${'x'.repeat(200)}` } });
    const r = create({ foreach: { lambda: 'd', expr: { create: { collection: 'items' }, params: { object: { data: { var: 'd' } } } } }, collection: docs });
    assert.equal(r.ok, true);
  }
}

/** Reads the whole index in pages of 1 000, keeping one ref of each page when `kept` is given. */
function readPages(engine: Engine, kept: unknown[] | null): void {
  let after: Json | undefined;
  for (;;) {
    const q: Record<string, Json> = { paginate: { match: { index: 'by_n' } }, size: 1000n };
    if (after !== undefined) q.after = after;
    // Each request is used once (as the host's are): its compiled form is not kept.
    const r = engine.query(q, { once: true });
    assert.ok(r.ok);
    kept?.push((r.value as unknown as { data: unknown[][] }).data[500]![1]);
    const next = (r.resource as { after?: Json }).after;
    if (next === undefined) return;
    after = next;
  }
}

test('refs kept from pages keep only themselves; bulk loads are not kept by the compiled-expression cache', () => {
  const engine = memoryEngine();
  try {
    load(engine, 2_000, 1_000); // the code paths compiled, their caches made
    const before = heapAfterGc();
    // 40 loads of 1 000 documents of ~220 bytes: ~9 MB of documents in their requests.
    load(engine, 40_000, 1_000);
    const afterLoad = heapAfterGc();
    assert.ok(afterLoad - before < 2_000_000, `the loads left ${afterLoad - before} bytes behind`);
    // Read twice first, so that the code reading pages is compiled and optimized before measuring.
    readPages(engine, null);
    readPages(engine, null);
    const afterReading = heapAfterGc();
    // Keep one ref from each of 42 pages of 1 000 entries (each page's ids are ~22 KB of text).
    const kept: unknown[] = [];
    readPages(engine, kept);
    assert.equal(kept.length, 42);
    const afterKeeping = heapAfterGc();
    // Each ref would hold its page's ~20 KB of text (~800 KB in all); the rest is the runtime's noise.
    assert.ok(afterKeeping - afterReading < 400_000, `42 kept refs hold ${afterKeeping - afterReading} bytes`);
  } finally {
    engine.close();
  }
});
