/**
 * Wire JSON -> compiled closures. JSON scalars are constants, arrays evaluate
 * element-wise, objects are forms (matched by exact key set) or `@` escapes.
 */
import { isJsonObject, type Json, type JsonObject } from '../../../shared/fql/json.js';
import { invalidExpression, type Position } from '../errors.js';
import { decodeEscape } from '../wire/decode.js';
import { PURE, type Effect, type Value } from '../values/value.js';
import { findForm, Site, type FormCompiler } from './registry.js';
import type { Compiled, Scope } from './types.js';

export const ROOT_SCOPE: Scope = { names: new Map(), parent: null };

/** The deepest expression the compiler accepts before failing cleanly. */
export const MAX_EXPRESSION_DEPTH = 1000;

export function constant(value: Value, position: Position): Compiled {
  return { run: () => value, effect: PURE, position, constant: value };
}

/** Expression nodes compiled so far (see compileSized). */
let nodesCompiled = 0;

/** Compiles a whole expression and says how many nodes it has: what keeping its compiled form costs. */
export function compileSized(json: Json): { compiled: Compiled; nodes: number } {
  const before = nodesCompiled;
  const compiled = compile(json);
  return { compiled, nodes: nodesCompiled - before };
}

export function compile(json: Json, position: Position = [], scope: Scope = ROOT_SCOPE): Compiled {
  nodesCompiled++;
  if (position.length > MAX_EXPRESSION_DEPTH) {
    throw invalidExpression(`Expression nested deeper than ${MAX_EXPRESSION_DEPTH} levels.`, position);
  }
  switch (typeof json) {
    case 'bigint':
    case 'number':
    case 'string':
    case 'boolean':
      return constant(json, position);
    default:
      break;
  }
  if (json === null) return constant(null, position);
  if (Array.isArray(json)) return compileArray(json, position, scope);
  return compileObject(json, position, scope);
}

function compileArray(items: Json[], position: Position, scope: Scope): Compiled {
  const parts = items.map((item, i) => compile(item, [...position, i], scope));
  let effect: Effect = PURE;
  let allConstant = true;
  for (const p of parts) {
    if (p.effect > effect) effect = p.effect;
    if (!('constant' in p)) allConstant = false;
  }
  if (allConstant) {
    // A literal array is rebuilt on every run so that callers may not alias it.
    const values = parts.map((p) => p.constant as Value);
    return { run: () => values.slice(), effect, position };
  }
  const runs = parts.map((p) => p.run);
  const n = runs.length;
  return {
    run: (ctx, env) => {
      const out = new Array<Value>(n);
      for (let i = 0; i < n; i++) out[i] = runs[i]!(ctx, env);
      return out;
    },
    effect,
    position,
  };
}

function compileObject(obj: JsonObject, position: Position, scope: Scope): Compiled {
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0]!.startsWith('@')) {
    const tag = keys[0]!;
    if (tag === '@obj') {
      // At expression level `@obj` only unwraps; its content is parsed as an expression.
      const inner = obj['@obj']!;
      if (!isJsonObject(inner)) throw invalidExpression('Invalid object.', position);
      return compileObject(inner, [...position, '@obj'], scope);
    }
    return constant(decodeEscape(tag, obj[tag]!, position), position);
  }
  const def = findForm(keys);
  if (def === undefined) {
    throw invalidExpression(`No form/function found, or invalid argument keys: { ${keys.join(', ')} }.`, position);
  }
  const site = new Site(position, obj);
  const fc: FormCompiler = {
    site,
    scope,
    arg: (key) => compile(obj[key]!, [...position, key], scope),
    compile: (json, pos, sc) => compile(json as Json, pos, sc),
  };
  return def.compile(fc);
}
