/**
 * Index entry generation (FaunaDB v4 rules): each term and value extractor
 * yields candidates, arrays flattened (one entry per element, duplicates
 * removed), a missing field yielding null; entries are the cartesian product
 * of term candidates and value candidates; a combination whose terms are all
 * null, or whose values are all null, is dropped.
 *
 * Details that follow the server (Index.scala, Indexer.scala):
 * - only scalars are indexed: an object (or a set, or a query) found by a
 *   field path indexes as null; a binding's result that is an object yields
 *   nothing, and the non-scalar elements of an array result are null;
 * - a binding that fails to evaluate yields nothing (so null), it does not
 *   fail the write;
 * - the document's `ts` reads as null when computing terms (the transaction
 *   time is not known when the entry's key is made), but as the document's
 *   ts in values;
 * - `mva: false` indexes the value at the path as it is (arrays and objects
 *   included); `transform: "casefold"` case-folds string candidates;
 * - candidates are distinct by exact value (1 and 1.0 are two candidates),
 *   and terms match exactly: the term part of a key tells integers from
 *   doubles (see termsKey), so Match(idx, 1.0) does not find a term 1. As
 *   covered values, 1 and 1.0 order equally and share one key, so a document
 *   holding both has one entry for them (the server keeps two).
 */
import { FaunaError } from '../../errors.js';
import { scratchWriter, writeTerm, writeValue, type Writer } from '../../storage/keys.js';
import { encodeEntryValues, encodeValue } from '../../storage/codec.js';
import { Bytes, FDate, FTime, Page, Ref, isObject, newObject, type FObject, type Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';
import { nfkcCasefold } from '../functions/strings.js';
import type { Extractor, IndexDef } from './definition.js';

export interface IndexEntry {
  key: Buffer;
  /** terms + values, for unique indexes. */
  ukey: Buffer | null;
  values: Value[];
  vals: string;
}

/**
 * The key of an exact tuple of scalars (index terms, unique tuples): the
 * order-preserving encoding with one more byte after each number telling an
 * integer (0) from a double (1), so equal-valued integers and doubles differ.
 * Still prefix-free, so a term prefix selects exactly the entries with those terms.
 */
export function termsKey(terms: readonly Value[]): Buffer {
  const w = scratchWriter.reset();
  writeTerms(w, terms);
  return w.result();
}

function writeTerms(w: Writer, terms: readonly Value[]): void {
  for (const t of terms) writeTerm(w, t);
}

/** A document as index extractors see it: `{ref, ts, data, ...}`. */
export function docView(ref: Ref, ts: Value, fields: FObject): FObject {
  const out = newObject();
  out.ref = ref;
  out.ts = ts;
  for (const k of Object.keys(fields)) out[k] = fields[k]!;
  return out;
}

/** Walks a path, flattening arrays along the way (multi-valued attributes). */
function selectAll(v: Value, path: (string | number)[], i: number, out: Value[]): void {
  if (i === path.length) {
    flatten(v, out);
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

/** Scalars index as themselves; anything else (object, set, query, page) as null. */
export function isIndexScalar(v: Value): boolean {
  switch (typeof v) {
    case 'bigint':
    case 'number':
    case 'string':
    case 'boolean':
      return true;
    default:
      return v === null || v instanceof Ref || v instanceof FTime || v instanceof FDate || v instanceof Bytes;
  }
}

function flatten(v: Value, out: Value[]): void {
  if (Array.isArray(v)) for (const item of v) flatten(item, out);
  else out.push(isIndexScalar(v) || v === TXN_TS ? v : null);
}

/**
 * What a document's `ts` reads as while its terms are computed: a stand-in
 * for the not-yet-known transaction time. A term that is exactly it is
 * stored as null, but unlike a missing field it does not make the entry's
 * terms "all null" (the server's "transaction time is nulled out as term").
 */
const TXN_TS = new FTime(-1n);

function dedupe(values: Value[]): Value[] {
  if (values.length < 2) return values;
  const seen = new Set<string>();
  const out: Value[] = [];
  for (const v of values) {
    const k = (isIndexScalar(v) ? termsKey([v]) : Buffer.from(encodeValue(v))).toString('latin1');
    if (!seen.has(k)) {
      seen.add(k);
      out.push(v);
    }
  }
  return out;
}

/** Errors a binding may raise without failing the write (limits still do). */
function bindingFailed(err: unknown): boolean {
  return err instanceof FaunaError && !/time|limit|exceeded|overflow/i.test(err.code);
}

/** A field read with Select semantics and no flattening (`mva: false`). */
function selectOne(v: Value, path: (string | number)[]): Value {
  let cur: Value = v;
  for (const step of path) {
    if (Array.isArray(cur) && typeof step === 'number') cur = step >= 0 && step < cur.length ? cur[step]! : null;
    else if (cur instanceof Ref && step === 'id') cur = cur.id;
    else if (cur instanceof Ref && step === 'collection') cur = cur.collection;
    else if (cur instanceof Page && step === 'data') cur = cur.data;
    else if (isObject(cur) && typeof step === 'string') cur = cur[step] ?? null;
    else cur = null;
    if (cur === null) return null;
  }
  return cur;
}

function candidates(ctx: EvalContext, ex: Extractor, doc: FObject): Value[] {
  let out: Value[] = [];
  if (ex.kind === 'field') {
    if (ex.mva) selectAll(doc, ex.path, 0, out);
    else out.push(selectOne(doc, ex.path));
  } else if (ex.lambda !== null) {
    let result: Value | undefined;
    try {
      result = ex.lambda.apply(ctx, doc);
    } catch (err) {
      if (!bindingFailed(err)) throw err;
    }
    if (result !== undefined) {
      if (Array.isArray(result)) for (const item of result) out.push(isIndexScalar(item) ? item : null);
      else if (isIndexScalar(result)) out.push(result);
    }
  }
  if (ex.kind === 'field' && ex.casefold) {
    // The server maps Casefold over the extracted array; without MVA the value must itself be an array.
    const fold = (v: Value): Value => (typeof v === 'string' ? nfkcCasefold(v) : v);
    out = ex.mva ? out.map(fold) : Array.isArray(out[0]) ? [out[0].map(fold)] : [];
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
  const termDoc = def.terms.length === 0 ? doc : docView(ref, TXN_TS, fields);
  const termLists = def.terms.map((t) => candidates(ctx, t, termDoc));
  const valueLists = def.values.map((v) => candidates(ctx, v, doc));
  const termCombos = product(termLists).filter((c) => c.length === 0 || c.some((v) => v !== null));
  const valueCombos = product(valueLists).filter((c) => c.length === 0 || c.some((v) => v !== null));
  const out: IndexEntry[] = [];
  const many = termCombos.length * valueCombos.length > 1;
  const seen = many ? new Set<string>() : null;
  const reverse = def.keyReverse;
  for (const combo of termCombos) {
    const terms = combo.map((t) => (t === TXN_TS ? null : t));
    for (const values of valueCombos) {
      const w = scratchWriter.reset();
      writeTerms(w, terms);
      let col = terms.length;
      for (let i = 0; i < values.length; i++) writeValue(w, values[i]!, reverse[col++] ?? false);
      if (!def.keyEndsWithRef) writeValue(w, ref, reverse[col] ?? false);
      const key = w.result();
      if (seen !== null) {
        const id = key.toString('latin1');
        if (seen.has(id)) continue;
        seen.add(id);
      }
      out.push({
        key,
        ukey: def.unique && terms.length + values.length > 0 ? termsKey([...terms, ...values]) : null,
        values,
        vals: encodeEntryValues(values, ref, def.valueIsOwnRef),
      });
    }
  }
  return out;
}
