/**
 * Basic forms: Let, Var, If, Do, Object, Quote, Lambda, Query, Abort.
 */
import { isJsonObject, type Json, type JsonObject } from '../../../../shared/fql/json.js';
import { FaunaError, invalidArgument, invalidExpression, type Position } from '../../errors.js';
import { installQueryCompiler, jsonToWireValue } from '../../wire/decode.js';
import { LambdaValue, PURE, newObject, type Effect, type Value } from '../../values/value.js';
import { castString, typeName } from '../cast.js';
import { compile, ROOT_SCOPE } from '../compile.js';
import type { EvalContext } from '../context.js';
import { defineForm, defineFunction } from '../registry.js';
import type { Compiled, Env, Run, Scope } from '../types.js';

const maxEffect = (a: Effect, b: Effect): Effect => (a > b ? a : b);

// --- Var ---------------------------------------------------------------------

function resolve(scope: Scope, name: string): { depth: number; slot: number } | null {
  let depth = 0;
  for (let s: Scope | null = scope; s !== null; s = s.parent, depth++) {
    const slot = s.names.get(name);
    if (slot !== undefined) return { depth, slot };
  }
  return null;
}

export function varRun(depth: number, slot: number): Run {
  switch (depth) {
    case 0:
      return (_ctx, env) => env.slots[slot]!;
    case 1:
      return (_ctx, env) => env.parent!.slots[slot]!;
    default:
      return (_ctx, env) => {
        let e = env;
        for (let i = 0; i < depth; i++) e = e.parent!;
        return e.slots[slot]!;
      };
  }
}

defineForm({
  keys: ['var'],
  compile(fc) {
    const name = fc.site.raw.var;
    if (typeof name !== 'string') throw invalidExpression('Variable name must be a String.', fc.site.position);
    const found = resolve(fc.scope, name);
    if (found === null) throw invalidExpression(`Variable '${name}' is not defined.`, fc.site.position);
    return { run: varRun(found.depth, found.slot), effect: PURE, position: fc.site.position };
  },
});

// --- Let ---------------------------------------------------------------------

defineForm({
  keys: ['let', 'in'],
  compile(fc) {
    const raw = fc.site.raw.let!;
    const pos = fc.site.position;
    const bindings: { name: string; json: Json; position: Position }[] = [];
    if (Array.isArray(raw)) {
      raw.forEach((entry, i) => {
        if (!isJsonObject(entry)) throw invalidExpression('Let bindings must be objects.', [...pos, 'let', i]);
        for (const name of Object.keys(entry)) bindings.push({ name, json: entry[name]!, position: [...pos, 'let', i, name] });
      });
    } else if (isJsonObject(raw)) {
      for (const name of Object.keys(raw)) bindings.push({ name, json: raw[name]!, position: [...pos, 'let', name] });
    } else {
      throw invalidExpression('Let bindings must be an object or an array of objects.', [...pos, 'let']);
    }
    const names = new Map<string, number>();
    const scope: Scope = { names, parent: fc.scope };
    const runs: Run[] = [];
    let effect: Effect = PURE;
    bindings.forEach((b, i) => {
      const c = fc.compile(b.json, b.position, scope);
      effect = maxEffect(effect, c.effect);
      runs.push(c.run);
      names.set(b.name, i);
    });
    const body = fc.compile(fc.site.raw.in!, [...pos, 'in'], scope);
    effect = maxEffect(effect, body.effect);
    const n = runs.length;
    const bodyRun = body.run;
    return {
      run: (ctx, env) => {
        const frame: Env = { slots: new Array<Value>(n), parent: env };
        for (let i = 0; i < n; i++) frame.slots[i] = runs[i]!(ctx, frame);
        return bodyRun(ctx, frame);
      },
      effect,
      position: pos,
    };
  },
});

// --- If / Do / And / Or --------------------------------------------------------

defineForm({
  keys: ['if', 'then', 'else'],
  compile(fc) {
    const cond = fc.arg('if');
    const then = fc.arg('then');
    const otherwise = fc.arg('else');
    const at = fc.site.at('if');
    const c = cond.run;
    const t = then.run;
    const e = otherwise.run;
    return {
      run: (ctx, env) => {
        const v = c(ctx, env);
        if (v === true) return t(ctx, env);
        if (v === false) return e(ctx, env);
        throw invalidArgument(`Boolean expected, ${typeName(v)} provided.`, at);
      },
      effect: maxEffect(cond.effect, maxEffect(then.effect, otherwise.effect)),
      position: fc.site.position,
    };
  },
});

