/**
 * Index definitions: the parsed, validated form of an index document
 * (`source`, `terms`, `values`, `unique`, bindings), cached with the schema.
 */
import { validationFailed, type Position, type ValidationFailure } from '../../errors.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import { LambdaValue, Ref, isObject, type FObject, type Value } from '../../values/value.js';
import type { EvalContext } from '../context.js';

export type Extractor =
  | { kind: 'field'; path: (string | number)[]; reverse: boolean; mva: boolean; casefold: boolean }
  | { kind: 'binding'; name: string; reverse: boolean; lambda: LambdaValue | null };

export interface IndexSource {
  /** Collection name, or '_' for every collection. */
  collection: string;
  bindings: Map<string, LambdaValue>;
}

export interface IndexDef {
  oid: bigint;
  name: string;
  db: bigint;
  sources: IndexSource[];
  terms: Extractor[];
  values: Extractor[];
  unique: boolean;
  active: boolean;
  /** Reverse flags for an entry key: terms, then values, then the ref. */
  keyReverse: boolean[];
  /**
   * True when the last value is the document's own ref (`{field: ["ref"]}`):
   * the values already end with the ref, so an entry's key does not repeat
   * it (see entryKeyTuple).
   */
  keyEndsWithRef: boolean;
  /**
   * For each value, whether it is the document's own ref (`{field: ["ref"]}`):
   * such values are not stored in an entry's values (codec.ts
   * encodeEntryValues), which are read back with the entry's ref in place.
   */
  valueIsOwnRef: readonly boolean[];
}

/**
 * The tuple whose encoding follows the terms in an entry's key: the values
 * and the document's ref, which is not repeated when the values end with it.
 * (A longer tuple would add nothing: entries with equal values and refs are
 * the same entry.)
 */
export function entryKeyTuple(def: IndexDef, values: readonly Value[], ref: Ref): Value[] {
  return def.keyEndsWithRef ? [...values] : [...values, ref];
}

/** A value extractor that reads the document's own ref. */
function isOwnRef(ex: Extractor | undefined): boolean {
  return ex !== undefined && ex.kind === 'field' && !ex.casefold && ex.path.length === 1 && ex.path[0] === 'ref';
}

function fail(failures: ValidationFailure[], position: Position): never {
  throw validationFailed(failures, position, 'document data is not valid.');
}

function parseSources(source: Value | undefined, position: Position): IndexSource[] {
  const out: IndexSource[] = [];
  const addColl = (v: Value, bindings: Map<string, LambdaValue>): void => {
    if (v === '_') out.push({ collection: '_', bindings });
    else if (v instanceof Ref && v.schemaKind === 'collections') out.push({ collection: v.id, bindings });
    else if (Array.isArray(v)) v.forEach((item) => addColl(item, bindings));
    else fail([{ field: ['source'], code: 'invalid type', description: 'Source must be a collection Ref, an array of them, or "_".' }], position);
  };
  const addEntry = (v: Value): void => {
    if (isObject(v)) {
      const bindings = new Map<string, LambdaValue>();
      const fields = v.fields;
      if (fields !== undefined) {
        if (!isObject(fields)) fail([{ field: ['source', 'fields'], code: 'invalid type', description: 'Bindings must be an Object.' }], position);
        for (const name of Object.keys(fields)) {
          const fn = fields[name];
          if (!(fn instanceof LambdaValue)) fail([{ field: ['source', 'fields', name], code: 'invalid binding', description: 'Binding must be a Query(Lambda).' }], position);
          if (fn.effect !== 0) fail([{ field: ['source', 'fields', name], code: 'invalid binding', description: 'Binding must be a pure function.' }], position);
          bindings.set(name, fn);
        }
      }
      addColl(v.collection ?? v.class ?? null, bindings);
    } else {
      addColl(v, new Map());
    }
  };
  if (source === undefined) fail([{ field: ['source'], code: 'value required', description: 'Value required.' }], position);
  // As the server reads it, each element of a source array is one source configuration.
  const configs = Array.isArray(source) ? source : [source];
  const groups: { key: string; wildcard: boolean; bindings: boolean }[] = [];
  for (const config of configs) {
    const start = out.length;
    addEntry(config);
    const added = out.slice(start);
    groups.push({
      key: added.map((s) => s.collection).sort().join('\u0000'),
      wildcard: added.some((s) => s.collection === '_'),
      bindings: added.some((s) => s.bindings.size > 0),
    });
  }
  const keys = groups.filter((g) => !g.wildcard).map((g) => g.key);
  if (new Set(keys).size !== keys.length) {
    fail([{ field: ['source'], code: 'multiple bindings', description: 'A collection ref may only match one binding.' }], position);
  }
  if (groups.length > 1 && groups.every((g) => !g.bindings) && groups.some((g) => g.wildcard)) {
    fail([{ field: ['source'], code: 'mixed wildcards', description: 'Cannot mix collection refs and wildcards without providing bindings.' }], position);
  }
  return out;
}

