/**
 * Whether a wire expression can only read: no form in it writes. The check
 * is conservative (any write form anywhere, even in an untaken branch, makes
 * the whole query a write), so a read-only verdict is always safe.
 */
import { isJsonObject, type Json } from '../../shared/fql/json.js';

const WRITE_FORMS = new Set([
  'create',
  'update',
  'replace',
  'delete',
  'insert',
  'remove',
  'call',
  'new_id',
  'next_id',
  'create_collection',
  'create_class',
  'create_index',
  'create_function',
  'create_role',
  'create_database',
  'create_key',
  'create_access_provider',
  'login',
  'logout',
  'move_database',
]);

export function isReadOnlyExpr(expr: Json, depth = 0): boolean {
  if (depth > 1000) return false;
  if (Array.isArray(expr)) return expr.every((e) => isReadOnlyExpr(e, depth + 1));
  if (!isJsonObject(expr)) return true;
  for (const key of Object.keys(expr)) {
    if (WRITE_FORMS.has(key)) return false;
    if (!isReadOnlyExpr(expr[key]!, depth + 1)) return false;
  }
  return true;
}
