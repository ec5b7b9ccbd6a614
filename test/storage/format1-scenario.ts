/**
 * The writes and reads of the format-migration test (migration.test.ts).
 * make-format1-fixture.ts runs the writes with the code of format 1 and
 * records the reads; the test opens that file with today's code, which
 * migrates it, and reads again.
 */
import type { Engine } from '../../electron/engine/engine.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import type { Json } from '../../shared/fql/json.js';

function run(engine: Engine, text: string): Json {
  const [s] = parseFql(text);
  const r = engine.query(s!.expr, { origin: 'test', summary: s!.text });
  if (!r.ok) throw new Error(`${text}: ${r.error.description}`);
  return r.resource as Json;
}

const R = (id: number): string => `Ref(Collection("c"), "${id}")`;

/** Writes a few documents with updates, deletes, history edits and two indexes; returns the write times. */
export function writeScenario(engine: Engine): bigint[] {
  const times: bigint[] = [];
  const write = (text: string): void => {
    run(engine, text);
    times.push(run(engine, 'ToMicros(Now())') as bigint);
  };
  run(engine, 'CreateCollection({name: "c", history_days: 100000})');
  run(engine, 'CreateCollection({name: "other"})');
  run(engine, 'CreateIndex({name: "by_color", source: Collection("c"), terms: [{field: ["data", "color"]}], values: [{field: ["data", "n"]}, {field: ["ref"]}]})');
  for (let i = 1; i <= 6; i++) write(`Create(${R(i)}, {data: {n: ${i}, color: "${i % 2 === 0 ? 'red' : 'blue'}"}})`);
  write(`Create(Ref(Collection("other"), "1"), {data: {x: 1}})`);
  write(`Update(${R(1)}, {data: {n: 10}})`);
  write(`Update(${R(2)}, {data: {color: "blue"}})`);
  write(`Do(Update(${R(1)}, {data: {n: 11}}), Update(${R(3)}, {data: {n: 30, color: "red"}}))`);
  write(`Delete(${R(4)})`);
  write(`Delete(${R(5)})`);
  write(`Create(${R(5)}, {data: {n: 50, color: "green"}})`);
  write(`Replace(${R(6)}, {data: {n: 60}})`);
  write(`Update(${R(1)}, {data: {n: 12}})`);
  // History edits: an update inserted between doc 3's versions, doc 2's update removed.
  const v3 = run(engine, `Select(["data", 0, "ts"], Paginate(Events(${R(3)})))`) as bigint;
  write(`Insert(${R(3)}, ${v3 + 1n}, "update", {data: {n: 3, color: "green"}})`);
  const v2 = run(engine, `Select(["data", 1, "ts"], Paginate(Events(${R(2)})))`) as bigint;
  write(`Remove(${R(2)}, ${v2}, "update")`);
  // An index built over documents already there.
  run(engine, 'CreateIndex({name: "by_n", source: Collection("c"), terms: [{field: ["data", "n"]}]})');
  write(`Delete(${R(6)})`);
  return times;
}

/** Everything the test compares, read at the end and at each write time. */
export function readScenario(engine: Engine, times: readonly bigint[]): Json {
  const out: Record<string, Json> = {};
  const read = (key: string, text: string): void => {
    out[key] = run(engine, text);
  };
  read('documents', 'Paginate(Documents(Collection("c")))');
  read('documents_desc', 'Paginate(Reverse(Documents(Collection("c"))))');
  read('count', 'Count(Documents(Collection("c")))');
  read('other', 'Paginate(Documents(Collection("other")))');
  read('membership', 'Paginate(Events(Documents(Collection("c"))), {size: 1000})');
  for (let i = 1; i <= 6; i++) {
    read(`get_${i}`, `If(Exists(${R(i)}), Get(${R(i)}), null)`);
    read(`events_${i}`, `Paginate(Events(${R(i)}), {size: 1000})`);
  }
  for (const color of ['red', 'blue', 'green']) {
    read(`match_${color}`, `Paginate(Match(Index("by_color"), "${color}"))`);
    read(`match_events_${color}`, `Paginate(Events(Match(Index("by_color"), "${color}")), {size: 1000})`);
  }
  for (const n of [3, 12, 50, 60]) read(`by_n_${n}`, `Paginate(Match(Index("by_n"), ${n}))`);
  times.forEach((ts, k) => {
    read(`at_${k}_documents`, `At(${ts}, Paginate(Documents(Collection("c"))))`);
    read(`at_${k}_red`, `At(${ts}, Paginate(Match(Index("by_color"), "red")))`);
    for (let i = 1; i <= 6; i++) read(`at_${k}_get_${i}`, `At(${ts}, If(Exists(${R(i)}), Get(${R(i)}), null))`);
  });
  return out;
}
