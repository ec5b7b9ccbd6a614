import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFql } from '../../electron/engine/parse/index.js';
import { parseJson, type Json } from '../../shared/fql/json.js';
import { formatFqlDouble, printExpr, printFql } from '../../shared/fql/print.js';
import { DRIVER_WIRE } from './driver-fixtures.js';
import { jsonEqual } from './helpers.js';

const native = (id: string): string => `{"@ref":{"id":"${id}"}}`;
const schema = (kind: string, id: string, db?: string): string =>
  `{"@ref":{"id":"${id}","collection":${native(kind)}${db ? `,"database":${db}` : ''}}}`;
const coll = (id: string, db?: string): string => schema('collections', id, db);
const docRef = (c: string, id: string): string => `{"@ref":{"id":"${id}","collection":${coll(c)}}}`;
const child = schema('databases', 'child');

const pf = (json: string, options?: { indent?: number; maxWidth?: number }): string => printFql(parseJson(json), options);

describe('printFql: values', () => {
  it('prints a document like the shell', () => {
    const doc = `{"ref":${docRef('orders', '101')},"ts":1617317166760000,"data":{"customer":${docRef('customers', '101')},"status":"processing","creationDate":{"@ts":"2021-04-01T22:46:06.604Z"}}}`;
    assert.equal(
      pf(doc),
      [
        '{',
        '  ref: Ref(Collection("orders"), "101"),',
        '  ts: 1617317166760000,',
        '  data: {',
        '    customer: Ref(Collection("customers"), "101"),',
        '    status: "processing",',
        '    creationDate: Time("2021-04-01T22:46:06.604Z")',
        '  }',
        '}',
      ].join('\n'),
    );
    assert.equal(
      pf(doc, { maxWidth: 1000 }),
      '{ ref: Ref(Collection("orders"), "101"), ts: 1617317166760000, data: { customer: Ref(Collection("customers"), "101"), status: "processing", creationDate: Time("2021-04-01T22:46:06.604Z") } }',
    );
  });

  it('prints refs', () => {
    assert.equal(pf(docRef('orders', '101')), 'Ref(Collection("orders"), "101")');
    assert.equal(pf(coll('x')), 'Collection("x")');
    assert.equal(pf(schema('indexes', 'by_name')), 'Index("by_name")');
    assert.equal(pf(schema('functions', 'f')), 'Function("f")');
    assert.equal(pf(schema('roles', 'r')), 'Role("r")');
    assert.equal(pf(schema('databases', 'd')), 'Database("d")');
    assert.equal(pf(schema('access_providers', 'ap')), 'AccessProvider("ap")');
    assert.equal(pf(schema('keys', '123')), 'Ref(Keys(), "123")');
    assert.equal(pf(schema('tokens', '9')), 'Ref(Tokens(), "9")');
    assert.equal(pf(schema('credentials', '7')), 'Ref(Credentials(), "7")');
    const natives: Array<[string, string]> = [
      ['collections', 'Collections()'], ['indexes', 'Indexes()'], ['functions', 'Functions()'], ['databases', 'Databases()'],
      ['keys', 'Keys()'], ['tokens', 'Tokens()'], ['credentials', 'Credentials()'], ['roles', 'Roles()'],
      ['access_providers', 'AccessProviders()'],
    ];
    for (const [id, text] of natives) assert.equal(pf(native(id)), text);
    assert.equal(pf('{"@ref":"collections/widgets/1"}'), 'Ref("collections/widgets/1")');
  });

  it('prints scoped refs', () => {
    assert.equal(pf(coll('x', child)), 'Collection("x", Database("child"))');
    assert.equal(pf(`{"@ref":{"id":"collections","database":${child}}}`), 'Collections(Database("child"))');
    assert.equal(pf(`{"@ref":{"id":"1","collection":${coll('x', child)}}}`), 'Ref(Collection("x", Database("child")), "1")');
    assert.equal(pf(schema('databases', 'grandchild', child)), 'Database("grandchild", Database("child"))');
    assert.equal(pf(`{"@ref":{"id":"5","collection":{"@ref":{"id":"keys","database":${child}}}}}`), 'Ref(Keys(Database("child")), "5")');
    assert.equal(pf(schema('access_providers', 'ap', child)), 'Ref(AccessProviders(Database("child")), "ap")');
  });

  it('prints times, dates, bytes and @obj', () => {
    assert.equal(pf('{"@ts":"2020-01-01T00:00:00Z"}'), 'Time("2020-01-01T00:00:00Z")');
    assert.equal(pf('{"@date":"2020-01-31"}'), 'Date("2020-01-31")');
    assert.equal(pf('{"@bytes":"AQIDBA=="}'), 'Bytes("AQIDBA==")');
    assert.equal(pf('{"@obj":{"@ref":"not a ref","n":1}}'), '{ "@ref": "not a ref", n: 1 }');
    assert.equal(pf('{"@obj":{}}'), '{}');
  });

  it('prints sets as FQL expressions', () => {
    const idx = schema('indexes', 'by_name');
    assert.equal(pf(`{"@set":{"match":${idx},"terms":"cups"}}`), 'Match(Index("by_name"), "cups")');
    assert.equal(pf(`{"@set":{"match":${idx}}}`), 'Match(Index("by_name"))');
    assert.equal(pf(`{"@set":{"match":${idx},"terms":["a",1]}}`), 'Match(Index("by_name"), "a", 1)');
    assert.equal(pf(`{"@set":{"documents":${coll('x')}}}`), 'Documents(Collection("x"))');
    assert.equal(
      pf(`{"@set":{"union":[{"@set":{"match":${idx},"terms":"a"}},{"@set":{"documents":${coll('x')}}}]}}`),
      'Union(Match(Index("by_name"), "a"), Documents(Collection("x")))',
    );
    assert.equal(pf(`{"@set":{"union":{"@set":{"documents":${coll('x')}}}}}`), 'Union(Documents(Collection("x")))');
    assert.equal(pf(`{"@set":{"range":{"@set":{"match":${idx}}},"from":3}}`), 'Range(Match(Index("by_name")), 3, [])');
    assert.equal(pf(`{"@set":{"distinct":{"@set":{"match":${idx}}}}}`), 'Distinct(Match(Index("by_name")))');
    assert.equal(pf(`{"@set":{"reverse":{"@set":{"documents":${coll('x')}}}}}`), 'Reverse(Documents(Collection("x")))');
    assert.equal(pf(`{"@set":{"singleton":${docRef('x', '1')}}}`), 'Singleton(Ref(Collection("x"), "1"))');
    assert.equal(pf(`{"@set":{"events":${docRef('x', '1')}}}`), 'Events(Ref(Collection("x"), "1"))');
    assert.equal(
      pf(`{"@set":{"join":{"@set":{"match":${idx},"terms":"a"}},"with":${schema('indexes', 'other')}}}`),
      'Join(Match(Index("by_name"), "a"), Index("other"))',
    );
    assert.equal(
      pf(`{"@set":{"filter":{"lambda":"x","expr":{"equals":[{"var":"x"},1]}},"collection":{"@set":{"match":${idx}}}}}`),
      'Filter(Match(Index("by_name")), Lambda("x", Equals(Var("x"), 1)))',
    );
  });

  it('prints @query values', () => {
    assert.equal(
      pf('{"@query":{"lambda":"x","expr":{"add":[{"var":"x"},1]},"api_version":"4"}}'),
      'Query(Lambda("x", Add(Var("x"), 1)))',
    );
    assert.equal(
      pf('{"@query":{"lambda":["a","b"],"expr":{"let":[{"s":{"add":[{"var":"a"},{"var":"b"}]}}],"in":{"object":{"sum":{"var":"s"}}}},"api_version":"4"}}', { maxWidth: 120 }),
      'Query(Lambda(["a", "b"], Let({ s: Add(Var("a"), Var("b")) }, { sum: Var("s") })))',
    );
  });

  it('prints scalars, keys and nested data', () => {
    assert.equal(pf('4'), '4');
    assert.equal(pf('-9223372036854775808'), '-9223372036854775808');
    assert.equal(pf('4.0'), '4.0');
    assert.equal(pf('3.99'), '3.99');
    assert.equal(pf('1e21'), '1.0E21');
    assert.equal(pf('1.5e-7'), '1.5E-7');
    assert.equal(printFql(-0), '-0.0');
    assert.equal(printFql(NaN), 'NaN');
    assert.equal(printFql(-Infinity), '-Infinity');
    assert.equal(formatFqlDouble(100), '100.0');
    assert.equal(pf('"a\\"b\\n\\u0001é"'), '"a\\"b\\n\\u0001é"');
    assert.equal(pf('true'), 'true');
    assert.equal(pf('null'), 'null');
    assert.equal(pf('[]'), '[]');
    assert.equal(pf('{}'), '{}');
    assert.equal(pf('{"a b":1,"_ok$":2,"1x":3,"":4,"ü":5}'), '{ "a b": 1, _ok$: 2, "1x": 3, "": 4, "ü": 5 }');
    assert.equal(pf('{"data":[1,[2,{"x":[]}]]}'), '{ data: [1, [2, { x: [] }]] }');
  });

  it('prints pages', () => {
    const page = `{"before":[${docRef('p', '1')}],"after":[${docRef('p', '4')}],"data":[${docRef('p', '1')},${docRef('p', '2')},${docRef('p', '3')}]}`;
    assert.equal(
      pf(page),
      [
        '{',
        '  before: [Ref(Collection("p"), "1")],',
        '  after: [Ref(Collection("p"), "4")],',
        '  data: [',
        '    Ref(Collection("p"), "1"),',
        '    Ref(Collection("p"), "2"),',
        '    Ref(Collection("p"), "3")',
        '  ]',
        '}',
      ].join('\n'),
    );
  });

  it('honours indent and maxWidth', () => {
    assert.equal(pf('{"a":[1,2],"b":{"c":"d"}}', { maxWidth: 20, indent: 4 }), '{\n    a: [1, 2],\n    b: { c: "d" }\n}');
    assert.equal(pf('{"a":[1,2],"b":{"c":"d"}}', { maxWidth: 10, indent: 4 }), '{\n    a: [\n        1,\n        2\n    ],\n    b: {\n        c: "d"\n    }\n}');
    assert.equal(pf('[1,2,3]', { maxWidth: 9 }), '[1, 2, 3]');
    assert.equal(pf('[1,2,3]', { maxWidth: 8 }), '[\n  1,\n  2,\n  3\n]');
    // A trailing comma counts against the width of the line.
    assert.equal(pf('[[1,2],[3,4]]', { maxWidth: 9 }), '[\n  [1, 2],\n  [3, 4]\n]');
    assert.equal(pf('[[1,2],[3,4]]', { maxWidth: 8 }), '[\n  [\n    1,\n    2\n  ],\n  [3, 4]\n]');
  });

  it('never produces a line longer than maxWidth when a break helps', () => {
    const data: Json = parseJson(`{"items":[${Array.from({ length: 30 }, (_, i) => `{"n":${i},"name":"item number ${i}","ref":${docRef('items', String(i))}}`).join(',')}]}`);
    const text = printFql(data);
    for (const line of text.split('\n')) assert.ok(line.length <= 80, line);
  });

  it('falls back to an object literal for malformed tags', () => {
    assert.equal(pf('{"@ref":{"no":"id"}}'), '{ "@ref": { no: "id" } }');
    assert.equal(pf('{"@ts":1}'), '{ "@ts": 1 }');
    assert.equal(pf('{"@ref":{"id":"1","collection":5}}'), '{ "@ref": { id: "1", collection: 5 } }');
    assert.equal(pf('{"@other":1}'), '{ "@other": 1 }');
  });
});

