/**
 * fuzz: random FQL text, random wire JSON built from the engine's real form
 * keys with random arguments, and malformed requests, all through one
 * EngineHost. The host never dies (a simple query still answers afterwards and
 * no worker was replaced), every failure is a Fauna-shaped error, none is an
 * internal error (a thrown JavaScript exception), and a failed request writes
 * nothing: SQLite's data_version, seen from a separate connection, does not
 * move.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import type { FaunaErrorJson } from '../../electron/engine/errors.js';
import { formNames } from '../../electron/engine/eval/index.js';
import { EngineHost } from '../../electron/host/engine-host.js';
import { FQL_FUNCTIONS, FQL_FUNCTIONS_BY_HEAD } from '../../shared/fql/print-functions.js';
import { printExpr } from '../../shared/fql/print.js';
import { stringifyJson, type Json, type JsonObject } from '../../shared/fql/json.js';
import { hostConn, mustRun } from './conn.js';
import { History } from './history.js';

const soak = process.env.STOCKROOM_SOAK === '1';
const runs = (n: number): number => (soak ? n * 20 : n);
const seed = process.env.STOCKROOM_SEED ? Number(process.env.STOCKROOM_SEED) : undefined;
const fcOptions = (numRuns: number): fc.Parameters<unknown> => ({ numRuns: runs(numRuns), ...(seed !== undefined ? { seed } : {}), endOnFailure: false });

// --- what is a Fauna-shaped error -----------------------------------------------------

/** Problems with an error's shape ([] when it is a proper Fauna error). */
function errorShapeProblems(e: unknown, path = 'error'): string[] {
  if (e === null || typeof e !== 'object') return [`${path} is not an object: ${String(e)}`];
  const o = e as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof o.code !== 'string' || o.code === '') problems.push(`${path}.code is not a non-empty string`);
  // Abort("") aborts with an empty description, as Fauna does; every other error says something.
  if (typeof o.description !== 'string' || (o.description === '' && o.code !== 'transaction aborted')) problems.push(`${path}.description is not a non-empty string`);
  if (o.position !== undefined && !(Array.isArray(o.position) && o.position.every((p) => typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p))))) {
    problems.push(`${path}.position is not a list of keys and indexes: ${JSON.stringify(o.position)}`);
  }
  if (o.cause !== undefined) {
    if (!Array.isArray(o.cause)) problems.push(`${path}.cause is not an array`);
    else o.cause.forEach((c, i) => problems.push(...errorShapeProblems(c, `${path}.cause[${i}]`)));
  }
  return problems;
}

// --- generators ---------------------------------------------------------------------

function obj(entries: [string, Json][]): JsonObject {
  const o = Object.create(null) as JsonObject;
  for (const [k, v] of entries) o[k] = v;
  return o;
}

const collRef = (id: string): Json => obj([['@ref', obj([['id', id], ['collection', obj([['@ref', obj([['id', 'collections']])]])]])]]);
const docRef = (coll: string, id: string): Json => obj([['@ref', obj([['id', id], ['collection', collRef(coll)]])]]);

/** Values and names that mean something in the fuzzed database. */
const meaningful: Json[] = [
  'things',
  'things_by_key',
  'double',
  'data',
  'ref',
  'ts',
  'k1',
  'x',
  '1',
  '',
  obj([['collection', 'things']]),
  obj([['index', 'things_by_key']]),
  obj([['function', 'double']]),
  obj([['var', 'x']]),
  obj([['object', obj([['data', obj([['object', obj([['key', 'k9']])]])]])]]),
  collRef('things'),
  docRef('things', '1'),
  docRef('things', '404'),
  obj([['@ts', '2020-01-01T00:00:00Z']]),
  obj([['@date', '2020-01-01']]),
  obj([['@bytes', 'AQID']]),
  obj([['@query', obj([['lambda', 'x'], ['expr', obj([['var', 'x']])]])]]),
  obj([['@set', obj([['match', obj([['@ref', obj([['id', 'things_by_key'], ['collection', obj([['@ref', obj([['id', 'indexes']])]])]])]])]])]]),
];