defineForm({
  keys: ['do'],
  compile(fc) {
    const raw = fc.site.raw.do!;
    const items = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) throw invalidExpression('Expression list cannot be empty.', fc.site.position);
    const parts = items.map((item, i) => fc.compile(item, Array.isArray(raw) ? [...fc.site.position, 'do', i] : fc.site.at('do'), fc.scope));
    const runs = parts.map((p) => p.run);
    const effect = parts.reduce<Effect>((e, p) => maxEffect(e, p.effect), PURE);
    const n = runs.length;
    return {
      run: (ctx, env) => {
        for (let i = 0; i < n - 1; i++) runs[i]!(ctx, env);
        return runs[n - 1]!(ctx, env);
      },
      effect,
      position: fc.site.position,
    };
  },
});

for (const op of ['and', 'or'] as const) {
  defineForm({
    keys: [op],
    compile(fc) {
      const raw = fc.site.raw[op]!;
      const items = Array.isArray(raw) ? raw : [raw];
      if (items.length === 0) throw invalidExpression('Expression list cannot be empty.', fc.site.position);
      const parts = items.map((item, i) => fc.compile(item, fc.site.elem(op, i), fc.scope));
      const effect = parts.reduce<Effect>((e, p) => maxEffect(e, p.effect), PURE);
      const stopOn = op === 'or';
      return {
        run: (ctx, env) => {
          for (const p of parts) {
            const v = p.run(ctx, env);
            if (typeof v !== 'boolean') throw invalidArgument(`Boolean expected, ${typeName(v)} provided.`, p.position);
            if (v === stopOn) return v;
          }
          return !stopOn;
        },
        effect,
        position: fc.site.position,
      };
    },
  });
}

// --- Object / Quote ------------------------------------------------------------

defineForm({
  keys: ['object'],
  compile(fc) {
    let raw = fc.site.raw.object!;
    let base = fc.site.at('object');
    if (!isJsonObject(raw)) throw invalidExpression('Object expected.', base);
    const keys = Object.keys(raw);
    if (keys.length === 1 && keys[0] === '@obj' && isJsonObject(raw['@obj'])) {
      raw = raw['@obj'];
      base = [...base, '@obj'];
    }
    const obj = raw as JsonObject;
    const fields = Object.keys(obj).map((k) => ({ key: k, c: fc.compile(obj[k]!, [...base, k], fc.scope) }));
    const effect = fields.reduce<Effect>((e, f) => maxEffect(e, f.c.effect), PURE);
    return {
      run: (ctx, env) => {
        const out = newObject();
        for (const f of fields) out[f.key] = f.c.run(ctx, env);
        return out;
      },
      effect,
      position: fc.site.position,
    };
  },
});

defineForm({
  keys: ['quote'],
  compile(fc) {
    const value = jsonToWireValue(fc.site.raw.quote!, fc.site.at('quote'));
    return { run: () => value, effect: PURE, position: fc.site.position };
  },
});

// --- Lambda / Query --------------------------------------------------------------

/** Collects the names a lambda parameter pattern binds, in slot order. */
function patternNames(pattern: Json, position: Position, out: string[]): void {
  if (typeof pattern === 'string') {
    out.push(pattern);
    return;
  }
  if (Array.isArray(pattern)) {
    for (const p of pattern) patternNames(p, position, out);
    return;
  }
  throw invalidExpression('Lambda parameters must be a String or an Array of Strings.', position);
}

type Binder = (arg: Value, slots: Value[], position: Position) => void;

