/**
 * Collection constraints (issue 6): what constraints.json cannot show — the
 * `failures` of a `validation failed` error (one per violation, with the
 * field's path below `data`), and the constraints the sample store puts on
 * its own collections.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { provisionSampleStore } from '../../electron/sample/sample-store.js';
import { memoryEngine } from '../helpers/engine.js';
import { fql, fqlError } from './helpers.js';

interface Failure {
  field: (string | number)[];
  code: string;
  description: string;
}

const failures = (e: unknown): Failure[] => (e as { failures: Failure[] }).failures;

describe('validation failures', () => {
  test('each violation is a failure with the path of its field, array positions as numbers', () => {
    const engine = memoryEngine();
    try {
      fql(
        engine,
        `CreateCollection({name: "c", constraints: {schema: {type: "object", required: ["id"], properties: {
          data: {type: "object", properties: {x: {minimum: 0}}},
          "a.b": {type: "string"},
          "a/b~c": {type: "string"},
          lines: {type: "array", items: {type: "object", properties: {quantity: {type: "integer", minimum: 1}}}},
          address: {type: "object", required: ["zipCode"]}
        }}}})`,
      );
      const e = fqlError(engine, 'Create(Collection("c"), {data: {data: {x: -1}, "a.b": 1, "a/b~c": 2, lines: [{quantity: 1}, {quantity: 0}], address: {}}})');
      assert.equal(e.code, 'validation failed');
      assert.deepEqual(failures(e), [
        { field: ['data', 'id'], code: 'required', description: 'id: is required' },
        { field: ['data', 'data', 'x'], code: 'minimum', description: 'data.x: -1 is less than the minimum of 0' },
        { field: ['data', 'a.b'], code: 'type', description: 'a.b: 1 is not of type string' },
        { field: ['data', 'a/b~c'], code: 'type', description: 'a/b~c: 2 is not of type string' },
        { field: ['data', 'lines', 1, 'quantity'], code: 'minimum', description: 'lines.1.quantity: 0 is less than the minimum of 1' },
        { field: ['data', 'address', 'zipCode'], code: 'required', description: 'address.zipCode: is required' },
      ]);
      assert.equal(e.description, failures(e).map((f) => f.description).join('; '));
    } finally {
      engine.close();
    }
  });

  test('a stored ref into a missing collection is an invalid reference at its own path', () => {
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c"})');
      const e = fqlError(engine, 'Create(Collection("c"), {data: {a: [1, {b: Ref(Collection("nope"), "1"), ok: Collection("c")}], z: Ref(Collection("gone"), "2")}})');
      assert.equal(e.code, 'validation failed');
      assert.deepEqual(failures(e), [
        { field: ['data', 'a', 1, 'b'], code: 'invalid reference', description: 'Cannot read reference.' },
        { field: ['data', 'z'], code: 'invalid reference', description: 'Cannot read reference.' },
      ]);
    } finally {
      engine.close();
    }
  });

  test('a failing check is a failure on data with the check constraint failure code', () => {
    const engine = memoryEngine();
    try {
      fql(engine, 'CreateCollection({name: "c", constraints: {checks: [{name: "positive", predicate: Query(Lambda("d", GT(Select(["data", "q"], Var("d")), 0)))}]}})');
      assert.deepEqual(failures(fqlError(engine, 'Create(Collection("c"), {data: {q: 0}})')), [{ field: ['data'], code: 'check constraint failure', description: "check 'positive' failed" }]);
    } finally {
      engine.close();
    }
  });

  test('an invalid constraint definition names the constraints field', () => {
    const engine = memoryEngine();
    try {
      const e = fqlError(engine, 'CreateCollection({name: "c", constraints: {schema: {properties: {q: {minimum: "zero"}}}}})');
      assert.deepEqual(failures(e)[0]!.field, ['constraints', 'schema']);
      assert.equal(failures(e)[0]!.code, 'invalid schema');
      assert.match(failures(e)[0]!.description, /^Invalid JSON Schema: .*minimum must be number/);
      assert.deepEqual(failures(fqlError(engine, 'CreateCollection({name: "c", constraints: {checks: [{name: "x"}]}})'))[0]!.field, ['constraints', 'checks', 0]);
      assert.equal(fql(engine, 'Exists(Collection("c"))'), false);
    } finally {
      engine.close();
    }
  });
});

describe("the sample store's constraints", () => {
  test('products: stock and prices are never negative, names never empty, backordered a Boolean', () => {
    const engine = memoryEngine();
    try {
      assert.ok(provisionSampleStore(engine).ok);
      const P = 'Ref(Collection("products"), "201")';
      for (const [params, description] of [
        ['{quantity: -10}', 'quantity: -10 is less than the minimum of 0'],
        ['{quantity: 1.5}', 'quantity: 1.5 is not of type integer'],
        ['{price: -0.01}', 'price: -0.01 is less than the minimum of 0'],
        ['{name: ""}', 'name: must be at least 1 characters long'],
        ['{backordered: "yes"}', 'backordered: "yes" is not of type boolean'],
        ['{store: null}', 'store: is required'],
      ] as const) {
        const e = fqlError(engine, `Update(${P}, {data: ${params}})`);
        assert.equal(e.code, 'validation failed', params);
        assert.equal(e.description, description, params);
      }
      // Selling out exactly is allowed: the minimum is 0.
      assert.equal(fql(engine, `Select(["data", "quantity"], Update(${P}, {data: {quantity: 0}}))`), 0n);
    } finally {
      engine.close();
    }
  });

  test('orders: status is one of processing/shipped, lines are not empty and their quantities positive', () => {
    const engine = memoryEngine();
    try {
      assert.ok(provisionSampleStore(engine).ok);
      const order = fql(engine, 'Select("ref", Call("submit_order", "101", [{productId: "204", quantity: 1}]))');
      const O = `Ref(Collection("orders"), "${(order as { '@ref': { id: string } })['@ref'].id}")`;
      assert.equal(fqlError(engine, `Update(${O}, {data: {status: "lost"}})`).description, 'status: "lost" is not one of ["processing","shipped"]');
      assert.equal(fqlError(engine, `Update(${O}, {data: {line: []}})`).description, 'line: must have at least 1 items');
      assert.equal(fqlError(engine, `Update(${O}, {data: {line: [{product: Ref(Collection("products"), "204"), quantity: 0, price: 3.99}]}})`).description, 'line.0.quantity: 0 is less than the minimum of 1');
      assert.equal(fql(engine, `Select(["data", "status"], Update(${O}, {data: {status: "shipped", shipDate: Now()}}))`), 'shipped');
    } finally {
      engine.close();
    }
  });
});
