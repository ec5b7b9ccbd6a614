import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFql, FqlSyntaxError, MAX_NESTING } from '../../electron/engine/parse/index.js';
import { FQL_FUNCTIONS } from '../../shared/fql/print-functions.js';
import { DRIVER_REJECTS, DRIVER_WIRE, STRICTER_THAN_DRIVER } from './driver-fixtures.js';
import { assertSyntaxError, assertWire, driverJson, wire } from './helpers.js';

describe('wire forms match the faunadb JS driver', () => {
  it('produces exactly the driver JSON (keys in the driver order) for every fixture', () => {
    for (const [src, expected] of DRIVER_WIRE) {
      assert.equal(driverJson(wire(src)), expected, src);
    }
  });

  it('rejects what the driver rejects', () => {
    for (const src of DRIVER_REJECTS) assertSyntaxError(src);
  });

  it('rejects extra arguments the driver would silently drop', () => {
    for (const src of STRICTER_THAN_DRIVER) assertSyntaxError(src, { message: /expects 1 to 2 arguments, but got 3/ });
  });

  it('covers every function of the driver, the server-only First/Last and our Ledger()', () => {
    const covered = new Set(DRIVER_WIRE.map(([src]) => /^[A-Za-z]+/.exec(src)![0]));
    assert.equal(JSON.stringify(parseFql('Ledger()')[0]!.expr), '{"ledger":null}');
    for (const name of FQL_FUNCTIONS.keys()) {
      if (name === 'First' || name === 'Last' || name === 'Ledger') continue;
      assert.ok(covered.has(name), `no driver fixture for ${name}`);
    }
    assertWire('First([1, 2])', '{"first":[1,2]}');
    assertWire('Last(Documents(Collection("c")))', '{"last":{"documents":{"collection":"c"}}}');
  });
});

