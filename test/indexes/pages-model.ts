/**
 * The pages workload's model, shared by the test and its writer process:
 * group g (0, 1, 2, ...) is four documents of collection `p`, ids
 * 4g+1..4g+4, each `{v: <value>, g: g}`, created in one transaction. The
 * values are drawn from a generator seeded by (seed, g), so either process
 * can recompute any group: negatives, zero, integers near ±2^63, doubles
 * (fractions, tiny, huge, -0.0, whole ones equal to integers), strings
 * (ASCII and a few accented words), and other types (booleans, null, times,
 * dates, bytes). The index `pages` has values [v, g]; entries sort by
 * (v, g, ref) in Fauna's order, which the model computes with the reference
 * comparator.
 */
import type { Json } from '../../shared/fql/json.js';
import { Bytes, FDate, FTime, type Value } from '../../electron/engine/values/value.js';
import { toWire } from '../../electron/engine/wire/encode.js';
import { reference } from './reference.js';

export const GROUP_SIZE = 4;
export const COLLECTION = 'p';
export const INDEX = 'pages';

export interface ModelEntry {
  v: Value;
  g: bigint;
  id: bigint;
}

/** A small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const I64_MAX = 2n ** 63n - 1n;
const I64_MIN = -(2n ** 63n);
const WORDS = ['e', 'é', 'É', 'ea', 'éa', 'f', 'resume', 'résumé', 'Resume', 'ä', 'z', 'Z', 'ab', 'aB', ''];
const ASCII = 'aAbBzZ09 _-.,!?~';

function value(next: () => number): Value {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
  const int = (n: number): bigint => BigInt(Math.floor(next() * n));
  switch (Math.floor(next() * 12)) {
    case 0:
      return -1n - int(1_000_000); // negative
    case 1:
      return pick([0n, 0, -0]); // zeros
    case 2:
      return I64_MAX - int(3); // near 2^63
    case 3:
      return I64_MIN + int(3); // near -2^63
    case 4:
      return Math.round((next() - 0.5) * 2_000_000) / 16; // doubles, often with a fraction
    case 5:
      return pick([1e-300, -1e-300, 1e300, -1e300, 9.2233720368547758e18, -9.2233720368547758e18, 0.1, 2.5]);
    case 6:
      return BigInt(Math.floor(next() * 7)) - 3n; // small integers (equal to some doubles)
    case 7:
      return Math.floor(next() * 7) - 3; // whole doubles
    case 8:
      return Array.from({ length: Math.floor(next() * 4) }, () => pick([...ASCII])).join('');
    case 9:
      return pick(WORDS);
    case 10:
      return pick<Value>([true, false, null]);
    default:
      return pick<Value>([new FTime(int(2_000_000_000) * 1_000_000_000n + int(1000)), new FDate(Number(int(40_000)) - 10_000), new Bytes(Uint8Array.from([Number(int(256)), Number(int(256))]))]);
  }
}

/** The values of group g's documents. */
export function groupValues(seed: number, g: number): Value[] {
  const next = rng((seed * 1_000_003 + g * 7919) >>> 0);
  return Array.from({ length: GROUP_SIZE }, () => value(next));
}

export function groupEntries(seed: number, g: number): ModelEntry[] {
  return groupValues(seed, g).map((v, i) => ({ v, g: BigInt(g), id: BigInt(g * GROUP_SIZE + i + 1) }));
}

/** Fauna's order of the index entries: by v, then g, then the ref (by id). */
export function compareEntries(a: ModelEntry, b: ModelEntry): number {
  return reference(a.v, b.v) || (a.g < b.g ? -1 : a.g > b.g ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function refExpr(id: bigint): Json {
  return { ref: { collection: COLLECTION }, id: id.toString() };
}

/** The write transaction creating group g. */
export function groupWrite(seed: number, g: number): Json {
  return {
    do: groupEntries(seed, g).map((e) => ({
      create: refExpr(e.id),
      params: { object: { data: { object: { v: toWire(e.v), g: e.g } } } },
    })),
  };
}

export const SETUP: Json[] = [
  { create_collection: { object: { name: COLLECTION } } },
  { create_index: { object: { name: INDEX, source: { collection: COLLECTION }, values: [{ object: { field: ['data', 'v'] } }, { object: { field: ['data', 'g'] } }] } } },
];
