/**
 * Helpers for the history tests (issue 6): running FQL, reading every
 * document of a database, and the whole ledger.
 */
import assert from 'node:assert/strict';
import type { Engine } from '../../electron/engine/engine.js';
import type { FaunaErrorJson } from '../../electron/engine/errors.js';
import { readLedger, type LedgerRecord } from '../../electron/engine/ledger.js';
import { parseFql } from '../../electron/engine/parse/index.js';
import { stringifyJson, type Json } from '../../shared/fql/json.js';
import { fql } from '../helpers/engine.js';

export { fql };

/** Runs one FQL statement that must fail; returns its error. */
export function fqlError(engine: Engine, text: string): FaunaErrorJson {
  const statements = parseFql(text);
  assert.equal(statements.length, 1, 'one statement');
  const r = engine.query(statements[0]!.expr, { origin: 'test', summary: statements[0]!.text });
  assert.ok(!r.ok, `expected an error from ${text.slice(0, 200)}, got ${r.ok ? stringifyJson(r.resource) : ''}`);
  return r.error.toJSON();
}

/** An integer from the wire. */
export function int(v: Json | undefined): bigint {
  if (typeof v !== 'bigint') throw new Error(`not an integer: ${stringifyJson(v ?? null)}`);
  return v;
}

/** The whole ledger, oldest first, through readLedger. */
export function wholeLedger(engine: Engine): LedgerRecord[] {
  return readLedger(engine.store, { beforeTs: null, limit: Number.MAX_SAFE_INTEGER }).reverse();
}

/** Every user collection's name (schema order). */
export function collectionNames(engine: Engine): string[] {
  const page = fql(engine, 'Map(Paginate(Collections(), {size: 100000}), Lambda("c", Select("id", Var("c"))))') as { data: Json[] };
  return page.data.map(String).sort();
}

/**
 * Every document of every user collection: `collection/id` -> its stored
 * fields other than ref and ts (data, ttl), as canonical JSON text.
 */
export function allDocuments(engine: Engine, options: { withTs?: boolean } = {}): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of collectionNames(engine)) {
    const page = fql(engine, `Map(Paginate(Documents(Collection(${JSON.stringify(name)})), {size: 100000}), Lambda("r", Get(Var("r"))))`) as { data: Json[] };
    for (const doc of page.data as Record<string, Json>[]) {
      const ref = doc.ref as { '@ref': { id: string } };
      const { ref: _ref, ts, ...rest } = doc;
      out.set(`${name}/${ref['@ref'].id}`, canonical(options.withTs ? { ...rest, ts: ts! } : rest));
    }
  }
  return out;
}

/** JSON text with object keys sorted (key order is not part of a document's value). */
export function canonical(v: Json): string {
  const sort = (x: Json): Json => {
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === 'object') {
      const o: Record<string, Json> = {};
      for (const k of Object.keys(x).sort()) o[k] = sort((x as Record<string, Json>)[k]!);
      return o;
    }
    return x;
  };
  return stringifyJson(sort(v));
}

/** Asserts two document maps are equal, naming the first few differences. */
export function assertSameDocuments(actual: Map<string, string>, expected: Map<string, string>, what: string): void {
  const problems: string[] = [];
  for (const [k, v] of expected) {
    const a = actual.get(k);
    if (a === undefined) problems.push(`${k}: missing`);
    else if (a !== v) problems.push(`${k}: ${a}\n   expected ${v}`);
  }
  for (const k of actual.keys()) if (!expected.has(k)) problems.push(`${k}: unexpected`);
  assert.equal(problems.length, 0, `${what}: ${problems.length} differences\n${problems.slice(0, 10).join('\n')}`);
}

/** Asserts two wire values are equal (objects compared without regard to key order or prototype). */
export function assertJson(actual: unknown, expected: unknown, message?: string): void {
  assert.equal(canonical(actual as Json), canonical(expected as Json), message);
}
