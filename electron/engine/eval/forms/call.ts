/**
 * Call of a user-defined function, and At.
 *
 * A function's body is compiled once, when its schema document is decoded,
 * and cached with the schema. Any error in the body is reported as a
 * `call error` whose `cause` holds the inner errors with positions relative
 * to the function's lambda.
 */
import { FaunaError, endsRequest, invalidRef } from '../../errors.js';
import { LambdaValue, Ref, WRITE, schemaRef, type Value } from '../../values/value.js';
import { typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineForm, defineFunction, type Site } from '../registry.js';
import { databaseOid } from '../resolve.js';
import { timeArgMicros } from '../time-arg.js';
import { invalidArgument } from '../../errors.js';

function functionBody(ctx: EvalContext, fn: Value | undefined, site: Site): LambdaValue {
  let ref: Ref;
  if (typeof fn === 'string') ref = schemaRef('functions', fn);
  else if (fn instanceof Ref && fn.schemaKind === 'functions') ref = fn;
  else throw invalidArgument(`Function Ref expected, ${typeName(fn)} provided.`, site.at('call'));
  const db = databaseOid(ctx, ref.collection!.database, site.at('call'));
  const doc = ctx.txn.getSchema('functions', ref.id, db);
  if (doc === null) throw invalidRef(`Ref refers to undefined function '${ref.id}'`, site.at('call'));
  const body = doc.fields.body;
  if (!(body instanceof LambdaValue)) throw new FaunaError('invalid expression', `Function '${ref.id}' has no valid body.`, site.at('call'));
  return body;
}

export function callFunction(ctx: EvalContext, fn: Value | undefined, args: Value, site: Site): Value {
  const body = functionBody(ctx, fn, site);
  try {
    return body.apply(ctx, args);
  } catch (err) {
    if (err instanceof FaunaError && !endsRequest(err)) {
      throw new FaunaError('call error', 'Calling the function resulted in an error.', site.position, undefined, [err.toJSON()]);
    }
    throw err;
  }
}

defineFunction({
  keys: ['call'],
  optional: ['arguments'],
  effect: WRITE,
  impl(ctx, [fn, args], site) {
    return callFunction(ctx, fn, args === undefined ? [] : args, site);
  },
});

defineForm({
  keys: ['at', 'expr'],
  compile(fc) {
    const ts = fc.arg('at');
    const expr = fc.arg('expr');
    const at = fc.site.at('at');
    return {
      run: (ctx, env) => {
        const micros = timeArgMicros(ts.run(ctx, env), at);
        const saved = ctx.readTs;
        // A future time reads as now.
        ctx.readTs = micros >= ctx.txnTs ? ctx.txnTs : micros;
        try {
          return expr.run(ctx, env);
        } finally {
          ctx.readTs = saved;
        }
      },
      effect: ts.effect > expr.effect ? ts.effect : expr.effect,
      position: fc.site.position,
    };
  },
});
