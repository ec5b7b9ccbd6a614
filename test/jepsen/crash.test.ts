/**
 * crash: kill -9 the process hosting the database at random moments while it
 * commits, again and again on one file. After every kill the file is reopened:
 * `PRAGMA integrity_check` is ok, the index verifier finds nothing, every
 * acknowledged transaction is there, and no partial transaction is visible.
 *
 * Each writer is killed by a process of its own making (`sh -c "sleep; kill
 * -9"`), started at its first acknowledged commit with a delay the test
 * chose, so the kill lands on time at a random moment of its commit loop.
 * Two chains run at once on two files, each round killing a fresh writer:
 * one writer opens its own Engine while the test keeps a reader connection
 * open and reads (through an index) as the writer runs and dies; the other
 * writer runs behind an EngineHost (worker thread) and nobody else has the
 * file open when it dies. STOCKROOM_CRASH_ROUNDS sets the total number of
 * kills (default 50; 400 with STOCKROOM_SOAK=1), split between the chains.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import { Child } from '../helpers/child.js';
import { checkCrash, checkWellFormed, describeResult, type RecoverValue } from './checkers.js';
import { complete, engineConn, fqlExpr, mustRun, num, Rng } from './conn.js';
import { History, type Op } from './history.js';
import { workloadParams } from './workload.js';
import type { Json, JsonObject } from '../../shared/fql/json.js';

const here = dirname(fileURLToPath(import.meta.url));
const params = workloadParams();
const totalRounds = Number(process.env.STOCKROOM_CRASH_ROUNDS ?? (params.soak ? 400 : 50));

const SETUP = `
CreateCollection({ name: "groups" })
CreateCollection({ name: "counters" })
CreateIndex({ name: "groups_by_txn", source: Collection("groups"), terms: [{ field: ["data", "txn"] }], values: [{ field: ["data", "member"] }] })
CreateIndex({ name: "groups_all", source: Collection("groups"), values: [{ field: ["data", "txn"] }, { field: ["data", "size"] }] })
Create(Ref(Collection("counters"), "1"), { data: { n: 0 } })`;

/** Everything the checker needs from a reopened file, read from the documents themselves. */
const READ_STATE = fqlExpr(`{
  counter: Select(["data", "n"], Get(Ref(Collection("counters"), "1"))),
  groups: Map(Paginate(Documents(Collection("groups")), { size: 100000 }), Lambda("r", Let({ d: Select("data", Get(Var("r"))) }, [Select("txn", Var("d")), Select("size", Var("d"))])))
}`);

async function recover(file: string, round: number, history: History): Promise<void> {
  const engine = Engine.open(file);
  try {
    await history.run('checker', 'recover', { round }, async () => {
      const report = verifyDatabase(engine);
      const reply = await engineConn(engine, 'checker').query(READ_STATE);
      return complete(reply, (r): RecoverValue => {
        const o = r as JsonObject;
        return { round, integrity: report.integrity, problems: report.problems, counter: num(o.counter), groups: countGroups((o.groups as JsonObject).data as Json[]) };
      });
    });
  } finally {
    engine.close();
  }
}

const OBSERVE = fqlExpr(`{
  counter: Select(["data", "n"], Get(Ref(Collection("counters"), "1"))),
  groups: Select("data", Paginate(Match(Index("groups_all")), { size: 100000 }))
}`);

/** Groups [txn, count, size] from rows of [txn, size], one row per document. */
function countGroups(rows: Json[]): [number, number, number][] {
  const counts = new Map<number, { count: number; size: number }>();
  for (const row of rows) {
    const [txn, size] = (row as Json[]).map(num) as [number, number];
    const g = counts.get(txn) ?? { count: 0, size };
    g.count++;
    counts.set(txn, g);
  }
  return [...counts].map(([t, g]) => [t, g.count, g.size]);
}

/**
 * One chain of kill rounds on one file. With a `bystander`, the parent keeps
 * its own connection open the whole time and reads (through an index) while
 * each writer runs and dies, so recovery also happens under a live
 * connection; without, the file is closed by everyone when the writer dies.
 */
