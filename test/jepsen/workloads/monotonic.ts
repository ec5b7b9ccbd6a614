/**
 * monotonic (issue 6): one counter document; incrementers add 1 to it by
 * read-modify-write in one query (recording the value they wrote and their
 * commit ts), while readers read it back in time — `At(ts, Get(counter))` at
 * the ts of an increment they learned of, one µs before it, or anywhere
 * between two of them; the current document (its ts and value); and its
 * newest events. Every read is a (ts, value) pair.
 *
 * Readers only read at times up to the newest increment they know has
 * committed: those are settled. A time after it (a moment ago) is not — a
 * write that began earlier can still commit there (see
 * test/history/findings.test.ts, "the time of a read").
 
 *
 * checkMonotonic: sorted by ts, the values read never decrease; a read at a
 * ts sees exactly the increments committed at or before that ts (so a read
 * at the ts of an increment sees it, and a read just before does not); the
 * increments' values are 1, 2, 3, ... in ts order (none lost, none seeing a
 * stale value, no two at one ts); and the counter's own history (its Events)
 * is exactly the acknowledged increments.
 */
import type { Json } from '../../../shared/fql/json.js';
import type { CheckResult } from '../checkers.js';
import { complete, fqlExpr, num, type Conn } from '../conn.js';
import { pairs, type Op } from '../history.js';
import type { Workload } from '../workload.js';

const COUNTER = 'Ref(Collection("counters"), "1")';

const INCREMENT = fqlExpr(`Let({d: Get(${COUNTER})}, Select(["data", "n"], Update(Select("ref", Var("d")), {data: {n: Add(Select(["data", "n"], Var("d")), 1)}})))`);
const LATEST = fqlExpr(`Let({d: Get(${COUNTER})}, [Select("ts", Var("d")), Select(["data", "n"], Var("d"))])`);
const EVENTS = (size: number): Json => fqlExpr(`Map(Paginate(Events(${COUNTER}), {before: null, size: ${size}}), Lambda("e", [Select("ts", Var("e")), Select(["data", "n"], Var("e"))]))`);
const AT = (ts: number): Json => fqlExpr(`At(${ts}, [Select(["data", "n"], Get(${COUNTER})), ToMicros(Now())])`);
const ALL_EVENTS = fqlExpr(`Map(Paginate(Events(${COUNTER}), {size: 100000}), Lambda("e", [Select("ts", Var("e")), Select("action", Var("e")), Select(["data", "n"], Var("e"), null)]))`);

/** An increment's completion value: the value it wrote and its commit ts. */
export interface IncrementValue {
  n: number;
  ts: number;
}

/** How a reader chose the time it read at. */
export type ReadKind = 'exact' | 'before' | 'between';

/** A read of the counter at a time: `at` is the time asked for; the snapshot is the reading transaction's own time. */
export interface ReadAtValue {
  kind: ReadKind;
  at: number;
  n: number;
  snapshot: number;
}

/** The current document: its ts (its last increment's) and value, read at `snapshot`. */
export interface LatestValue {
  ts: number;
  n: number;
  snapshot: number;
}

/** The newest events of the counter: [ts, value] pairs (each event's data is the changed field, n). */
export interface EventsValue {
  events: [number, number][];
}

/** The final read: every event of the counter, [ts, action, value]. */
export interface FinalValue {
  events: [number, string, number | null][];
}

/** A (ts, value) pair a reader saw, with where it came from. */
interface Sighting {
  at: number;
  n: number;
  op: Op;
  via: string;
}

export interface MonotonicOptions {
  /** The counter's value before the run. */
  initial: number;
}

const show = (op: Op, via: string): string => `#${op.index} (${op.process}, ${via})`;

