/**
 * Reading query results (wire JSON: `@ref`, `@ts`, bigint Integers, number
 * Doubles) into the plain data the screens get. Every reader is total: a field
 * of an unexpected type reads as the given fallback instead of throwing, so a
 * document edited by hand in the Shell never breaks a screen.
 */
import { isJsonObject, type Json, type JsonObject } from '../../shared/fql/json.js';

export function field(x: Json | undefined, ...path: string[]): Json | undefined {
  let cur: Json | undefined = x;
  for (const key of path) {
    if (!isJsonObject(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function asObject(x: Json | undefined): JsonObject | null {
  return isJsonObject(x) ? x : null;
}

export function asArray(x: Json | undefined): Json[] {
  return Array.isArray(x) ? x : [];
}

export function asString(x: Json | undefined, fallback = ''): string {
  return typeof x === 'string' ? x : fallback;
}

export function asNumber(x: Json | undefined, fallback = 0): number {
  if (typeof x === 'bigint') return Number(x);
  if (typeof x === 'number' && Number.isFinite(x)) return x;
  return fallback;
}

export function asBoolean(x: Json | undefined, fallback = false): boolean {
  return typeof x === 'boolean' ? x : fallback;
}

/** The id of a `{"@ref": {id, collection}}` value, or null. */
export function refId(x: Json | undefined): string | null {
  const id = field(x, '@ref', 'id');
  return typeof id === 'string' ? id : null;
}

/** The collection name of a document ref, or null. */
export function refCollection(x: Json | undefined): string | null {
  const id = field(x, '@ref', 'collection', '@ref', 'id');
  return typeof id === 'string' ? id : null;
}

/** The ISO text of a `{"@ts": …}` value, or null. */
export function timeText(x: Json | undefined): string | null {
  const t = field(x, '@ts');
  return typeof t === 'string' ? t : null;
}

/** A document's `ts` (microseconds) as decimal text. */
export function tsText(x: Json | undefined): string {
  return typeof x === 'bigint' ? x.toString() : typeof x === 'number' ? String(Math.trunc(x)) : '0';
}

/** An engine timestamp (microseconds since the epoch) as an ISO-8601 instant with microseconds. */
export function microsToIso(micros: bigint): string {
  const ms = micros / 1000n;
  const frac = ((micros % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // …ss.mmmZ
  return `${iso.slice(0, 19)}.${frac.toString().padStart(6, '0')}Z`;
}
