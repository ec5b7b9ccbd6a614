/**
 * History edits and indexes (issue 6): after Insert or Remove changes a
 * document's versions, the index history is rebuilt from them, so that
 * At(t, Match(index, ...)) agrees with At(t, Get(ref)) at every time t.
 *
 * The check reads, at every version boundary of every document (each
 * version's ts and the microsecond before it), the documents with Get and
 * three indexes (terms → refs, values only, terms → [ts, ref]) with Match,
 * and compares what the indexes say with what the documents say; and it
 * replays each index's events up to that time, which must give the same
 * members. A table of named edits runs first, then a random workload
 * (STOCKROOM_SEED=n replays a run).
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { Engine } from '../../electron/engine/engine.js';
import { verifyDatabase } from '../../electron/engine/verify.js';
import type { Json } from '../../shared/fql/json.js';
import { Rng } from '../jepsen/conn.js';
import { memoryEngine } from '../helpers/engine.js';
import { canonical, fql, int } from './helpers.js';

const IDS = ['1', '2', '3'];
const VALUES = [1n, 2n, 3n, 4n];
const R = (id: string): string => `Ref(Collection("c"), "${id}")`;
const seed = process.env.STOCKROOM_SEED ? Number(process.env.STOCKROOM_SEED) : Math.floor(Math.random() * 0x7fffffff);

function setup(): Engine {
  const engine = memoryEngine();
  fql(engine, 'CreateCollection({name: "c"})');
  fql(engine, 'CreateIndex({name: "by_v", source: Collection("c"), terms: [{field: ["data", "v"]}]})');
  fql(engine, 'CreateIndex({name: "vs", source: Collection("c"), values: [{field: ["data", "v"]}]})');
  fql(engine, 'CreateIndex({name: "by_v_ts", source: Collection("c"), terms: [{field: ["data", "v"]}], values: [{field: ["ts"]}, {field: ["ref"]}]})');
  return engine;
}

const refId = (r: Json): string => (r as { '@ref': { id: string } })['@ref'].id;

/** The ts of every version of a document, oldest first. */
function versionTimes(engine: Engine, id: string): bigint[] {
  return (fql(engine, `Select("data", Map(Paginate(Events(${R(id)}), {size: 100000}), Lambda("e", Select("ts", Var("e")))))`) as bigint[]).map(int);
}

