/**
 * Math: the number folds (Add, Subtract, Multiply, Divide, Modulo, BitAnd,
 * BitOr, BitXor), the unary functions (Abs, BitNot, Ceil, Floor, Sign, Sqrt,
 * Round, Trunc) and the trigonometric/logarithmic ones (Acos ... Tanh, Pow,
 * Hypot, Exp, Ln, Log, Degrees, Radians).
 *
 * Semantics follow FaunaDB's NumericFunctions/TrigFunctions: Integer stays a
 * 64-bit integer (wrapping on overflow; division and modulo truncate toward
 * zero) until a Double takes part, from then on the fold is in doubles.
 * Conversions from Double to Integer behave like Java's `(long)` cast
 * (truncate, saturate, NaN becomes 0).
 */
import { invalidArgument, type Position } from '../../errors.js';
import type { Value } from '../../values/value.js';
import { castInt, castNumber } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction, type Site } from '../registry.js';

type Num = bigint | number;

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;
const TWO_63 = 9223372036854775808; // 2^63 as a double

/** Java's `(long) d`: truncates toward zero, saturates, NaN becomes 0. */
export function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= TWO_63) return LONG_MAX;
  if (d <= -TWO_63) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

/** Java's `(int) d`. */
function doubleToInt(d: number): number {
  if (Number.isNaN(d)) return 0;
  if (d >= 2147483647) return 2147483647;
  if (d <= -2147483648) return -2147483648;
  return Math.trunc(d);
}

const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);

/** Java's `Double.toString`, for error messages. */
export function javaDoubleString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(d);
  if (abs >= 1e-3 && abs < 1e7) {
    const text = String(d);
    return text.includes('.') ? text : `${text}.0`;
  }
  const [mantissa, exponent] = d.toExponential().split('e') as [string, string];
  const m = mantissa.includes('.') ? mantissa : `${mantissa}.0`;
  return `${m}E${exponent.startsWith('+') ? exponent.slice(1) : exponent}`;
}

/** A number as FaunaDB prints it inside an error message. */
function numberText(n: Num): string {
  return typeof n === 'bigint' ? n.toString() : javaDoubleString(n);
}

function boundsError(n: Num, predicate: string, position: Position): never {
  throw invalidArgument(`${numberText(n)} must be ${predicate}`, position);
}

// --- folds ----------------------------------------------------------------------

interface Fold {
  longs(a: bigint, b: bigint): bigint;
  doubles(a: number, b: number): number;
  /** Mixed Integer/Double; by default both become doubles. */
  mixed?(a: Num, b: Num): number;
  /** True for Divide and Modulo, which reject a zero divisor. */
  divides?: boolean;
}

/** The position of element i of a varargs argument: `[.., key, i]` when the argument is an array. */
export function elementPosition(site: Site, key: string, arg: Value | undefined, i: number): Position {
  return Array.isArray(arg) ? [...site.at(key), i] : site.at(key);
}

/** Casts a OneOrMore(Number) argument: one value or an array of numbers, at least one. */
function numberList(ctx: EvalContext, arg: Value | undefined, site: Site, key: string): Num[] {
  const items = Array.isArray(arg) ? arg : [arg ?? null];
  if (items.length === 0) throw invalidArgument('Non-empty array expected.', site.at(key));
  const out: Num[] = new Array<Num>(items.length);
  for (let i = 0; i < items.length; i++) {
    ctx.tick();
    out[i] = castNumber(items[i], elementPosition(site, key, arg, i));
  }
  return out;
}

function toDouble(n: Num): number {
  return typeof n === 'bigint' ? Number(n) : n;
}