const leaf: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: fc.bigInt(-5n, 5n) },
  fc.constantFrom<Json>(0n, -1n, 9223372036854775807n, -9223372036854775808n, 1000000n),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom<Json>(0.5, -0.0, 1e300, 2.5),
  fc.string({ maxLength: 6 }),
  fc.boolean(),
  fc.constant(null),
  { weight: 4, arbitrary: fc.constantFrom(...meaningful) },
);

const FORM_NAMES = formNames();
/** The keys of a form other than its name, from the shared function table (the wire keys the driver writes). */
function otherKeys(name: string): string[] {
  const spec = FQL_FUNCTIONS_BY_HEAD.get(name);
  return spec ? [...spec.keys].filter((k) => k !== name) : [];
}
const ALL_KEYS = [...new Set([...FORM_NAMES, ...[...FQL_FUNCTIONS.values()].flatMap((s) => [...s.keys])])];

const dataObj = (entries: [string, Json][]): Json => obj([['object', obj([['data', obj([['object', obj(entries)]])]])]]);

const { expr: wireExpr } = fc.letrec<{ expr: Json; form: Json; write: Json }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', maxDepth: 6, withCrossShrink: true },
    { weight: 3, arbitrary: leaf },
    { weight: 4, arbitrary: tie('form') },
    { weight: 2, arbitrary: tie('write') },
    fc.array(tie('expr'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom('data', 'key', 'x', 'ref', 'size', 'terms', '@ref'), tie('expr')), { maxLength: 3 }).map((entries) => obj([['object', obj(entries)]])),
  ),
  form: fc
    .tuple(
      fc.constantFrom(...FORM_NAMES),
      tie('expr'),
      fc.array(fc.tuple(fc.nat(), tie('expr')), { maxLength: 4 }),
      fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...ALL_KEYS), tie('expr')) }),
    )
    .map(([name, first, rest, stray]) => {
      const keys = otherKeys(name);
      const entries: [string, Json][] = [[name, first]];
      // Mostly the form's real keys; now and then one that does not belong.
      for (const [i, v] of rest) if (keys.length > 0) entries.push([keys[i % keys.length]!, v]);
      if (stray) entries.push(stray);
      return obj(entries);
    }),
  // Writes that can succeed, alone or combined with anything: a failure anywhere must undo them.
  write: fc.oneof(
    fc.tuple(fc.oneof(leaf, fc.constantFrom<Json>('k1', 'k2', 'k3')), tie('expr')).map(([key, n]) => obj([['create', obj([['collection', 'things']])], ['params', dataObj([['key', key], ['n', n]])]])),
    fc.tuple(fc.constantFrom('1', '2', '404'), tie('expr')).map(([id, n]) => obj([['update', docRef('things', id)], ['params', dataObj([['n', n]])]])),
    fc.constantFrom('1', '2', '404').map((id) => obj([['delete', docRef('things', id)]])),
    fc.tuple(tie('write'), tie('expr')).map(([w, e]) => obj([['do', [w, e]]])),
    fc.tuple(tie('write'), tie('expr')).map(([w, e]) => obj([['let', [obj([['w', w]])]], ['in', e]])),
    fc.tuple(tie('expr'), tie('write'), tie('expr')).map(([c, w, e]) => obj([['if', c], ['then', w], ['else', e]])),
    fc.tuple(tie('expr'), tie('write')).map(([xs, w]) => obj([['map', obj([['lambda', 'x'], ['expr', w]])], ['collection', xs]])),
    tie('expr').map((e) => obj([['call', obj([['function', 'double']])], ['arguments', [e]]])),
  ),
}));