describe('function calls', () => {
  it('accepts calls with or without the q. prefix', () => {
    assertWire('q.Create(q.Collection("c"))', '{"create":{"collection":"c"}}');
    assertWire('q . Add(1, q.Subtract(3, 2))', '{"add":[1,{"subtract":[3,2]}]}');
  });

  it('applies the varargs convention', () => {
    assertWire('Add(1)', '{"add":1}');
    assertWire('Add(1, 2)', '{"add":[1,2]}');
    assertWire('Add([1, 2])', '{"add":[1,2]}');
    assertWire('Equals("a")', '{"equals":"a"}');
    assertWire('Union(Match(Index("a")), Match(Index("b"), "x"))',
      '{"union":[{"match":{"index":"a"},"terms":[]},{"match":{"index":"b"},"terms":"x"}]}');
    assertWire('Do(1)', '{"do":[1]}');
    assertWire('Do(1, 2)', '{"do":[1,2]}');
  });

  it('handles argument-order quirks', () => {
    assertWire('Map([1], x => x)', '{"map":{"lambda":"x","expr":{"var":"x"}},"collection":[1]}');
    assertWire('Foreach([1], x => x)', '{"foreach":{"lambda":"x","expr":{"var":"x"}},"collection":[1]}');
    assertWire('Filter([true], x => x)', '{"filter":{"lambda":"x","expr":{"var":"x"}},"collection":[true]}');
    assertWire('Select(["data", "a"], Var("d"))', '{"select":["data","a"],"from":{"var":"d"}}');
    assertWire('Select("a", {}, null)', '{"select":"a","from":{"object":{}},"default":null}');
    assertWire('Call(Function("f"))', '{"call":{"function":"f"},"arguments":[]}');
    assertWire('Call("f", 1)', '{"call":"f","arguments":1}');
    assertWire('Call("f", 1, "b")', '{"call":"f","arguments":[1,"b"]}');
    assertWire('Match(Index("i"))', '{"match":{"index":"i"},"terms":[]}');
    assertWire('Match(Index("i"), "a", 2)', '{"match":{"index":"i"},"terms":["a",2]}');
    assertWire('TimeDiff(Now(), Now(), "days")', '{"time_diff":{"now":null},"other":{"now":null},"unit":"days"}');
    assertWire('Hypot(3, 4)', '{"hypot":3,"b":4}');
    assertWire('Pow(2, 8)', '{"pow":2,"exp":8}');
    assertWire('MoveDatabase(Database("a"), Database("b"))', '{"move_database":{"database":"a"},"to":{"database":"b"}}');
  });

  it('omits optional parameters that are absent (or null where the driver drops null)', () => {
    assertWire('Get(Var("r"))', '{"get":{"var":"r"}}');
    assertWire('Get(Var("r"), null)', '{"get":{"var":"r"}}');
    assertWire('Get(Var("r"), Now())', '{"get":{"var":"r"},"ts":{"now":null}}');
    assertWire('Create(Collection("c"))', '{"create":{"collection":"c"}}');
    assertWire('Create("c", null)', '{"create":"c","params":null}');
    assertWire('FindStrRegex("s", "p", null, 3)', '{"findstrregex":"s","pattern":"p","num_results":3}');
    assertWire('SubString("abc", 1)', '{"substring":"abc","start":1}');
    assertWire('Database("d", null)', '{"database":"d","scope":null}');
    assertWire('Role("r", null)', '{"role":"r"}');
    assertWire('Collections()', '{"collections":null}');
    assertWire('Keys(Database("d"))', '{"keys":{"database":"d"}}');
  });

  it('spreads Paginate options to the top level', () => {
    assertWire('Paginate(Var("s"), {size: 2, after: Var("c")})', '{"paginate":{"var":"s"},"size":2,"after":{"var":"c"}}');
    assertWire('Paginate(Var("s"), {before: null, events: true, ts: Now()})',
      '{"paginate":{"var":"s"},"before":null,"events":true,"ts":{"now":null}}');
    assertWire('Paginate(Var("s"), {cursor: {after: [1]}})', '{"paginate":{"var":"s"},"cursor":{"object":{"after":[1]}}}');
    assertWire('Paginate(Var("s"), {})', '{"paginate":{"var":"s"}}');
    assertSyntaxError('Paginate(Var("s"), Var("o"))', { message: /Paginate options must be an object literal/ });
  });

  it('serialises Let bindings as an array of one-key objects', () => {
    assertWire('Let({a: 1, b: Var("a")}, Var("b"))', '{"let":[{"a":1},{"b":{"var":"a"}}],"in":{"var":"b"}}');
    assertWire('Let({x: {y: 1}}, 0)', '{"let":[{"x":{"object":{"y":1}}}],"in":0}');
    assertWire('Let([{a: 1}, {a: 2, b: 3}], 0)', '{"let":[{"a":1},{"a":2,"b":3}],"in":0}');
    assertWire('Let({a: 1, b: 2}, (x, y) => Add(x, y))', '{"let":[{"a":1},{"b":2}],"in":{"add":[{"var":"a"},{"var":"b"}]}}');
    assertSyntaxError('Let({a: 1}, (x, y) => x)', { message: /2 parameters but there are 1 bindings/ });
    assertSyntaxError('Let(Var("x"), 1)', { message: /Let expects an object literal/ });
    assertSyntaxError('Let([1], 1)', { message: /Let bindings must be object literals/ });
  });

  it('builds refs, bytes and schema refs', () => {
    assertWire('Ref(Collection("c"), "1")', '{"ref":{"collection":"c"},"id":"1"}');
    assertWire('Ref("collections/c/1")', '{"@ref":"collections/c/1"}');
    assertWire('Bytes("AQID")', '{"@bytes":"AQID"}');
    assertWire('Bytes("-_8=")', '{"@bytes":"+/8="}');
    assertSyntaxError('Bytes("abc")', { message: /valid base64/ });
    assertSyntaxError('Bytes(1)', { message: /base64 string literal/ });
    assertWire('Collection("c", Database("d"))', '{"collection":"c","scope":{"database":"d"}}');
    assertWire('AccessProviders()', '{"access_providers":null}');
    assertWire('AccessProvider("a")', '{"access_provider":"a"}');
  });

  it('reports unknown functions and arity errors with the function name', () => {
    assertSyntaxError('Foo(1)', { message: /^Unknown function 'Foo' at line 1, column 1$/ });
    assertSyntaxError('Get(\n  Bar())', { message: /Unknown function 'Bar'/, line: 2, column: 3 });
    assertSyntaxError('paginate(x)', { message: /did you mean 'Paginate'/ });
    assertSyntaxError('Add()', { message: /Add expects at least 1 argument, but got 0/ });
    assertSyntaxError('If(true, 1)', { message: /If expects exactly 3 arguments, but got 2/ });
    assertSyntaxError('Now(1)', { message: /Now expects no arguments, but got 1/ });
    assertSyntaxError('Collections(1, 2)', { message: /Collections expects at most 1 argument, but got 2/ });
    assertSyntaxError('Get(1, 2, 3)', { message: /Get expects 1 to 2 arguments, but got 3/ });
    assertSyntaxError('hasOwnProperty(1)', { message: /Unknown function 'hasOwnProperty'/ });
    assertSyntaxError('Add', { message: /Expected '\(' after the function name 'Add'/ });
  });
});