function runFold(ctx: EvalContext, fold: Fold, nums: Num[], site: Site): Num {
  let acc: Num = nums[0]!;
  for (let i = 1; i < nums.length; i++) {
    ctx.tick();
    const b = nums[i]!;
    if (fold.divides && (typeof b === 'bigint' ? b === 0n : b === 0)) {
      throw invalidArgument('Illegal division by zero.', site.position);
    }
    if (typeof acc === 'bigint' && typeof b === 'bigint') acc = fold.longs(acc, b);
    else if (typeof acc === 'number' && typeof b === 'number') acc = fold.doubles(acc, b);
    else acc = fold.mixed ? fold.mixed(acc, b) : fold.doubles(toDouble(acc), toDouble(b));
  }
  return acc;
}

/** Bit operations with a double operand truncate both sides to longs and return a double. */
function bitFold(op: (a: bigint, b: bigint) => bigint): Fold {
  const asLong = (n: Num): bigint => (typeof n === 'bigint' ? n : doubleToLong(n));
  return {
    longs: op,
    doubles: (a, b) => Number(op(doubleToLong(a), doubleToLong(b))),
    mixed: (a, b) => Number(op(asLong(a), asLong(b))),
  };
}

const FOLDS: Record<string, Fold> = {
  add: { longs: (a, b) => wrap(a + b), doubles: (a, b) => a + b },
  subtract: { longs: (a, b) => wrap(a - b), doubles: (a, b) => a - b },
  multiply: { longs: (a, b) => wrap(a * b), doubles: (a, b) => a * b },
  // BigInt division and remainder truncate toward zero, like Java's; MIN / -1 wraps to MIN.
  divide: { longs: (a, b) => wrap(a / b), doubles: (a, b) => a / b, divides: true },
  modulo: { longs: (a, b) => wrap(a % b), doubles: (a, b) => a % b, divides: true },
  bitand: bitFold((a, b) => a & b),
  bitor: bitFold((a, b) => a | b),
  bitxor: bitFold((a, b) => a ^ b),
};

for (const [name, fold] of Object.entries(FOLDS)) {
  defineFunction({
    keys: [name],
    impl(ctx, [arg], site) {
      return runFold(ctx, fold, numberList(ctx, arg, site, name), site);
    },
  });
}

// --- unary functions ----------------------------------------------------------------

/** Defines `{"<name>": n}` over one Number. */
function unary(name: string, fn: (n: Num, site: Site) => Value): void {
  defineFunction({
    keys: [name],
    impl(_ctx, [arg], site) {
      return fn(castNumber(arg, site.at(name)), site);
    },
  });
}

unary('abs', (n) => (typeof n === 'bigint' ? wrap(n < 0n ? -n : n) : Math.abs(n)));
unary('bitnot', (n) => (typeof n === 'bigint' ? ~n : ~doubleToLong(n)));
unary('ceil', (n) => (typeof n === 'bigint' ? n : Math.ceil(n)));
unary('floor', (n) => (typeof n === 'bigint' ? n : Math.floor(n)));
// A double sign is -1 below zero and 1 otherwise (0.0 and NaN included), as the server does.
unary('sign', (n) => (typeof n === 'bigint' ? (n > 0n ? 1n : n < 0n ? -1n : 0n) : n < 0 ? -1n : 1n));
unary('sqrt', (n, site) => {
  if (typeof n === 'bigint' ? n < 0n : !(n >= 0)) boundsError(n, 'positive', site.position);
  return Math.sqrt(toDouble(n));
});

// --- Round / Trunc ------------------------------------------------------------------
// These reproduce the server's arithmetic step by step (including its double rounding
// artefacts), since clients compare results exactly.

function roundLong(num: bigint, dp: bigint): bigint {
  if (dp > 0n) return num;
  const tmp = Math.pow(10, Number(dp));
  return doubleToLong(Number(doubleToLong(Number(num) * tmp + 0.5)) / tmp);
}

function roundDouble(num: number, dp: bigint): number {
  if (dp > 0n) {
    const tmp = doubleToInt(Math.pow(10, Number(dp)));
    const wnum = doubleToLong(num);
    const fract = doubleToLong((num - Number(wnum) + 0.5 / tmp) * tmp);
    return Number(wnum) + Number(fract) / tmp;
  }
  const tmp = Math.pow(10, Number(dp));
  return Number(doubleToLong(Number(doubleToLong(num * tmp + 0.5)) / tmp));
}