/** Builds the destructuring of an argument into slots for a parameter pattern. */
function binder(pattern: Json, next: { slot: number }): Binder {
  if (typeof pattern === 'string') {
    const slot = next.slot++;
    return (arg, slots) => {
      slots[slot] = arg;
    };
  }
  const parts = (pattern as Json[]).map((p) => binder(p, next));
  const n = parts.length;
  return (arg, slots, position) => {
    if (!Array.isArray(arg)) {
      if (n === 1) {
        parts[0]!(arg, slots, position);
        return;
      }
      throw invalidArgument(`Lambda expects an array with ${n} elements. Array contains ${typeName(arg) === 'Array' ? 0 : 1}.`, position);
    }
    if (arg.length !== n) throw invalidArgument(`Lambda expects an array with ${n} elements. Array contains ${arg.length}.`, position);
    for (let i = 0; i < n; i++) parts[i]!(arg[i]!, slots, position);
  };
}

/**
 * Compiles `{"lambda": params, "expr": body}` in `scope`. The result evaluates to a
 * LambdaValue capturing the environment it was created in.
 */
export function compileLambda(raw: JsonObject, position: Position, scope: Scope): Compiled & { bodyEffect: Effect } {
  const params = raw.lambda!;
  const names: string[] = [];
  patternNames(params, [...position, 'lambda'], names);
  const map = new Map<string, number>();
  names.forEach((n, i) => {
    if (n !== '_') map.set(n, i);
  });
  const inner: Scope = { names: map, parent: scope };
  const body = compile(raw.expr!, [...position, 'expr'], inner);
  const bind = binder(params, { slot: 0 });
  const paramsPosition = [...position, 'lambda'];
  const slotCount = names.length;
  const bodyRun = body.run;
  const closed = scope === ROOT_SCOPE;
  const arity = typeof params === 'string' ? 'any' : (params as Json[]).length;
  const source = newObjectJson(raw);
  const make = (env: Env): LambdaValue =>
    new LambdaValue(
      params,
      source,
      arity,
      (ctx: EvalContext, arg: Value) => {
        const frame: Env = { slots: new Array<Value>(slotCount), parent: env };
        bind(arg, frame.slots, paramsPosition);
        ctx.enterCall(position);
        try {
          return bodyRun(ctx, frame);
        } finally {
          ctx.leaveCall();
        }
      },
      closed,
      body.effect,
    );
  if (closed) {
    const value = make({ slots: [], parent: null });
    return { run: () => value, effect: PURE, position, constant: value, bodyEffect: body.effect };
  }
  return { run: (_ctx, env) => make(env), effect: PURE, position, bodyEffect: body.effect };
}

function newObjectJson(raw: JsonObject): JsonObject {
  const out = Object.create(null) as JsonObject;
  out.lambda = raw.lambda!;
  out.expr = raw.expr!;
  return out;
}

defineForm({
  keys: ['lambda', 'expr'],
  compile(fc) {
    return compileLambda(fc.site.raw, fc.site.position, fc.scope);
  },
});

/** Compiles a closed lambda (a `@query` body or a stored function); free variables are invalid. */
export function compileClosedLambda(source: JsonObject, position: Position): LambdaValue {
  const keys = Object.keys(source).filter((k) => k !== 'api_version');
  if (keys.length !== 2 || source.lambda === undefined || source.expr === undefined) throw invalidExpression('Invalid lambda.', position);
  try {
    const compiled = compileLambda(source, [], ROOT_SCOPE);
    return compiled.constant as LambdaValue;
  } catch (err) {
    if (err instanceof FaunaError && /is not defined/.test(err.description)) throw invalidExpression('Invalid lambda.', position);
    throw err;
  }
}

installQueryCompiler(compileClosedLambda);

defineForm({
  keys: ['query'],
  compile(fc) {
    const raw = fc.site.raw.query!;
    const position = fc.site.position;
    if (isJsonObject(raw) && raw.lambda !== undefined && raw.expr !== undefined && Object.keys(raw).length === 2) {
      const value = compileClosedLambda(raw, position);
      return { run: () => value, effect: PURE, position, constant: value };
    }
    const inner = fc.arg('query');
    return {
      run: (ctx, env) => {
        const v = inner.run(ctx, env);
        if (v instanceof LambdaValue) return v;
        throw invalidExpression('Invalid lambda.', position);
      },
      effect: inner.effect,
      position,
    };
  },
});

// --- Abort ------------------------------------------------------------------------

defineFunction({
  keys: ['abort'],
  impl(_ctx, [message], site) {
    throw new FaunaError('transaction aborted', castString(message, site.at('abort')), site.position);
  },
});