async function crashRounds(via: 'engine' | 'host', rounds: number, seed: number, bystander: boolean): Promise<{ history: History; inFlight: number }> {
  const dir = mkdtempSync(join(tmpdir(), `stockroom-crash-${via}-`));
  const file = join(dir, 'db.sqlite');
  const rng = new Rng(seed);
  const setup = Engine.open(file);
  await mustRun(engineConn(setup, 'setup'), SETUP);
  setup.close();
  const history = new History(`crash-${via}`);
  const reader = bystander ? Engine.open(file) : null;
  let inFlight = 0;
  const spawnWriter = (round: number): Promise<Child> => Child.start(join(here, 'crash-child.ts'), [JSON.stringify({ file, via, seed: rng.int(1, 1e9), process: `w${round}` })]);
  // The next writer loads its code while this round runs; it opens the file only when told to.
  let next = await spawnWriter(1);
  let current: Child | null = null;
  try {
    for (let round = 1; round <= rounds; round++) {
      const proc = `w${round}`;
      const child = next;
      current = child;
      if (round < rounds) next = await spawnWriter(round + 1);
      // The writer has a process outside it kill it this long after its first acknowledged commit: at a
      // random moment of its commit loop, on time whatever this process is doing meanwhile (the other
      // chain's checks run synchronously here; a kill sent from here came late, and the writer, still
      // committing, grew the file round after round).
      child.send(`go ${rng.int(0, 120)}`);
      child.endInput();
      await child.waitForLine((l) => l.startsWith('op ') && l.includes('"type":"ok"'));
      if (reader) {
        const conn = engineConn(reader, 'bystander');
        while (child.running) {
          await history.run('bystander', 'observe', null, async () => complete(await conn.query(OBSERVE), (r) => ({ counter: num((r as JsonObject).counter), groups: countGroups((r as JsonObject).groups as Json[]) })));
          await sleep(rng.int(1, 15));
        }
      }
      // A fallback: a writer whose own kill never came is killed from here.
      const late = setTimeout(() => child.kill9(), 30_000);
      const exit = await child.exited;
      clearTimeout(late);
      assert.equal(exit.signal, 'SIGKILL', `round ${round}: the writer ended by itself (${exit.code}): ${child.stderr}`);
      const ops: Op[] = child.lines.filter((l) => l.startsWith('op ')).flatMap((l) => {
        try {
          return [History.parseLine(l.slice(3))];
        } catch {
          return []; // the last line may be cut off by the kill
        }
      });
      history.merge(ops);
      const last = ops[ops.length - 1];
      if (last?.type === 'invoke') {
        inFlight++;
        history.record(proc, 'info', last.f, last.value, { code: 'killed', description: 'the process was killed while this ran' });
      }
      await recover(file, round, history);
    }
    return { history, inFlight };
  } finally {
    reader?.close();
    // A failed round leaves its writer running: no child outlives the chain.
    for (const c of [current, next]) if (c !== null && c.proc.exitCode === null && c.proc.signalCode === null) c.kill9();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('jepsen crash: kill -9 while committing', () => {
  const engineRounds = Math.ceil(totalRounds / 2);
  const hostRounds = totalRounds - engineRounds;
  test(`${totalRounds} kills: ${engineRounds} of a writer with its own Engine (a reader connection open throughout) and ${hostRounds} of one behind an EngineHost, two files at once`, async (t) => {
    const chains: ['engine' | 'host', number, number, boolean][] = [
      ['engine', engineRounds, params.seed, true],
      ['host', hostRounds, params.seed + 1, false],
    ];
    // Both chains end (and kill their writers) before anything is reported.
    const settled = await Promise.allSettled(chains.map(async ([via, rounds, seed, bystander]) => ({ via, rounds, seed, ...(await crashRounds(via, rounds, seed, bystander)) })));
    for (const s of settled) if (s.status === 'rejected') throw s.reason;
    const results = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    for (const { via, rounds, seed, history, inFlight } of results) {
      const where = `${via} writer, seed ${seed}, history in ${history.write()}`;
      const wf = checkWellFormed(history.ops);
      assert.ok(wf.valid, `${where}\n${describeResult(wf)}`);
      const r = checkCrash(history.ops, { slackMs: 1 });
      assert.ok(r.valid, `${where}\n${describeResult(r)}`);
      assert.equal(r.stats.rounds, rounds);
      // The kills must land while the writer works: in most rounds a transaction was in flight.
      assert.ok(inFlight >= rounds / 2, `${where}: only ${inFlight} of ${rounds} kills hit a transaction in flight`);
      t.diagnostic(`${JSON.stringify({ ...r.stats, killedInFlight: inFlight })}, ${where}`);
    }
  });
});