/** Every (ts, value) pair the history's reads saw. */
function sightings(ops: readonly Op[]): { reads: Sighting[]; final: FinalValue | null; errors: string[] } {
  const reads: Sighting[] = [];
  const errors: string[] = [];
  let final: FinalValue | null = null;
  for (const p of pairs(ops)) {
    const c = p.complete;
    const f = p.invoke.f;
    if (f === 'incr') continue;
    if (c === null || c.type !== 'ok') {
      errors.push(`#${p.invoke.index} ${f} did not succeed: ${c?.error ? `${c.error.code}: ${c.error.description}` : c?.type ?? 'no completion'}`);
      continue;
    }
    if (f === 'read-at') {
      const v = c.value as ReadAtValue;
      // A time after the reading transaction's own reads as that transaction's time.
      reads.push({ at: Math.min(v.at, v.snapshot), n: v.n, op: c, via: `At ${v.kind}` });
    } else if (f === 'latest') {
      // The document's value holds from its ts. (Not necessarily up to the reading transaction's own
      // time, the snapshot: a write that began before the read can still commit with an earlier ts.)
      const v = c.value as LatestValue;
      reads.push({ at: v.ts, n: v.n, op: c, via: 'Get' });
    } else if (f === 'events') {
      for (const [at, n] of (c.value as EventsValue).events) reads.push({ at, n, op: c, via: 'Events' });
    } else if (f === 'final') {
      final = c.value as FinalValue;
    }
  }
  return { reads, final, errors };
}