const TOKENS = [
  ...[...FQL_FUNCTIONS.keys()].map((n) => `${n}(`),
  '(', ')', '[', ']', '{', '}', ',', ':', ' ', '\n', '"things"', '"things_by_key"', '"double"', '"k1"', 'Collection("things")', 'Index("things_by_key")',
  'Var("x")', 'Lambda("x", ', 'x => ', '1', '-1', '2.5', '0', 'null', 'true', 'false', '"data"', '{ data: ', 'Ref(Collection("things"), "1")', '//', '/*', '*/',
  '9223372036854775808', '1e999', '\\', "'", '"', 'é', '\u0000',
];
const tokenSoup = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 40 }).map((t) => t.join(''));
const printedWire = wireExpr.map((e) => {
  try {
    return printExpr(e);
  } catch {
    return null;
  }
});

// --- the harness ------------------------------------------------------------------

let dir: string;
let host: EngineHost;
let observer: Database.Database;
const internalErrors = new Map<string, string>();
/** Every request and its outcome (requests cut to 2 000 characters), written to test-results/jepsen/fuzz.jsonl. */
const history = new History('fuzz');
/** Outcomes by kind, so the run shows it reached evaluation and commits, not only parse errors. */
const outcomes = new Map<string, number>();
const count = (k: string): void => void outcomes.set(k, (outcomes.get(k) ?? 0) + 1);

function dataVersion(): number {
  return Number(observer.pragma('data_version', { simple: true }));
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockroom-fuzz-'));
  const file = join(dir, 'db.sqlite');
  host = await EngineHost.start({ file, pollMs: 60_000, queryTimeoutMs: 3_000, hardDeadlineGraceMs: 3_000 });
  await mustRun(
    hostConn(host, 'setup'),
    `CreateCollection({ name: "things" })
     CreateIndex({ name: "things_by_key", source: Collection("things"), terms: [{ field: ["data", "key"] }], unique: true })
     CreateFunction({ name: "double", body: Query(Lambda("x", Multiply(2, Var("x")))) })
     Do(Create(Ref(Collection("things"), "1"), { data: { key: "k1", n: 1 } }), Create(Ref(Collection("things"), "2"), { data: { key: "k2", n: 2.5 } }))`,
  );
  observer = new Database(file, { readonly: true });
});