describe('literals', () => {
  it('wraps object literals as the driver does', () => {
    assertWire('{data: {name: "x", tags: ["a", {b: 1}]}}',
      '{"object":{"data":{"object":{"name":"x","tags":["a",{"object":{"b":1}}]}}}}');
    assertWire(`{"quoted key": 1, 'single': 2, bare: 3, 4: 5, if: 6, null: 7}`,
      '{"object":{"quoted key":1,"single":2,"bare":3,"4":5,"if":6,"null":7}}');
    assertWire('Object({a: Add(1, 2)})', '{"object":{"a":{"add":[1,2]}}}');
    assertWire('{}', '{"object":{}}');
    assertWire('{a: 1, b: 2, a: 3}', '{"object":{"a":3,"b":2}}');
    assertWire('{"@ref": 1}', '{"object":{"@ref":1}}');
    assertWire('{__proto__: 1}', '{"object":{"__proto__":1}}');
    assertSyntaxError('Object([1])', { message: /Object expects an object literal/ });
    assertSyntaxError('{[k]: 1}', { message: /Computed keys/ });
    assertSyntaxError('{a 1}', { message: /Expected ':' after the key 'a'/ });
  });

  it('parses arrays with trailing commas and rejects holes', () => {
    assertWire('[1, "a", [true, null],]', '[1,"a",[true,null]]');
    assertWire('[]', '[]');
    assertSyntaxError('[1,,2]', { message: /holes/ });
  });

  it('reads strings with JavaScript escapes', () => {
    assert.equal(wire(`"a\\nb\\t\\"q\\" \\\\ \\u00e9 \\u{1F600} \\x41 \\0 \\v \\b \\f \\r"`), 'a\nb\t"q" \\ é 😀 A \0 \v \b \f \r');
    assert.equal(wire(`'it\\'s'`), "it's");
    assert.equal(wire(`'say "hi"'`), 'say "hi"');
    assert.equal(wire('"line\\\ncontinued"'), 'linecontinued');
    assert.equal(wire('"\\q"'), 'q');
    assert.equal(wire('"\\ud83d"'), '\ud83d');
    assert.equal(wire('`template\nliteral \\u0041`'), 'template\nliteral A');
    assertSyntaxError('`a ${b}`', { message: /Template literal substitutions are not supported/, column: 4 });
    assertSyntaxError('"abc', { message: /Unterminated string/, line: 1, column: 1 });
    assertSyntaxError('"ab\ncd"', { message: /Unterminated string/ });
    assertSyntaxError('"\\u{110000}"', { message: /Invalid Unicode escape/ });
    assertSyntaxError('"\\uZZZZ"', { message: /Invalid Unicode escape/ });
    assertSyntaxError('"\\1"', { message: /Octal escapes/ });
  });

  it('keeps integers and doubles apart', () => {
    assert.equal(wire('0'), 0n);
    assert.equal(wire('-5'), -5n);
    assert.equal(wire('+7'), 7n);
    assert.equal(wire('9223372036854775807'), 9223372036854775807n);
    assert.equal(wire('-9223372036854775808'), -9223372036854775808n);
    assert.equal(wire('9223372036854775808'), 9223372036854775808);
    assert.equal(typeof wire('9223372036854775808'), 'number');
    assert.equal(wire('-9223372036854775809'), -9223372036854775809);
    assert.equal(wire('1.0'), 1);
    assert.equal(typeof wire('1.0'), 'number');
    assert.equal(wire('3.99'), 3.99);
    assert.equal(wire('1e3'), 1000);
    assert.equal(typeof wire('1e3'), 'number');
    assert.equal(wire('1.5E-3'), 0.0015);
    assert.equal(wire('.5'), 0.5);
    assert.equal(wire('5.'), 5);
    assert.equal(typeof wire('5.'), 'number');
    assert.ok(Object.is(wire('-0.0'), -0));
    assert.equal(wire('0x1F'), 31n);
    assert.equal(wire('0o17'), 15n);
    assert.equal(wire('0b101'), 5n);
    assert.equal(wire('-0x10'), -16n);
    assert.equal(wire('1_000_000'), 1000000n);
    assert.equal(wire('12n'), 12n);
    assert.equal(wire('0xFFFFFFFFFFFFFFFF'), 18446744073709551615);
    assert.ok(Number.isNaN(wire('NaN')));
    assert.equal(wire('Infinity'), Infinity);
    assert.equal(wire('-Infinity'), -Infinity);
    assert.equal(wire('1e400'), Infinity);
    assert.deepEqual(wire('[-1, - 2, -1.5]'), [-1n, -2n, -1.5]);
    assertSyntaxError('007', { message: /leading zero/ });
    assertSyntaxError('1__0', { message: /numeric separator/ });
    assertSyntaxError('1_', { message: /numeric separator/ });
    assertSyntaxError('0x', { message: /Invalid number/ });
    assertSyntaxError('3in', { message: /directly after a number/ });
    assertSyntaxError('1.5n', { message: /BigInt/ });
    assertSyntaxError('-"a"', { message: /Unary '-' is only supported before a number literal/ });
    assertSyntaxError('--1', { message: /Unary '-'/ });
  });

  it('reads true, false and null, and rejects undefined', () => {
    assert.equal(wire('true'), true);
    assert.equal(wire('false'), false);
    assert.equal(wire('null'), null);
    assertSyntaxError('Add(undefined)', { message: /'undefined' is not a valid FQL value/, column: 5 });
  });
});

