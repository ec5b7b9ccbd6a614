/**
 * A transaction's known documents: the first kept in fields, the rest in
 * maps; a fast-check model comparison against a plain Map.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { KnownDocs } from '../../electron/engine/storage/known-docs.js';

type Op = { op: 'set'; coll: number; id: number; doc: string | null } | { op: 'delete'; coll: number; id: number } | { op: 'dropColl'; coll: number } | { op: 'clear' };

const small = fc.integer({ min: 1, max: 2 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), coll: small, id: small, doc: fc.option(fc.string({ maxLength: 3 }), { nil: null }) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), coll: small, id: small }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('dropColl' as const), coll: small }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
);

test('KnownDocs answers as a map keyed by (collection, id)', () => {
  fc.assert(
    fc.property(fc.array(op, { minLength: 5, maxLength: 60, size: 'max' }), (ops) => {
      const known = new KnownDocs<string>();
      const model = new Map<string, string | null>();
      for (const o of ops) {
        if (o.op === 'set') {
          known.set(BigInt(o.coll), BigInt(o.id), o.doc);
          model.set(`${o.coll}/${o.id}`, o.doc);
        } else if (o.op === 'delete') {
          known.delete(BigInt(o.coll), BigInt(o.id));
          model.delete(`${o.coll}/${o.id}`);
        } else if (o.op === 'dropColl') {
          known.deleteCollection(BigInt(o.coll));
          for (const k of [...model.keys()]) if (k.startsWith(`${o.coll}/`)) model.delete(k);
        } else {
          known.clear();
          model.clear();
        }
        for (let c = 1; c <= 2; c++) {
          for (let i = 1; i <= 2; i++) assert.equal(known.get(BigInt(c), BigInt(i)), model.get(`${c}/${i}`));
        }
      }
    }),
    { numRuns: 1000 },
  );
});