function truncLong(num: bigint, dp: bigint): bigint {
  if (dp > 0n) return num;
  const tmp = Math.pow(10, Number(dp));
  return doubleToLong(Number(doubleToLong(Number(num) * tmp)) / tmp);
}

function truncDouble(num: number, dp: bigint): number {
  if (dp > 0n) {
    const tmp = doubleToInt(Math.pow(10, Number(dp)));
    const wnum = doubleToLong(num);
    const fract = doubleToLong((num - Number(wnum)) * tmp);
    return Number(wnum) + Number(fract) / tmp;
  }
  const tmp = Math.pow(10, Number(dp));
  return Number(doubleToLong(num * tmp)) / tmp;
}

for (const [name, onLong, onDouble] of [
  ['round', roundLong, roundDouble],
  ['trunc', truncLong, truncDouble],
] as const) {
  defineFunction({
    keys: [name],
    optional: ['precision'],
    impl(_ctx, [arg, precision], site) {
      const n = castNumber(arg, site.at(name));
      const dp = precision === undefined ? undefined : castInt(precision, site.at('precision'));
      if (typeof n === 'bigint') return dp === undefined ? n : onLong(n, dp);
      return onDouble(n, dp ?? 2n);
    },
  });
}

// --- trigonometry, logarithms, powers ---------------------------------------------------

const RADIANS_TO_DEGREES = 57.29577951308232;
const DEGREES_TO_RADIANS = 0.017453292519943295;

/** Defines a Number -> Double function, with an optional domain check. */
function real(name: string, fn: (x: number) => number, domain?: { test: (n: Num) => boolean; predicate: string }): void {
  unary(name, (n, site) => {
    if (domain && !domain.test(n)) boundsError(n, domain.predicate, site.position);
    return fn(toDouble(n));
  });
}

const unitRange = { test: (n: Num) => (typeof n === 'bigint' ? n >= -1n && n <= 1n : n >= -1 && n <= 1), predicate: 'between -1 and 1 inclusive' };
const positive = { test: (n: Num) => (typeof n === 'bigint' ? n > 0n : n > 0), predicate: 'greater than 0' };

real('acos', Math.acos, unitRange);
real('asin', Math.asin, unitRange);
real('atan', Math.atan);
real('cos', Math.cos);
real('cosh', Math.cosh);
real('sin', Math.sin);
real('sinh', Math.sinh);
real('tan', Math.tan);
real('tanh', Math.tanh);
real('degrees', (x) => x * RADIANS_TO_DEGREES);
real('radians', (x) => x * DEGREES_TO_RADIANS);
real('exp', Math.exp);
real('ln', Math.log, positive);
real('log', Math.log10, positive);

defineFunction({
  keys: ['pow'],
  optional: ['exp'],
  impl(_ctx, [base, exponent], site) {
    const b = toDouble(castNumber(base, site.at('pow')));
    const e = exponent === undefined ? 2 : toDouble(castNumber(exponent, site.at('exp')));
    return Math.pow(b, e);
  },
});

defineFunction({
  keys: ['hypot'],
  optional: ['b'],
  impl(_ctx, [a, b], site) {
    const x = toDouble(castNumber(a, site.at('hypot')));
    const y = b === undefined ? x : toDouble(castNumber(b, site.at('b')));
    return hypot(x, y);
  },
});

/**
 * sqrt(x² + y²). When the squares neither overflow nor underflow, the plain formula is
 * what Java's (fdlibm) hypot gives for exact sums such as hypot(3, 3); V8's Math.hypot
 * scales first and can be one ulp off there.
 */
function hypot(x: number, y: number): number {
  const sum = x * x + y * y;
  if (Number.isFinite(sum) && (sum === 0 ? x === 0 && y === 0 : sum >= 2.2250738585072014e-308)) return Math.sqrt(sum);
  return Math.hypot(x, y);
}
