import assert from 'node:assert/strict';
import { parseFql, FqlSyntaxError } from '../../electron/engine/parse/index.js';
import { parseJson, stringifyJson, type Json } from '../../shared/fql/json.js';

/** Structural equality of wire values: key order and prototypes ignored, numbers compared with Object.is. */
export function jsonEqual(a: Json, b: Json): boolean {
  if (typeof a !== typeof b) return false;
  if (typeof a === 'number') return Object.is(a, b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => jsonEqual(x, b[i]!));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual(a[k]!, b[k]!));
}

/** Parses a single statement and returns its wire expression. */
export function wire(src: string): Json {
  const statements = parseFql(src);
  assert.equal(statements.length, 1, `expected one statement in ${src}`);
  return statements[0]!.expr;
}

/** Asserts that `src` parses to the wire JSON `expected` (lossless JSON text: 1 is an integer, 1.0 a double). */
export function assertWire(src: string, expected: string): void {
  const actual = wire(src);
  const want = parseJson(expected);
  assert.ok(jsonEqual(actual, want), `${src}\n  got:  ${stringifyJson(actual)}\n  want: ${stringifyJson(want)}`);
}

/** Asserts that parsing fails with an FqlSyntaxError, optionally checking message and position. */
export function assertSyntaxError(src: string, expect?: { message?: RegExp; line?: number; column?: number }): FqlSyntaxError {
  try {
    parseFql(src);
  } catch (e) {
    assert.ok(e instanceof FqlSyntaxError, `expected FqlSyntaxError for ${JSON.stringify(src)}, got ${String(e)}`);
    if (expect?.message) assert.match(e.message, expect.message);
    if (expect?.line !== undefined) assert.equal(e.line, expect.line, `line of: ${e.message}`);
    if (expect?.column !== undefined) assert.equal(e.column, expect.column, `column of: ${e.message}`);
    assert.match(e.message, new RegExp(`at line ${e.line}, column ${e.column}$`));
    return e;
  }
  assert.fail(`expected a syntax error for ${JSON.stringify(src)}`);
}

/** The driver's JSON (plain JSON.stringify): bigints as numbers. */
export function driverJson(value: Json): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}