function parseExtractors(list: Value | undefined, field: string, sources: IndexSource[], position: Position): Extractor[] {
  if (list === undefined || list === null) return [];
  const items = Array.isArray(list) ? list : [list];
  return items.map((item, i) => {
    if (!isObject(item)) fail([{ field: [field, i], code: 'invalid type', description: 'Expected an Object with field or binding.' }], position);
    if (item.reverse !== undefined && item.reverse !== null && typeof item.reverse !== 'boolean') {
      fail([{ field: [field, i, 'reverse'], code: 'invalid type', description: 'Invalid type, expected type Boolean.' }], position);
    }
    if (item.mva !== undefined && item.mva !== null && typeof item.mva !== 'boolean') {
      fail([{ field: [field, i, 'mva'], code: 'invalid type', description: 'Invalid type, expected type Boolean.' }], position);
    }
    const transform = item.transform ?? null;
    if (transform !== null && transform !== 'casefold') {
      const shown = typeof transform === 'string' ? transform : String(transform);
      fail([{ field: [field, i, 'transform'], code: 'invalid value', description: `Invalid value \`${shown}\` at \`${field}.${i}.transform\`` }], position);
    }
    const reverse = item.reverse === true;
    if (item.binding !== undefined) {
      if (typeof item.binding !== 'string') fail([{ field: [field, i, 'binding'], code: 'invalid type', description: 'Binding name must be a String.' }], position);
      const name = item.binding;
      const lambda = sources.map((s) => s.bindings.get(name)).find((l) => l !== undefined) ?? null;
      if (lambda === null) fail([{ field: [field, i, 'binding'], code: 'invalid binding', description: `Binding '${name}' is not defined by the source.` }], position);
      return { kind: 'binding', name, reverse, lambda };
    }
    const raw = item.field;
    if (raw === undefined || raw === null) {
      fail([{ field: [field, i], code: 'value required', description: 'Must provide one of the following: field, binding' }], position);
    }
    const path = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : null;
    if (path === null || path.length === 0 || !path.every((p) => typeof p === 'string' || typeof p === 'bigint')) {
      fail([{ field: [field, i, 'field'], code: 'invalid type', description: 'Field must be a String or an Array of Strings and Integers.' }], position);
    }
    return { kind: 'field', path: path.map((p) => (typeof p === 'bigint' ? Number(p) : (p as string))), reverse, mva: item.mva !== false, casefold: transform === 'casefold' };
  });
}

/** Validates an index document's shape; returns the definition. */
export function parseIndexFields(fields: FObject, oid: bigint, db: bigint, position: Position): IndexDef {
  const sources = parseSources(fields.source, position);
  const terms = parseExtractors(fields.terms, 'terms', sources, position);
  const values = parseExtractors(fields.values, 'values', sources, position);
  const used = new Set([...terms, ...values].filter((e) => e.kind === 'binding').map((e) => (e as { name: string }).name));
  for (const s of sources) {
    for (const name of s.bindings.keys()) {
      if (!used.has(name)) fail([{ field: ['source', 'fields', name], code: 'unused binding', description: `Binding '${name}' is not used by terms or values.` }], position);
    }
  }
  return {
    oid,
    name: String(fields.name),
    db,
    sources,
    terms,
    values,
    unique: fields.unique === true,
    active: fields.active === true,
    keyReverse: [...terms.map(() => false), ...values.map((v) => v.reverse), false],
    keyEndsWithRef: isOwnRef(values[values.length - 1]),
    valueIsOwnRef: values.map(isOwnRef),
  };
}

/** The cached definition of an index document. */
export function indexDef(doc: SchemaDoc): IndexDef {
  let def = doc.derived.get('index') as IndexDef | undefined;
  if (def === undefined) {
    def = parseIndexFields(doc.fields, doc.row.oid, doc.row.db, []);
    doc.derived.set('index', def);
  }
  return def;
}

/** The indexes that cover documents of a collection (cached per schema generation). */
export function indexesOf(ctx: Pick<EvalContext, 'txn'>, coll: SchemaDoc): IndexDef[] {
  return ctx.txn.cache.list(`indexes-of:${coll.row.oid}`, () =>
    ctx.txn
      .listSchema('indexes', coll.row.db)
      .map(indexDef)
      .filter((def) => def.sources.some((s) => s.collection === '_' || s.collection === coll.row.name)),
  );
}