describe('comments, whitespace and statements', () => {
  it('skips comments and accepts trailing commas', () => {
    assertWire('// leading\nAdd(1, /* two */ 2, ) // trailing', '{"add":[1,2]}');
    assertWire('Let(\n  {a: 1,}, // bindings\n  Var("a"),\n)', '{"let":[{"a":1}],"in":{"var":"a"}}');
    assertSyntaxError('Add(1 /* never closed', { message: /Unterminated comment/, column: 7 });
  });

  it('splits statements on semicolons and complete lines', () => {
    const stmts = parseFql('Add(1, 2); Now()\nCollections()\n\n;;\nGet(\n  Ref(Collection("c"), "1")\n)\n');
    assert.equal(stmts.length, 4);
    assert.deepEqual(stmts.map((s) => s.text), ['Add(1, 2)', 'Now()', 'Collections()', 'Get(\n  Ref(Collection("c"), "1")\n)']);
    assert.deepEqual(stmts[3]!.start, { offset: 35, line: 5, column: 1 });
    assert.deepEqual(stmts[3]!.end, { offset: 69, line: 7, column: 2 });
    assert.deepEqual(stmts[1]!.start, { offset: 11, line: 1, column: 12 });
  });

  it('does not end a statement at a line break inside an expression', () => {
    const stmts = parseFql('Map(\n  [1,\n   2],\n  x\n  =>\n  Add(\n x,\n 1))');
    assert.equal(stmts.length, 1);
  });

  it('treats a comment holding a line break as a line break', () => {
    assert.equal(parseFql('Now() /*\n*/ Now()').length, 2);
    assertSyntaxError('Now() /* */ Now()', { message: /Expected ';' or a new line/ });
  });

  it('ignores empty input and empty statements', () => {
    assert.deepEqual(parseFql(''), []);
    assert.deepEqual(parseFql('  ;; // nothing\n /* */ '), []);
  });

  it('handles CRLF line endings in positions', () => {
    assertSyntaxError('Add(1,\r\n  2,\r\n  Foo())', { line: 3, column: 3 });
  });

  it('requires a separator between statements on one line', () => {
    assertSyntaxError('Add(1) Add(2)', { message: /^Expected ';' or a new line after the statement, found 'Add' at line 1, column 8$/ });
  });
});