describe('printExpr: wire expressions', () => {
  const cases: Array<[string, string]> = [
    ['{"add":[1,2]}', 'Add(1, 2)'],
    ['{"add":1}', 'Add(1)'],
    ['{"add":[1]}', 'Add([1])'],
    ['{"add":[]}', 'Add([])'],
    ['{"var":"x"}', 'Var("x")'],
    ['{"object":{"a":{"var":"x"},"b c":[1.0]}}', '{ a: Var("x"), "b c": [1.0] }'],
    ['{"let":[{"a":1},{"b":{"var":"a"}}],"in":{"var":"b"}}', 'Let({ a: 1, b: Var("a") }, Var("b"))'],
    ['{"let":[{"a":1},{"a":2}],"in":0}', 'Let([{ a: 1 }, { a: 2 }], 0)'],
    ['{"let":{"a":1},"in":0}', 'Let({ a: 1 }, 0)'],
    ['{"map":{"lambda":"x","expr":{"var":"x"}},"collection":[1]}', 'Map([1], Lambda("x", Var("x")))'],
    ['{"paginate":{"match":{"index":"i"},"terms":[]},"size":2,"after":null}', 'Paginate(Match(Index("i")), { size: 2, after: null })'],
    ['{"select":["a"],"from":{"var":"d"},"default":null}', 'Select(["a"], Var("d"), null)'],
    ['{"call":{"function":"f"},"arguments":[]}', 'Call(Function("f"))'],
    ['{"call":"f","arguments":[1]}', 'Call("f", [1])'],
    ['{"call":"f","arguments":[1,2]}', 'Call("f", 1, 2)'],
    ['{"call":"f"}', 'Call("f")'],
    ['{"create":{"collection":"c"},"params":{"object":{"data":{"object":{"n":1}}}}}', 'Create(Collection("c"), { data: { n: 1 } })'],
    ['{"collections":null}', 'Collections()'],
    ['{"keys":{"database":"d"}}', 'Keys(Database("d"))'],
    ['{"now":null}', 'Now()'],
    ['{"findstrregex":"s","pattern":"p","num_results":3}', 'FindStrRegex("s", "p", null, 3)'],
    ['{"ref":{"collection":"c"},"id":"1"}', 'Ref(Collection("c"), "1")'],
    ['{"@ref":"collections/c/1"}', 'Ref("collections/c/1")'],
    ['{"@ref":{"concat":["a","b"]}}', 'Ref(Concat(["a", "b"]))'],
    ['{"do":[1,2]}', 'Do(1, 2)'],
    ['{"format":"%s","values":[]}', 'Format("%s")'],
    ['{"lambda":[],"expr":1}', 'Lambda([], 1)'],
    ['{"query":{"lambda":"x","expr":{"var":"x"}}}', 'Query(Lambda("x", Var("x")))'],
    ['{"@obj":{"add":[1,2]}}', 'Add(1, 2)'],
    ['{"unknown_form":1}', '{ unknown_form: 1 }'],
    ['{"now":1}', '{ now: 1 }'],
    ['{"get":1,"bogus":2}', '{ get: 1, bogus: 2 }'],
  ];
  for (const [json, text] of cases) {
    it(`prints ${json}`, () => {
      assert.equal(printExpr(parseJson(json), { maxWidth: 200 }), text);
    });
  }

  it('round-trips every driver fixture through print and parse', () => {
    for (const [src] of DRIVER_WIRE) {
      const expr = parseFql(src)[0]!.expr;
      for (const maxWidth of [80, 10]) {
        const printed = printExpr(expr, { maxWidth });
        const back = parseFql(printed);
        assert.equal(back.length, 1, printed);
        assert.ok(jsonEqual(back[0]!.expr, expr), `${src}\n printed: ${printed}`);
      }
    }
  });
});
