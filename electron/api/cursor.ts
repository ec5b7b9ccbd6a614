/**
 * Page cursors. FQL's `after` cursor is a wire value (an index tuple such as
 * `["cups", {"@ref": …}]`); screens get it as an opaque string, the base64url
 * of its wire text. On the way back a cursor is decoded and checked to be
 * *data only* — scalars, arrays and `@ref` / `@ts` / `@date` values — so a
 * forged cursor can never smuggle an FQL form (a `{"delete": …}`, say) into
 * the query it is spliced into.
 */
import { ApiError } from '../../shared/api/contract.js';
import { isJsonObject, parseJson, stringifyJson, type Json } from '../../shared/fql/json.js';

export function encodeCursor(after: Json | undefined): string | null {
  if (after === undefined || after === null) return null;
  return Buffer.from(stringifyJson(after), 'utf8').toString('base64url');
}

const invalid = (why: string): ApiError => new ApiError({ code: 'invalid request', description: `Invalid cursor: ${why}.` });

export function decodeCursor(text: string): Json {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) throw invalid('not a cursor this app issued');
  let value: Json;
  try {
    value = parseJson(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid('not a cursor this app issued');
  }
  if (!Array.isArray(value)) throw invalid('expected a list of values');
  checkData(value, 0);
  return value;
}

function checkData(x: Json, depth: number): void {
  if (depth > 16) throw invalid('nested too deeply');
  if (x === null || typeof x !== 'object') return; // string, number, bigint, boolean, null
  if (Array.isArray(x)) {
    for (const item of x) checkData(item, depth + 1);
    return;
  }
  const keys = Object.keys(x);
  if (keys.length !== 1) throw invalid('unexpected object');
  const [tag] = keys as [string];
  const body = x[tag]!;
  if ((tag === '@ts' || tag === '@date') && typeof body === 'string') return;
  if (tag === '@ref' && isJsonObject(body)) {
    for (const [k, inner] of Object.entries(body)) {
      if (k === 'id' && typeof inner === 'string') continue;
      if ((k === 'collection' || k === 'database') && isJsonObject(inner) && Object.keys(inner).length === 1 && '@ref' in inner) {
        checkData(inner, depth + 1);
        continue;
      }
      throw invalid('malformed reference');
    }
    return;
  }
  throw invalid(`unexpected ${tag}`);
}