describe('lambdas', () => {
  it('turns arrow functions into lambdas with bound variables', () => {
    assertWire('x => Add(x, 1)', '{"lambda":"x","expr":{"add":[{"var":"x"},1]}}');
    assertWire('(x) => x', '{"lambda":"x","expr":{"var":"x"}}');
    assertWire('(a, b) => [a, b]', '{"lambda":["a","b"],"expr":[{"var":"a"},{"var":"b"}]}');
    assertWire('() => Now()', '{"lambda":[],"expr":{"now":null}}');
    assertWire('([a, b]) => b', '{"lambda":["a","b"],"expr":{"var":"b"}}');
    assertWire('([a, [b, c]], d,) => c', '{"lambda":[["a",["b","c"]],"d"],"expr":{"var":"c"}}');
    assertWire('(_, v) => v', '{"lambda":["_","v"],"expr":{"var":"v"}}');
    assertWire('x => { return x; }', '{"lambda":"x","expr":{"var":"x"}}');
    assertWire('x => ({a: x})', '{"lambda":"x","expr":{"object":{"a":{"var":"x"}}}}');
    assertWire('x => {a: x}', '{"lambda":"x","expr":{"object":{"a":{"var":"x"}}}}');
    assertWire('x => {x}', '{"lambda":"x","expr":{"object":{"x":{"var":"x"}}}}');
    assertWire('function (a, b) { return Add(a, b) }', '{"lambda":["a","b"],"expr":{"add":[{"var":"a"},{"var":"b"}]}}');
    assertWire('function named(a) { return a }', '{"lambda":"a","expr":{"var":"a"}}');
  });

  it('resolves identifiers through enclosing arrows, innermost first', () => {
    assertWire('x => y => [x, y]', '{"lambda":"x","expr":{"lambda":"y","expr":[{"var":"x"},{"var":"y"}]}}');
    assertWire('x => x => x', '{"lambda":"x","expr":{"lambda":"x","expr":{"var":"x"}}}');
    assertWire('Map([1], x => Map([2], y => Add(x, y)))',
      '{"map":{"lambda":"x","expr":{"map":{"lambda":"y","expr":{"add":[{"var":"x"},{"var":"y"}]}},"collection":[2]}},"collection":[1]}');
    assertWire('Date => Date', '{"lambda":"Date","expr":{"var":"Date"}}');
    assertWire('NaN => NaN', '{"lambda":"NaN","expr":{"var":"NaN"}}');
  });

  it('supports Lambda() with names or with a function', () => {
    assertWire('Lambda("x", Var("x"))', '{"lambda":"x","expr":{"var":"x"}}');
    assertWire('Lambda(["a", "b"], Var("a"))', '{"lambda":["a","b"],"expr":{"var":"a"}}');
    assertWire('Lambda(x => x)', '{"lambda":"x","expr":{"var":"x"}}');
    assertWire('Query(x => x)', '{"query":{"lambda":"x","expr":{"var":"x"}}}');
    assertSyntaxError('Lambda(1)', { message: /Lambda takes either a function or an expression/ });
  });

  it('rejects unbound identifiers and bad parameters', () => {
    assertSyntaxError('x', { message: /^Unknown identifier 'x' at line 1, column 1$/ });
    assertSyntaxError('Lambda("x", x)', { message: /Unknown identifier 'x'/, column: 13 });
    assertSyntaxError('x => y', { message: /Unknown identifier 'y'/, column: 6 });
    assertSyntaxError('[x => x, x]', { message: /Unknown identifier 'x'/, column: 10 });
    assertSyntaxError('(a, a) => a', { message: /Duplicate parameter name 'a'/ });
    assertSyntaxError('(true) => 1', { message: /'true' cannot be used as a parameter name/ });
    assertSyntaxError('({a}) => a', { message: /Object destructuring/ });
    assertSyntaxError('(a = 1) => a');
    assertSyntaxError('(a b) => a', { message: /Expected ',' or '\)' in parameter list/ });
    assertSyntaxError('x => { foo }', { message: /Expected ':' after the key 'foo'/ });
    assertSyntaxError('function (a) a', { message: /Expected '\{' before the function body/ });
  });
});

