/**
 * Compiled expressions. The compiler turns wire JSON into a tree of closures
 * once; running a query calls the closures. Variables are resolved at compile
 * time to (frame depth, slot) pairs, so a lookup is a short pointer walk.
 */
import type { Position } from '../errors.js';
import type { Effect, Value } from '../values/value.js';
import type { EvalContext } from './context.js';

/** A runtime frame of variable slots, linked to the enclosing frame. */
export interface Env {
  readonly slots: Value[];
  readonly parent: Env | null;
}

export const EMPTY_ENV: Env = { slots: [], parent: null };

export type Run = (ctx: EvalContext, env: Env) => Value;

export interface Compiled {
  readonly run: Run;
  /** The most an evaluation may do: 0 pure, 1 read, 2 write. */
  readonly effect: Effect;
  readonly position: Position;
  /** Present when the expression is a constant (a literal). */
  readonly constant?: Value;
}

/** Compile-time scope: names bound in one frame, linked to the enclosing scope. */
export interface Scope {
  readonly names: Map<string, number>;
  readonly parent: Scope | null;
}