after(async () => {
  history.write();
  observer.close();
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every failure is Fauna-shaped and not an internal error; a request that failed as a whole changed nothing. */
function checkFailure(what: string, errors: FaunaErrorJson[], changed: boolean): void {
  assert.ok(errors.length > 0, `${what}: failed without an error`);
  for (const e of errors) {
    const problems = errorShapeProblems(e);
    assert.deepEqual(problems, [], `${what}: not a Fauna error: ${JSON.stringify(e)}`);
    if (e.code === 'internal server error') {
      internalErrors.set(e.description, what);
      assert.fail(`${what}: internal server error: ${e.description}`);
    }
  }
  assert.ok(!changed, `${what}: a failed request changed the database`);
}

async function sendWire(expr: Json | string): Promise<void> {
  const text = typeof expr === 'string' ? expr : stringifyJson(expr);
  const what = `query ${text.slice(0, 500)}`;
  const v0 = dataVersion();
  history.record('fuzz', 'invoke', 'query', text.slice(0, 2000));
  const reply = await host.query(expr, 'fuzz');
  const changed = dataVersion() !== v0;
  if (reply.ok) history.record('fuzz', 'ok', 'query', { committed: changed });
  else history.record('fuzz', 'fail', 'query', { committed: changed }, reply.errors[0]);
  count(reply.ok ? (changed ? 'ok, committed' : 'ok') : reply.errors[0]?.code ?? '?');
  if (!reply.ok) checkFailure(what, reply.errors, changed);
}

async function sendText(text: string): Promise<void> {
  const what = `text ${JSON.stringify(text.slice(0, 500))}`;
  const v0 = dataVersion();
  history.record('fuzz', 'invoke', 'text', text.slice(0, 2000));
  // (Text with no statement at all, such as a lone comment, gives no results.)
  const results = await host.runText(text, 'fuzz');
  history.record('fuzz', 'ok', 'text', { committed: dataVersion() !== v0, statements: results.map((r) => (r.ok ? 'ok' : r.error?.code)) });
  const anyOk = results.some((r) => r.ok);
  for (const r of results) {
    count(`text: ${r.ok ? 'ok' : r.error?.code}`);
    if (r.ok) continue;
    checkFailure(what, [r.error!], !anyOk && dataVersion() !== v0);
    if (r.location) assert.ok(Number.isInteger(r.location.line) && r.location.line >= 1 && Number.isInteger(r.location.column) && r.location.column >= 1, `${what}: bad location ${JSON.stringify(r.location)}`);
  }
}

describe('fuzz through one EngineHost', () => {
  test('random wire JSON from the real form keys', async () => {
    // Sent as JSON text: host.query takes a string argument as the request's text, not as an FQL string.
    await fc.assert(fc.asyncProperty(wireExpr, (e) => sendWire(stringifyJson(e))), fcOptions(1000));
  });

  test('random FQL text: printed random expressions and token soup', async () => {
    await fc.assert(fc.asyncProperty(fc.oneof(tokenSoup, printedWire.filter((t): t is string => t !== null)), sendText), fcOptions(400));
  });

  test('malformed requests', async () => {
    const fixed = [
      '',
      ' ',
      '{',
      '[',
      '{"add":',
      '{"add": [1, 2]',
      'undefined',
      'NaN',
      '1e99999',
      '-',
      '"\\ud800"',
      '{"add": [1, 2], "add": [3]}',
      '{"__proto__": {"add": [1]}}',
      '{"constructor": 1}',
      '{"@ref": {}}',
      '{"@ref": 5}',
      '{"@ts": "not a time"}',
      '{"@date": 20200101}',
      '{"@bytes": "%%%"}',
      '{"@set": 1}',
      '{"@query": {}}',
      '{"@obj": 1}',
      '{"object": 5}',
      '{"lambda": 1, "expr": 2}',
      '{"let": [], "in": 1}',
      '{"let": {"x": {"var": "x"}}, "in": {"var": "x"}}',
      '{"var": "nope"}',
      '{"get": {"@ref": "collections/things/1"}}',
      '{"select": ["data"], "from": {"get": {"@ref": "collections/things/1"}}, "default": 1, "all": true}',
      '[' .repeat(100_000) + ']'.repeat(100_000),
      '{"add":['.repeat(3_000) + '1' + ']}'.repeat(3_000),
      '{"do":['.repeat(2_000) + '1' + ']}'.repeat(2_000),
      JSON.stringify({ concat: Array.from({ length: 200_000 }, () => 'x') }),
      '"' + 'x'.repeat(5_000_000) + '"',
    ];
    for (const text of fixed) await sendWire(text);
    await fc.assert(fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), sendWire), fcOptions(300));
    await fc.assert(
      fc.asyncProperty(
        wireExpr.map((e) => stringifyJson(e)),
        fc.nat(),
        fc.nat({ max: 4 }),
        fc.constantFrom('', '{', '}', '[', ']', ',', ':', '"', '\\', 'null', '1'),
        (text, at, del, ins) => {
          const i = at % (text.length + 1);
          return sendWire(text.slice(0, i) + ins + text.slice(i + del));
        },
      ),
      fcOptions(300),
    );
  });

  test('afterwards the host still answers, with the same workers, and the database checks out', async (t) => {
    t.diagnostic(`outcomes: ${JSON.stringify(Object.fromEntries([...outcomes].sort((a, b) => b[1] - a[1])))}`);
    assert.ok((outcomes.get('ok') ?? 0) > 0 && (outcomes.get('ok, committed') ?? 0) > 0, 'the fuzzing never got a query through, or never committed one');
    const r = await host.query(obj([['add', [1n, 1n]]]), 'fuzz');
    assert.deepEqual(r.ok && r.resource, 2n);
    const text = await host.runText('Add(2, 2)', 'fuzz');
    assert.deepEqual(text[0]?.resource, 4n);
    assert.equal(host.restartCount, 0, 'a worker was replaced during the fuzzing');
    const check = await host.check();
    assert.ok(check.ok, check.lines.join('\n'));
  });
});
