/**
 * The form registry. A form is recognised by its exact set of keys (key order
 * does not matter): `{"add": ...}`, `{"select": ..., "from": ..., "default": ...}`.
 * Each function family registers its forms here from its own module.
 */
import type { JsonObject } from '../../../shared/fql/json.js';
import type { Position } from '../errors.js';
import { PURE, type Effect, type Value } from '../values/value.js';
import type { EvalContext } from './context.js';
import type { Compiled, Env, Scope } from './types.js';

/** Where a form sits in the request, for error positions. */
export class Site {
  constructor(
    readonly position: Position,
    readonly raw: JsonObject,
  ) {}

  /** Argument positions made so far (most sites never need one: they report no error). */
  private positions: Map<string, Position> | undefined;

  /** Position of the argument under `key` (shared: callers must not modify it). */
  at(key: string): Position {
    this.positions ??= new Map();
    let p = this.positions.get(key);
    if (p === undefined) {
      p = [...this.position, key];
      this.positions.set(key, p);
    }
    return p;
  }

  /** Position of element `i` of a list argument (the key itself when not a literal array). */
  elem(key: string, i: number): Position {
    return Array.isArray(this.raw[key]) ? [...this.position, key, i] : [...this.position, key];
  }
}

/** What a special form's compile step may use. */
export interface FormCompiler {
  readonly site: Site;
  readonly scope: Scope;
  /** Compiles the argument under `key` in the current scope. */
  arg(key: string): Compiled;
  /** Compiles any JSON at a position in a scope. */
  compile(json: JsonObject[keyof JsonObject], position: Position, scope: Scope): Compiled;
}

export interface FormDef {
  /** Required keys; the first is the form's name. */
  readonly keys: readonly string[];
  readonly optional?: readonly string[];
  compile(fc: FormCompiler): Compiled;
}

/** An ordinary function: every argument evaluated in order, then `impl` runs. */
export interface FunctionDef {
  readonly keys: readonly string[];
  readonly optional?: readonly string[];
  /** The effect of the function itself (its arguments' effects are added). */
  readonly effect?: Effect;
  /**
   * The result depends only on the arguments (not on the transaction, the
   * clock or storage): with constant arguments it is computed once, at
   * compile time. A failure is left to run time, so untaken branches stay
   * harmless.
   */
  readonly foldable?: boolean;
  impl(ctx: EvalContext, args: (Value | undefined)[], site: Site): Value;
}

const forms = new Map<string, FormDef[]>();

export function defineForm(def: FormDef): void {
  const name = def.keys[0]!;
  const list = forms.get(name) ?? [];
  list.push(def);
  forms.set(name, list);
}

function maxEffect(a: Effect, b: Effect): Effect {
  return a > b ? a : b;
}

export function defineFunction(def: FunctionDef): void {
  const all = [...def.keys, ...(def.optional ?? [])];
  defineForm({
    keys: def.keys,
    optional: def.optional ?? [],
    compile(fc) {
      const args: (Compiled | undefined)[] = all.map((k) => (fc.site.raw[k] === undefined ? undefined : fc.arg(k)));
      let effect = def.effect ?? PURE;
      for (const a of args) if (a) effect = maxEffect(effect, a.effect);
      const site = fc.site;
      const impl = def.impl;
      const n = args.length;
      if (def.foldable === true && effect === PURE && args.every((a) => a === undefined || 'constant' in a)) {
        try {
          const value = impl(null as unknown as EvalContext, args.map((a) => a?.constant), site);
          return { run: () => value, effect, position: site.position, constant: value };
        } catch {
          // Leave the error to run time.
        }
      }
      let run: Compiled['run'];
      if (n === 1) {
        const a0 = args[0]!.run;
        run = (ctx, env) => impl(ctx, [a0(ctx, env)], site);
      } else if (n === 2 && args[1] !== undefined) {
        const a0 = args[0]!.run;
        const a1 = args[1].run;
        run = (ctx, env) => impl(ctx, [a0(ctx, env), a1(ctx, env)], site);
      } else {
        run = (ctx, env: Env) => {
          const vals = new Array<Value | undefined>(n);
          for (let i = 0; i < n; i++) {
            const a = args[i];
            vals[i] = a === undefined ? undefined : a.run(ctx, env);
          }
          return impl(ctx, vals, site);
        };
      }
      return { run, effect, position: site.position };
    },
  });
}

/** Finds the form whose key set matches an object's keys exactly. */
export function findForm(keys: string[]): FormDef | undefined {
  for (const key of keys) {
    const candidates = forms.get(key);
    if (!candidates) continue;
    for (const def of candidates) {
      if (matches(def, keys)) return def;
    }
  }
  return undefined;
}

function matches(def: FormDef, keys: string[]): boolean {
  for (const k of def.keys) if (!keys.includes(k)) return false;
  for (const k of keys) if (!def.keys.includes(k) && !(def.optional ?? []).includes(k)) return false;
  return true;
}

/** Every registered form name (for tests and the docs). */
export function formNames(): string[] {
  return [...forms.keys()].sort();
}