/** Every version boundary of every document: each version's ts and the microsecond before it. */
function boundaries(engine: Engine): bigint[] {
  const times = new Set<bigint>();
  for (const id of IDS) for (const ts of versionTimes(engine, id)) times.add(ts).add(ts - 1n);
  return [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

interface Seen {
  /** Per document: [v, ts] of its version at that time (v null when it has none), or null when it did not exist. */
  docs: ([Json, bigint] | null)[];
  byV: string[][];
  vs: Json[];
  byVTs: [bigint, string][][];
}

const list = (set: string): string => `Select("data", Paginate(${set}, {size: 100000}))`;

/** The documents and the three indexes read at `ts` in one query. */
function readAt(engine: Engine, ts: bigint): Seen {
  const docs = `Map([${IDS.map(R).join(', ')}], Lambda("r", If(Exists(Var("r")), [Select(["data", "v"], Get(Var("r")), null), Select("ts", Get(Var("r")))], null)))`;
  const byV = `Map([${VALUES.join(', ')}], Lambda("v", ${list('Match(Index("by_v"), Var("v"))')}))`;
  const byVTs = `Map([${VALUES.join(', ')}], Lambda("v", ${list('Match(Index("by_v_ts"), Var("v"))')}))`;
  const [d, b, v, bt] = fql(engine, `At(${ts}, [${docs}, ${byV}, ${list('Match(Index("vs"))')}, ${byVTs}])`) as [Json[], Json[][], Json[], [bigint, Json][][]];
  return {
    docs: d.map((x) => (x === null ? null : [(x as Json[])[0]!, int((x as Json[])[1])])),
    byV: b.map((refs) => refs.map(refId)),
    vs: v,
    byVTs: bt.map((rows) => rows.map(([t, r]) => [t, refId(r)])),
  };
}

/** What the indexes must hold given the documents: entries in index order. */
function expectedIndexes(docs: Seen['docs']): Omit<Seen, 'docs'> {
  const live = IDS.map((id, i) => ({ id, doc: docs[i]! })).filter((x) => x.doc !== null && x.doc[0] !== null && x.doc[0] !== undefined);
  const withV = (v: bigint): typeof live => live.filter((x) => x.doc![0] === v);
  const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
  return {
    byV: VALUES.map((v) => withV(v).map((x) => x.id)),
    vs: live.map((x) => x.doc![0]).sort((a, b) => cmp(a as bigint, b as bigint)),
    byVTs: VALUES.map((v) =>
      withV(v)
        .map((x): [bigint, string] => [x.doc![1], x.id])
        .sort((a, b) => cmp(a[0], b[0]) || a[1].localeCompare(b[1])),
    ),
  };
}

/** Members of Match(by_v, v) at `ts` from the index's events: adds and removes up to then. */
function membersFromEvents(events: [bigint, string, string][], ts: bigint): string[] {
  const members = new Set<string>();
  for (const [t, action, id] of events) {
    if (t > ts) break;
    if (action === 'add') members.add(id);
    else members.delete(id);
  }
  return [...members].sort();
}

/** Checks At(t, indexes) against At(t, Get) at every version boundary, and the index events against both. */
function checkAllTimes(engine: Engine, what: string): number {
  const times = boundaries(engine);
  const events = VALUES.map((v) => fql(engine, `Select("data", Map(Paginate(Events(Match(Index("by_v"), ${v})), {size: 100000}), Lambda("e", [Select("ts", Var("e")), Select("action", Var("e")), Select(["document", "id"], Var("e"))])))`) as [bigint, string, string][]);
  for (const ts of times) {
    const seen = readAt(engine, ts);
    const { docs, ...indexes } = seen;
    assert.equal(canonical(indexes as unknown as Json), canonical(expectedIndexes(docs) as unknown as Json), `${what}: At(${ts}) the indexes disagree with the documents ${canonical(docs as unknown as Json)}`);
    VALUES.forEach((v, i) => assert.deepEqual(membersFromEvents(events[i]!, ts), [...seen.byV[i]!].sort(), `${what}: At(${ts}) the events of Match(by_v, ${v}) disagree with it`));
  }
  const report = verifyDatabase(engine);
  assert.ok(report.ok, `${what}: ${report.problems.join('; ')}`);
  return times.length;
}

/** The ts of a document's versions, after a write. */
const tsOf = (engine: Engine, id: string): bigint[] => versionTimes(engine, id);

describe('history edits rebuild the index history: a table of edits', () => {
  let engine: Engine;
  /** Document 1: v 1 at a, v 2 at b, v 3 at c; document 2: v 2 at b. */
  let a: bigint;
  let b: bigint;
  let c: bigint;
  beforeEach(() => {
    engine = setup();
    a = int(fql(engine, `Select("ts", Create(${R('1')}, {data: {v: 1}}))`));
    b = int(fql(engine, `Select(["data", 0, "ts"], Do(Update(${R('1')}, {data: {v: 2}}), Create(${R('2')}, {data: {v: 2}}), Paginate(Events(${R('2')}))))`));
    c = int(fql(engine, `Select("ts", Update(${R('1')}, {data: {v: 3}}))`));
    checkAllTimes(engine, 'before any edit');
  });
  afterEach(() => engine.close());

  const edits: [string, () => string][] = [
    ['Insert of a create before the first version', () => `Insert(${R('1')}, ${a - 10n}, "create", {data: {v: 4}})`],
    ['Insert of a create of a document that never existed, in the past', () => `Insert(${R('3')}, ${a + 1n}, "create", {data: {v: 1}})`],
    ['Insert of an update between two versions, changing v', () => `Insert(${R('1')}, ${a + (b - a) / 2n}, "update", {data: {v: 4}})`],
    ['Insert of an update between two versions, same v', () => `Insert(${R('1')}, ${a + (b - a) / 2n}, "update", {data: {v: 1, other: true}})`],
    ['Insert of an update without v', () => `Insert(${R('1')}, ${b + 1n}, "update", {data: {w: 1}})`],
    ['Insert of a delete in the middle of a life', () => `Insert(${R('1')}, ${b + 1n}, "delete", {})`],
    ['Insert at the ts of an existing version (replacing it)', () => `Insert(${R('1')}, ${b}, "update", {data: {v: 1}})`],
    ['Insert of a newest version', () => `Insert(${R('2')}, Now(), "update", {data: {v: 3}})`],
    ['Insert of a delete as the newest version', () => `Insert(${R('1')}, Now(), "delete", {})`],
    ['Remove of a middle version', () => `Remove(${R('1')}, ${b}, "update")`],
    ['Remove of the first version', () => `Remove(${R('1')}, ${a}, "create")`],
    ['Remove of the current version', () => `Remove(${R('1')}, ${c}, "update")`],
    ['Remove of a document\'s only version', () => `Remove(${R('2')}, ${b}, "create")`],
    ['Update and Insert in one transaction', () => `Do(Update(${R('2')}, {data: {v: 4}}), Insert(${R('2')}, ${b + 1n}, "update", {data: {v: 1}}))`],
    ['Insert then Remove of the same version in one transaction', () => `Do(Insert(${R('1')}, ${a + 1n}, "update", {data: {v: 4}}), Remove(${R('1')}, ${a + 1n}, "update"))`],
    ['Remove then Update in one transaction', () => `Do(Remove(${R('1')}, ${c}, "update"), Update(${R('1')}, {data: {v: 1}}))`],
  ];
  for (const [name, edit] of edits) {
    test(name, () => {
      fql(engine, edit());
      checkAllTimes(engine, name);
    });
  }

  test('the rebuilt history is what writes in that order would have made', () => {
    // Inserting document 1's versions into an empty document, newest first, gives the same index reads as writing them.
    fql(engine, `Insert(${R('3')}, ${c}, "update", {data: {v: 3}})`);
    fql(engine, `Insert(${R('3')}, ${b}, "update", {data: {v: 2}})`);
    fql(engine, `Insert(${R('3')}, ${a}, "create", {data: {v: 1}})`);
    assert.deepEqual(tsOf(engine, '3'), tsOf(engine, '1'));
    for (const ts of boundaries(engine)) {
      const seen = readAt(engine, ts);
      assert.deepEqual(seen.docs[2], seen.docs[0]);
      seen.byV.forEach((ids) => assert.equal(ids.includes('1'), ids.includes('3'), `At(${ts})`));
    }
  });
});

describe(`history edits rebuild the index history: random edits (seed ${seed}; replay with STOCKROOM_SEED=${seed})`, () => {
  test('after every edit, At(t) over the indexes agrees with At(t) over the documents at every version boundary', (t) => {
    const engine = setup();
    const rng = new Rng(seed);
    try {
      const base = int(fql(engine, 'ToMicros(Now())'));
      const params = (): string => (rng.next() < 0.15 ? '{data: {w: 1}}' : `{data: {v: ${rng.pick(VALUES)}}}`);
      /** A past time: an existing version's ts, a time between, or before them all. */
      const pastTime = (id: string): bigint => {
        const times = versionTimes(engine, id);
        const last = int(fql(engine, 'ToMicros(Now())'));
        const r = rng.next();
        if (times.length > 0 && r < 0.35) return rng.pick(times);
        // Soon after the start, but never after the last commit (Insert refuses times after its snapshot).
        if (r < 0.5) {
          const soon = base + BigInt(rng.int(1, 1000));
          return soon < last ? soon : last;
        }
        return base + BigInt(Math.floor(rng.next() * Number(last - base)));
      };
      const edit = (): string => {
        const id = rng.pick(IDS);
        const r = rng.next();
        if (r < 0.25) return `If(Exists(${R(id)}), Update(${R(id)}, ${params()}), Create(${R(id)}, ${params()}))`;
        if (r < 0.32) return `If(Exists(${R(id)}), Delete(${R(id)}), null)`;
        if (r < 0.7) return `Insert(${R(id)}, ${pastTime(id)}, "${rng.pick(['create', 'update', 'update', 'delete'])}", ${params()})`;
        const times = versionTimes(engine, id);
        const ts = times.length > 0 && rng.next() < 0.85 ? rng.pick(times) : pastTime(id);
        return `Remove(${R(id)}, ${ts}, "${rng.pick(['create', 'update', 'delete'])}")`;
      };
      let checks = 0;
      const steps = 40;
      for (let i = 0; i < steps; i++) {
        const text = rng.next() < 0.2 ? `Do(${edit()}, ${edit()})` : edit();
        fql(engine, text);
        checks += checkAllTimes(engine, `seed ${seed}, step ${i}: ${text}`);
      }
      t.diagnostic(`seed ${seed}: ${steps} edits, ${checks} reads at version boundaries`);
    } finally {
      engine.close();
    }
  });
});
