/**
 * `npm run bench`: the engine against hand-written SQL on the same machine
 * and the same SQLite settings. Prints a table, or with --json one object
 * {"<case>": {engine, baseline, ratio, unit}}; --quick scales sizes down.
 */
import { removeDir, tempDir, type BenchOptions, type CaseResult } from './harness.js';
import { runHostCases } from './cases/host-clients.js';
import { runLargeIndex } from './cases/large-index.js';
import { runPointGet } from './cases/point-get.js';
import { runSubmitOrder } from './cases/submit-order.js';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const options: BenchOptions = { quick: args.includes('--quick'), dir: tempDir() };
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const results: Record<string, CaseResult> = {};
  const log = (msg: string): void => {
    if (!json) process.stderr.write(`${msg}\n`);
  };
  try {
    const want = (name: string): boolean => only === undefined || name.includes(only);
    if (want('submit_order_in_process')) {
      log('submit_order in process…');
      results.submit_order_in_process = runSubmitOrder(options);
    }
    if (want('host')) {
      log('submit_order through the host, 8 clients…');
      const host = await runHostCases(options);
      results.submit_order_host_8_clients = host.host;
      results.read_while_host_saturated = host.responsiveness;
    }
    if (want('get') || want('shell')) {
      log('point Get and Shell query…');
      const g = runPointGet(options);
      results.point_get = g.get;
      results.shell_query_parse_eval = g.shell;
    }
    if (want('index')) {
      log(`index build and Paginate over ${options.quick ? '100 k' : '1 M'} documents…`);
      const l = runLargeIndex(options);
      results.index_build = l.build;
      results.paginate_pages_of_1000 = l.paginate;
    }
  } finally {
    removeDir(options.dir);
  }
  if (json) {
    process.stdout.write(`${JSON.stringify(results)}\n`);
    return;
  }
  const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
  const rows = Object.entries(results).map(([name, r]) => [name, fmt(r.engine), fmt(r.baseline), `${r.ratio.toFixed(2)}x`, r.unit, Object.entries(r.notes ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ')]);
  const head = ['case', 'engine', 'baseline', 'ratio', 'unit', 'notes'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  process.stdout.write(`${line(head)}\n${line(widths.map((w) => '-'.repeat(w)))}\n${rows.map(line).join('\n')}\n`);
  process.stdout.write('ratio = engine cost / baseline cost for the same work (above 1: the engine is slower)\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