describe('syntax errors', () => {
  it('gives line and column of the offending token', () => {
    assertSyntaxError('Add(1,\n  2\n  3)', { message: /Expected ',' or '\)' in the arguments of Add, found number 3/, line: 3, column: 3 });
    assertSyntaxError('Get(', { message: /Unexpected end of input/, line: 1, column: 5 });
    assertSyntaxError('Add(1, 2))', { message: /Expected ';' or a new line after the statement, found '\)'/, column: 10 });
    assertSyntaxError('Add(1, ]', { message: /Expected an expression, found '\]'/, column: 8 });
    assertSyntaxError('  @', { message: /Unexpected character '@'/, column: 3 });
    assertSyntaxError('Add(1) / 2', { message: /Unexpected character '\/'/ });
    assertSyntaxError('a.b', { message: /Unknown identifier 'a'/ });
    assertSyntaxError('q.', { message: /Expected a function name after 'q\.'/ });
    assertSyntaxError('[...a]', { message: /Spread syntax/ });
    assertSyntaxError('\u0001', { message: /Unexpected character U\+0001/ });
    assertSyntaxError('(1', { message: /Expected '\)' to close the '\(' at line 1, column 1/ });
  });

  it('reports the first problem in the text', () => {
    assertSyntaxError('Foo(1); "unterminated', { message: /Unknown function 'Foo'/ });
    assertSyntaxError('Add(1); Add(1, "x\n', { message: /Unterminated string/, column: 16 });
  });

  it('is an Error with the position fields', () => {
    const e = assertSyntaxError('\n\n   Bad()');
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'FqlSyntaxError');
    assert.equal(e.line, 3);
    assert.equal(e.column, 4);
    assert.equal(e.offset, 5);
    assert.equal(e.reason, "Unknown function 'Bad'");
  });
});

describe('nesting limit', () => {
  const kinds: Array<[string, (n: number) => string]> = [
    ['arrays', (n) => '['.repeat(n) + ']'.repeat(n)],
    ['objects', (n) => '{a:'.repeat(n) + '1' + '}'.repeat(n)],
    ['calls', (n) => 'Not('.repeat(n) + 'true' + ')'.repeat(n)],
    ['parentheses', (n) => '('.repeat(n) + '1' + ')'.repeat(n)],
    ['arrows', (n) => 'x => '.repeat(n) + 'x'],
    ['parameter patterns', (n) => `(${'['.repeat(n)}a${']'.repeat(n)}) => a`],
  ];
  for (const [name, make] of kinds) {
    it(`accepts ${MAX_NESTING} nested ${name} and rejects deeper nesting cleanly`, () => {
      assert.equal(parseFql(make(name === 'parameter patterns' ? MAX_NESTING - 1 : MAX_NESTING)).length, 1);
      assertSyntaxError(make(MAX_NESTING + 1), { message: /nested too deeply/ });
      assertSyntaxError(make(100_000), { message: /nested too deeply/ });
    });
  }
  it('rejects unbalanced deep input quickly', () => {
    const start = performance.now();
    assertSyntaxError('('.repeat(200_000));
    assertSyntaxError('['.repeat(200_000));
    assert.ok(performance.now() - start < 2000);
  });
});

