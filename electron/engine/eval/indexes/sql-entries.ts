/**
 * Index entries computed by SQLite itself, for builds.
 *
 * Building an index over documents already stored is the one place where
 * entries are made for many documents at once. For an index whose terms and
 * values are plain field paths (and the document ref), a document whose
 * indexed fields hold scalars stored as plain JSON (numbers, strings,
 * booleans, null) or nothing gets exactly one entry, and its key, unique key
 * and stored values can be made inside one INSERT ... SELECT per batch:
 * SQLite reads the fields from the stored JSON and `sr_entry_key`
 * (storage/sql-functions.ts, the encoder of keys.ts) makes each key in one
 * call from the scalars' JSON and the document's id.
 * No document is decoded in JavaScript. Documents with anything else at
 * those paths (arrays, objects, refs, times, large integers...) are left to
 * the general path (entries.ts), which a second query selects. The index
 * verifier (verify.ts) and test/indexes/sql-entries.test.ts check that both
 * paths give the same entries.
 */
import { refScopeBytes } from '../../storage/keys.js';
import { collectDeferred, setRefScope } from '../../storage/sql-functions.js';
import type { SchemaDoc } from '../../storage/schema-cache.js';
import type { Store } from '../../storage/store.js';
import { collectionRef } from '../../values/value.js';
import type { Extractor, IndexDef } from './definition.js';

/** One term or value of an entry: a field of the stored document, or the document's ref. */
type Component = { kind: 'field'; path: string } | { kind: 'ref' };

/** The SQL that indexes one batch of a collection's documents. */
export interface SqlEntryPlan {
  /**
   * INSERT of the entries of the documents SQL can index; params idx, coll,
   * lo, hi. The ids of the other live documents are handed to sr_defer
   * (storage/sql-functions.ts) in the same pass.
   */
  insert: string;
}

const TAGS_OF_REFS = ['@r', '@ref', '@s'];

function jsonPath(steps: readonly string[]): string {
  return `'$${steps.map((s) => `."${s}"`).join('')}'`;
}

/**
 * A field path SQL can follow: object keys only, none needing escapes in a
 * JSON path or an SQL string literal (no quotes, backslashes or control
 * characters; such paths take the general path), not into `ref` or `ts`.
 */