export function checkMonotonic(ops: readonly Op[], o: MonotonicOptions): CheckResult {
  const { reads, final, errors } = sightings(ops);
  // Increments: acknowledged (ok), certainly not applied (fail), unknown (info or never completed).
  const incs: { ts: number; n: number; op: Op }[] = [];
  let failed = 0;
  let unknown = 0;
  for (const p of pairs(ops)) {
    if (p.invoke.f !== 'incr') continue;
    const c = p.complete;
    if (c?.type === 'ok') incs.push({ ...(c.value as IncrementValue), op: c });
    else if (c?.type === 'fail') failed++;
    else unknown++;
  }
  incs.sort((a, b) => a.ts - b.ts);
  // The increments, in ts order, wrote initial+1, initial+2, ... (exactly, when no outcome is unknown).
  incs.forEach((inc, k) => {
    const prev = incs[k - 1];
    if (prev !== undefined && prev.ts === inc.ts) errors.push(`increments ${show(prev.op, 'incr')} and ${show(inc.op, 'incr')} committed at the same ts ${inc.ts}`);
    if (prev !== undefined && inc.n <= prev.n) errors.push(`increment ${show(inc.op, 'incr')} at ts ${inc.ts} wrote ${inc.n}, not more than ${prev.n} written at the earlier ts ${prev.ts} by ${show(prev.op, 'incr')}`);
    const lo = o.initial + k + 1;
    if (inc.n < lo || inc.n > lo + unknown) errors.push(`increment ${show(inc.op, 'incr')} at ts ${inc.ts} wrote ${inc.n}, but it is increment ${k + 1} in ts order (expected ${unknown === 0 ? lo : `${lo}..${lo + unknown}`}): an increment was lost or saw a stale value`);
  });
  const committedBy = (at: number): number => {
    // How many acknowledged increments have ts <= at (binary search).
    let lo = 0;
    let hi = incs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (incs[mid]!.ts <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const byTs = new Map(incs.map((i) => [i.ts, i]));
  let exact = 0;
  for (const r of reads) {
    const k = committedBy(r.at);
    const lo = o.initial + k;
    const hi = lo + unknown;
    const inc = byTs.get(r.at);
    if (inc !== undefined) exact++;
    if (inc !== undefined && r.n < inc.n) {
      errors.push(`read ${show(r.op, r.via)} at ts ${r.at}, the ts of increment ${show(inc.op, 'incr')}, saw ${r.n}: not that increment (${inc.n})`);
    } else if (r.n < lo) {
      errors.push(`read ${show(r.op, r.via)} at ts ${r.at} saw ${r.n}, but ${k} increments had committed at or before that ts (the last ${show(incs[k - 1]!.op, 'incr')} at ts ${incs[k - 1]!.ts} wrote ${incs[k - 1]!.n})`);
    } else if (r.n > hi) {
      errors.push(`read ${show(r.op, r.via)} at ts ${r.at} saw ${r.n}, more than the ${k} increments committed by then${unknown ? ` (and ${unknown} unknown)` : ''}: it saw an increment from its future`);
    }
  }
  // Sorted by ts, the values never decrease.
  const sorted = [...reads].sort((a, b) => a.at - b.at || a.n - b.n);
  let decreases = 0;
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    if (b.n < a.n) {
      decreases++;
      if (decreases <= 10) errors.push(`the counter went down: ${show(a.op, a.via)} saw ${a.n} at ts ${a.at}, ${show(b.op, b.via)} saw ${b.n} at the later ts ${b.at}`);
    }
  }
  // The counter's own history is exactly the acknowledged increments.
  if (final === null) errors.push('no final read');
  else {
    const updates = final.events.filter(([, action]) => action !== 'create');
    const seen = new Set(updates.map(([ts]) => ts));
    for (const inc of incs) {
      const e = updates.find(([ts]) => ts === inc.ts);
      if (e === undefined) errors.push(`acknowledged increment ${show(inc.op, 'incr')} (ts ${inc.ts}, ${inc.n}) is not in the counter's history`);
      else if (e[2] !== inc.n) errors.push(`the counter's history has ${e[2]} at ts ${inc.ts}, where increment ${show(inc.op, 'incr')} wrote ${inc.n}`);
    }
    const extra = updates.filter(([ts]) => !byTs.has(ts)).length;
    if (extra > unknown) errors.push(`the counter's history has ${extra} updates that no acknowledged increment made (${unknown} increments have an unknown outcome)`);
    const last = final.events.at(-1);
    if (last !== undefined && seen.size > 0 && last[2] !== o.initial + incs.length + extra) errors.push(`the counter ends at ${last[2]}, not ${o.initial} + ${incs.length + extra} increments`);
  }
  return { valid: errors.length === 0, errors, stats: { increments: incs.length, failed, unknown, reads: reads.length, readsAtAnIncrementTs: exact, decreases } };
}

async function readAt(conn: Conn, at: number, kind: ReadKind): Promise<ReturnType<typeof complete>> {
  return complete(await conn.query(AT(at)), (r): ReadAtValue => {
    const [n, snapshot] = r as [Json, Json];
    return { kind, at, n: num(n), snapshot: num(snapshot) };
  });
}

export const monotonic: Workload = {
  name: 'monotonic',
  sample: false,
  setup: () => `
CreateCollection({ name: "counters" })
Create(${COUNTER}, { data: { n: 0 } })`,
  clients: (p) => (p.soak ? 12 : 6),
  async client({ id, process, conn, history, rng, params }) {
    if (id % 2 === 0) {
      // An incrementer.
      const ops = params.soak ? 250 : 25;
      for (let i = 0; i < ops; i++) {
        await history.run(process, 'incr', null, async () => complete(await conn.query(INCREMENT), (r, ts): IncrementValue => ({ n: num(r), ts: Number(ts) })));
      }
      return;
    }
    // A reader: learns increment times from the document and its events, then reads back in time.
    const ops = params.soak ? 400 : 40;
    const known: number[] = [];
    const learn = (ts: number): void => {
      if (!known.includes(ts)) known.push(ts);
    };
    for (let i = 0; i < ops; i++) {
      const r = rng.next();
      if (known.length === 0 || r < 0.15) {
        const op = await history.run(process, 'latest', null, async () =>
          complete(await conn.query(LATEST), (res, snapshot): LatestValue => {
            const [ts, n] = res as [Json, Json];
            return { ts: num(ts), n: num(n), snapshot: Number(snapshot) };
          }),
        );
        if (op.type === 'ok') learn((op.value as LatestValue).ts);
      } else if (r < 0.3) {
        const op = await history.run(process, 'events', null, async () =>
          complete(await conn.query(EVENTS(rng.int(1, 10))), (res): EventsValue => ({ events: ((res as { data: Json[] }).data as [Json, Json][]).map(([ts, n]) => [num(ts), num(n)]) })),
        );
        if (op.type === 'ok') for (const [ts] of (op.value as EventsValue).events) learn(ts);
      } else {
        const pick = rng.next();
        const t = rng.pick(known);
        let kind: ReadKind;
        let at: number;
        if (pick < 0.4) [kind, at] = ['exact', t];
        // (Not before the oldest time known, the counter's creation: it did not exist then.)
        else if (pick < 0.6) [kind, at] = ['before', Math.max(t - 1, Math.min(...known))];
        else {
          const u = rng.pick(known);
          [kind, at] = ['between', Math.min(t, u) + Math.floor(rng.next() * (Math.abs(t - u) + 1))];
        }
        await history.run(process, 'read-at', { kind, at }, () => readAt(conn, at, kind));
      }
    }
  },
  async final(conn, history) {
    await history.run('final', 'final', null, async () =>
      complete(await conn.query(ALL_EVENTS), (res): FinalValue => ({ events: ((res as { data: Json[] }).data as [Json, string, Json][]).map(([ts, action, n]) => [num(ts), action, n === null ? null : num(n)]) })),
    );
  },
  check: (ops) => checkMonotonic(ops, { initial: 0 }),
};