describe('source spans', () => {
  it('maps wire paths to the source they came from', () => {
    const src = 'Create(Collection("c"),\n  {data: {name: "x", n: [1, Add(2, 3)]}})';
    const [stmt] = parseFql(src);
    const text = (path: Array<string | number>): string => {
      const span = stmt!.spans.get(JSON.stringify(path));
      assert.ok(span, `no span for ${JSON.stringify(path)}`);
      return src.slice(span.start.offset, span.end.offset);
    };
    assert.equal(text([]), src);
    assert.equal(text(['create']), 'Collection("c")');
    assert.equal(text(['create', 'collection']), '"c"');
    assert.equal(text(['params']), '{data: {name: "x", n: [1, Add(2, 3)]}}');
    assert.equal(text(['params', 'object', 'data', 'object', 'name']), '"x"');
    assert.equal(text(['params', 'object', 'data', 'object', 'n', 1]), 'Add(2, 3)');
    assert.equal(text(['params', 'object', 'data', 'object', 'n', 1, 'add', 0]), '2');
    const span = stmt!.spans.get('["params","object","data","object","name"]')!;
    assert.deepEqual(span.start, { offset: 40, line: 2, column: 17 });
  });

  it('covers varargs, Let, Paginate options and lambdas', () => {
    const src = 'Let({a: Add(1)}, Paginate(Var("s"), {size: 2})); Map([1], x => Add(x, "y"))';
    const [s1, s2] = parseFql(src);
    const text = (stmt: typeof s1, path: Array<string | number>): string => {
      const span = stmt!.spans.get(JSON.stringify(path))!;
      return src.slice(span.start.offset, span.end.offset);
    };
    assert.equal(text(s1, ['let', 0, 'a']), 'Add(1)');
    assert.equal(text(s1, ['let', 0, 'a', 'add']), '1');
    assert.equal(text(s1, ['in', 'size']), '2');
    assert.equal(text(s2, ['map']), 'x => Add(x, "y")');
    assert.equal(text(s2, ['map', 'lambda']), 'x');
    assert.equal(text(s2, ['map', 'expr', 'add', 1]), '"y"');
    assert.equal(text(s2, ['collection', 0]), '1');
  });
});

describe('performance', () => {
  it('parses a large query quickly', () => {
    const doc = '{name: "widget", price: 3.99, qty: 12, tags: ["a", "b"], when: Time("2021-01-01T00:00:00Z")}';
    const src = `Do(${Array.from({ length: 5000 }, (_, i) => `Create(Ref(Collection("p"), "${i}"), {data: ${doc}})`).join(',\n')})`;
    const start = performance.now();
    const [stmt] = parseFql(src);
    const ms = performance.now() - start;
    assert.equal((stmt!.expr as { do: unknown[] }).do.length, 5000);
    assert.ok(ms < 2000, `took ${ms} ms for ${src.length} chars`);
  });

  it('never throws anything but FqlSyntaxError on odd input', () => {
    for (const src of ['\uD800', '"\\u{', '0b', '1e', '1e+', '`', '`\\', "'\\", '/*', 'q.q.', '=>', '() =>', 'x =>', '(', ')', '{', '}', '{a', '{a:', 'function', 'function (', '\u2028', '-', '.', '..', '5.e']) {
      try {
        parseFql(src);
      } catch (e) {
        assert.ok(e instanceof FqlSyntaxError, `${JSON.stringify(src)}: ${String(e)}`);
      }
    }
  });
});