function fieldComponent(ex: Extractor): Component | null {
  if (ex.kind !== 'field' || ex.reverse || ex.casefold) return null;
  const path = ex.path;
  if (path.length === 1 && path[0] === 'ref') return { kind: 'ref' };
  if (path.length === 0 || path[0] === 'ref' || path[0] === 'ts') return null;
  for (const step of path) if (typeof step !== 'string' || /["'\\\u0000-\u001f]/.test(step) || step === '') return null;
  return { kind: 'field', path: jsonPath(path as string[]) };
}

/**
 * Conditions, on the whole stored body, under which `body -> path` reads
 * what the general path reads: no step before the last passes through an
 * array (which would index each element), an escaped object (`@obj`, which
 * decodes to its content) or a ref (whose `id` and `collection` can be
 * walked into), and the field itself is neither an array nor a tagged value
 * (`{"@ts": ...}`, `{"@r": ...}`, large integers, whole doubles...).
 */
function preciseChecks(ex: Extractor & { kind: 'field' }, c: Component & { kind: 'field' }): string[] {
  const path = ex.path as string[];
  const checks: string[] = [];
  for (let i = 1; i < path.length; i++) {
    const prefix = path.slice(0, i);
    checks.push(`json_type(body, ${jsonPath(prefix)}) IS NOT 'array'`);
    checks.push(`json_type(body, ${jsonPath([...prefix, '@obj'])}) IS NULL`);
    if (path[i] === 'id' || path[i] === 'collection') for (const tag of TAGS_OF_REFS) checks.push(`json_type(body, ${jsonPath([...prefix, tag])}) IS NULL`);
  }
  checks.push(`json_type(body, ${c.path}) IS NOT 'array'`);
  checks.push(`coalesce(substr(body -> ${c.path}, 1, 3), '') != '{"@'`);
  return checks;
}

/**
 * The SQL computing a key with sr_entry_key (storage/sql-functions.ts): one
 * letter per component (`t` term, `v` value, `r` the document ref), the
 * fields' JSON as arguments.
 */
function keySql(components: readonly { c: Component; i: number; asTerm: boolean }[]): string {
  const shape = components.map(({ c, asTerm }) => (c.kind === 'ref' ? 'r' : asTerm ? 't' : 'v')).join('');
  const args = components.filter(({ c }) => c.kind !== 'ref').map(({ i }) => `, j${i}`).join('');
  return `sr_entry_key('${shape}', :coll, id >> 32, id & 4294967295${args})`;
}

/** SQL true when field i indexes as null: it is absent, null, or a (plain) object. */
function isNullSql(i: number): string {
  return `(j${i} IS NULL OR j${i} = 'null' OR substr(j${i}, 1, 1) = '{')`;
}

/** The plan for an index, or null when some term or value is not a plain field path. */
export function sqlEntryPlan(def: IndexDef): SqlEntryPlan | null {
  const extractors = [...def.terms, ...def.values];
  if (def.db !== 0n || def.keyReverse.some((r) => r)) return null;
  const components: Component[] = [];
  for (const ex of extractors) {
    const c = fieldComponent(ex);
    if (c === null) return null;
    components.push(c);
  }
  const nTerms = def.terms.length;
  const fields = components.map((c, i) => ({ c, i, ex: extractors[i]! })).filter((x) => x.c.kind === 'field') as { c: Component & { kind: 'field' }; i: number; ex: Extractor & { kind: 'field' } }[];
  // Documents SQL indexes: every field is absent, a scalar stored as plain JSON (a number, string,
  // boolean or null) or a plain object (indexed as null), reached through plain objects. A body
  // with no '[' and no '"@' anywhere has no array and no tagged value, so only the other bodies
  // need the precise checks; what fails them is deferred to entries.ts (sr_defer, false) in the
  // same pass.
  const precise = [...new Set(fields.flatMap(({ c, ex }) => preciseChecks(ex, c)))];
  const quick = `instr(body, '[') = 0 AND instr(body, '"@') = 0`;
  const handled = fields.length === 0 ? '1' : `CASE WHEN ${quick} THEN 1 WHEN ${precise.join(' AND ')} THEN 1 ELSE sr_defer(id) END`;
  // The newest version of each document, its fields read once. With max() the other (bare)
  // columns come from the row holding the maximum: the newest version's action and body. A
  // document is live exactly when its newest version is not a delete (the verifier checks it).
  const read = fields.map(({ c, i }) => `, body -> ${c.path} AS j${i}`).join('');
  const newest = `SELECT id, max(ts) AS ts${read} FROM versions WHERE coll = :coll AND id >= :lo AND id <= :hi GROUP BY id
    HAVING CASE WHEN action = 2 THEN 0 ELSE ${handled} END`;
  // As entries.ts: a combination whose terms, or whose values, are all null is not indexed (one
  // holding the document's ref never is).
  const allNull = (from: number, to: number): string | null => {
    const part = components.slice(from, to);
    return part.length === 0 || part.some((c) => c.kind === 'ref') ? null : `NOT (${part.map((_c, k) => isNullSql(from + k)).join(' AND ')})`;
  };
  const kept = [allNull(0, nTerms), allNull(nTerms, components.length)].filter((x): x is string => x !== null);
  const indexed = components.map((c, i) => ({ c, i, asTerm: i < nTerms }));
  const key = keySql(def.keyEndsWithRef ? indexed : [...indexed, { c: { kind: 'ref' } as Component, i: -1, asTerm: false }]);
  const ukey = def.unique && components.length > 0 ? keySql(components.map((c, i) => ({ c, i, asTerm: true }))) : 'NULL';
  // A ref component is the document's own ref, which entries do not store (codec.ts encodeEntryValues).
  const stored = components.slice(nTerms).map((c, k) => ({ c, i: nTerms + k })).filter(({ c }) => c.kind !== 'ref');
  const storedJson = (i: number): string => `CASE WHEN j${i} IS NULL OR substr(j${i}, 1, 1) = '{' THEN 'null' ELSE j${i} END`;
  const vals = stored.length === 0 ? `'[]'` : `'[' || ${stored.map(({ i }) => storedJson(i)).join(` || ',' || `)} || ']'`;
  // Entries are inserted in key order (sorted by SQLite first), which fills the B-tree faster than
  // inserting in document order.
  const insert = `INSERT INTO index_entries (idx, key, ukey, coll, id, vals, ts)
    SELECT :idx, ${key}, ${ukey}, :coll, id, ${vals}, ts FROM (${newest})
    ${kept.length === 0 ? '' : `WHERE ${kept.join(' AND ')}`}
    ORDER BY 2
    ON CONFLICT(idx, key) DO NOTHING`;
  return { insert };
}

/**
 * Large batches (at least LARGE_BATCH documents) are sorted in runs of
 * SORT_RUN_KIB. SQLite's sorter keeps as many rows in memory as the page
 * cache holds before sorting them into a run (and merges the runs at the
 * end); runs of a few MiB sort within the processor's caches, which makes a
 * 1 M-document build about a tenth faster than one run as large as the
 * page cache (docs/performance.md). The page cache is set back afterwards;
 * small batches keep it as it is (shrinking it drops cached pages).
 */
export const LARGE_BATCH = 100_000;
const SORT_RUN_KIB = 8192;

function withSortRuns<T>(store: Store, work: () => T): T {
  const cacheSize = store.db.pragma('cache_size', { simple: true }) as number;
  store.db.pragma(`cache_size = -${SORT_RUN_KIB}`);
  try {
    return work();
  } finally {
    store.db.pragma(`cache_size = ${cacheSize}`);
  }
}

/**
 * Runs a plan's INSERT over the documents of `coll` with lo <= id <= hi; the
 * live documents it could not index are returned ([id, ts, action, body]
 * of their current versions; action null) for the general path, each read
 * when it is taken (so that a batch's bodies are not all held at once).
 */
export function runSqlEntries(store: Store, plan: SqlEntryPlan, def: IndexDef, coll: SchemaDoc, lo: bigint, hi: bigint, large: boolean): Iterable<[bigint, bigint | null, bigint | null, string | null]> {
  setRefScope(coll.row.oid, refScopeBytes(collectionRef(coll.row.name)));
  const insert = (): unknown => store.db.prepare(plan.insert).run({ idx: def.oid, coll: coll.row.oid, lo, hi });
  const deferred = collectDeferred(() => (large ? withSortRuns(store, insert) : insert()));
  return (function* () {
    for (const id of deferred) {
      const v = store.getDoc(coll.row.oid, id);
      yield [id, v?.ts ?? null, null, v?.body ?? null];
    }
  })();
}
