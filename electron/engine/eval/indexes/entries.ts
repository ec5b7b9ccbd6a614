/**
 * Index entry generation (FaunaDB v4 rules): each term and value extractor
 * yields candidates, arrays flattened (one entry per element, duplicates
 * removed), a missing field yielding null; entries are the cartesian product
 * of term candidates and value candidates; a combination whose terms are all
 * null, or whose values are all null, is dropped.
 */
import { encodeKey } from '../../storage/keys.js';
import { encodeValue } from '../../storage/codec.js';
import { Page, Ref, isObject, newObject, type FObject, type Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';
import type { Extractor, IndexDef } from './definition.js';

export interface IndexEntry {
  key: Buffer;
  /** terms + values, for unique indexes. */
  ukey: Buffer | null;
  values: Value[];
  vals: string;
}

/** A document as index extractors see it: `{ref, ts, data, ...}`. */
export function docView(ref: Ref, ts: bigint, fields: FObject): FObject {
  const out = newObject();
  out.ref = ref;
  out.ts = ts;
  for (const k of Object.keys(fields)) out[k] = fields[k]!;
  return out;
}

/** Walks a path, flattening arrays along the way (multi-valued attributes). */
function selectAll(v: Value, path: (string | number)[], i: number, out: Value[]): void {
  if (i === path.length) {
    if (Array.isArray(v)) for (const item of v) flatten(item, out);
    else out.push(v);
    return;
  }
  const step = path[i]!;
  if (Array.isArray(v)) {
    if (typeof step === 'number') {
      if (step >= 0 && step < v.length) selectAll(v[step]!, path, i + 1, out);
      return;
    }
    for (const item of v) selectAll(item, path, i, out);
    return;
  }
  if (v instanceof Ref && typeof step === 'string') {
    if (step === 'id') selectAll(v.id, path, i + 1, out);
    else if (step === 'collection' && v.collection) selectAll(v.collection, path, i + 1, out);
    return;
  }
  if (v instanceof Page) {
    if (step === 'data') selectAll(v.data, path, i + 1, out);
    return;
  }
  if (isObject(v) && typeof step === 'string') {
    const next = v[step];
    if (next !== undefined) selectAll(next, path, i + 1, out);
  }
}

function flatten(v: Value, out: Value[]): void {
  if (Array.isArray(v)) for (const item of v) flatten(item, out);
  else out.push(v);
}

function dedupe(values: Value[]): Value[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const v of values) {
    const k = encodeKey([v]).toString('latin1');
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

function candidates(ctx: EvalContext, ex: Extractor, doc: FObject): Value[] {
  const out: Value[] = [];
  if (ex.kind === 'field') {
    selectAll(doc, ex.path, 0, out);
  } else if (ex.lambda !== null) {
    flatten(ex.lambda.apply(ctx, doc), out);
  }
  return out.length === 0 ? [null] : dedupe(out);
}

function product(lists: Value[][]): Value[][] {
  let acc: Value[][] = [[]];
  for (const list of lists) {
    const next: Value[][] = [];
    for (const prefix of acc) for (const v of list) next.push([...prefix, v]);
    acc = next;
  }
  return acc;
}

/** The entries a document version contributes to an index. */
export function entriesFor(ctx: EvalContext, def: IndexDef, ref: Ref, ts: bigint, fields: FObject): IndexEntry[] {
  const doc = docView(ref, ts, fields);
  const termLists = def.terms.map((t) => candidates(ctx, t, doc));
  const valueLists = def.values.map((v) => candidates(ctx, v, doc));
  const termCombos = product(termLists).filter((c) => c.length === 0 || c.some((v) => v !== null));
  const valueCombos = product(valueLists).filter((c) => c.length === 0 || c.some((v) => v !== null));
  const out: IndexEntry[] = [];
  const seen = new Set<string>();
  for (const terms of termCombos) {
    for (const values of valueCombos) {
      const key = encodeKey([...terms, ...values, ref], def.keyReverse);
      const id = key.toString('latin1');
      if (seen.has(id)) continue;
      seen.add(id);
      out.push({
        key,
        ukey: def.unique && terms.length + values.length > 0 ? encodeKey([...terms, ...values], def.keyReverse) : null,
        values,
        vals: encodeValue(values),
      });
    }
  }
  return out;
}
