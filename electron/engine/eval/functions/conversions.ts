/**
 * Conversions: ToString, ToNumber, ToDouble, ToInteger.
 *
 * FaunaDB runs on the JVM, so these follow Java: doubles print with
 * `Double.toString` (`10.0`, `1.0E10`, `1.0E-5`), and numeric strings are read
 * with the lenient `NumberFormat.parse` of the US locale (grouping commas are
 * skipped, trailing text is ignored, `1.0` reads as the Integer 1).
 *
 * Also exported for the string functions: Fauna's type names for messages
 * (refs are "Collection Ref", "Index Ref", ...), Java double formatting and
 * the ToString conversion itself (Format's `%s`).
 */
import { invalidArgument, type Position } from '../../errors.js';
import { formatDate } from '../../values/time.js';
import { FDate, FTime, Ref, type Value } from '../../values/value.js';
import { typeName } from '../cast.js';
import { defineFunction } from '../registry.js';

const LONG_MAX = 9223372036854775807n;
const LONG_MIN = -9223372036854775808n;

// ---- type names ---------------------------------------------------------------

/**
 * The type of a value as FaunaDB's messages name it. Like `typeName`, but refs
 * are told apart the way the server does: collection refs (and the native
 * collections such as `Collections()`) are "Collection Ref", then "Index Ref",
 * "Database Ref", "Key Ref", "User Function Ref"; other refs are "Ref".
 */
export function faunaTypeName(v: Value | undefined): string {
  if (v instanceof Ref) {
    if (v.isNative) return 'Collection Ref';
    switch (v.schemaKind) {
      case 'collections':
        return 'Collection Ref';
      case 'indexes':
        return 'Index Ref';
      case 'databases':
        return 'Database Ref';
      case 'keys':
        return 'Key Ref';
      case 'functions':
        return 'User Function Ref';
      default:
        return 'Ref';
    }
  }
  return typeName(v);
}

/** `invalid argument` "Cannot cast X to Y." */
export function cannotCast(v: Value | undefined, to: string, position: Position): never {
  throw invalidArgument(`Cannot cast ${faunaTypeName(v)} to ${to}.`, position);
}

// ---- Java double formatting ---------------------------------------------------------

/**
 * The decimal digits of a finite, non-negative double and its decimal
 * exponent, in Java's `FloatingDecimal` convention: value = 0.d1d2d3... × 10^decExp.
 * The digits are the shortest that read back as the same double (at least two). Zero is "0" with exponent 0.
 */
export function decimalDigits(abs: number): { digits: string; decExp: number } {
  if (abs === 0) return { digits: '0', decExp: 0 };
  let text = abs.toExponential(); // shortest round-trip digits: d.ddde±x
  // Java always prints two significant digits and picks the closest such
  // decimal (Double.MIN_VALUE is 4.9E-324, not 5.0E-324).
  if (!text.includes('.')) text = abs.toExponential(1);
  const e = text.indexOf('e');
  const digits = text.slice(0, e).replace('.', '').replace(/(?<=.)0+$/, '');
  return { digits, decExp: Number(text.slice(e + 1)) + 1 };
}

/** Java's `Double.toString`: `10.0`, `0.001`, `1.0E7`, `1.0E-4`, `NaN`, `-Infinity`, `-0.0`. */
export function javaDoubleToString(d: number): string {
  if (Number.isNaN(d)) return 'NaN';
  if (d === Infinity) return 'Infinity';
  if (d === -Infinity) return '-Infinity';
  const sign = d < 0 || Object.is(d, -0) ? '-' : '';
  if (d === 0) return `${sign}0.0`;
  const { digits, decExp } = decimalDigits(Math.abs(d));
  const n = digits.length;
  if (decExp > 0 && decExp < 8) {
    if (n <= decExp) return `${sign}${digits}${'0'.repeat(decExp - n)}.0`;
    return `${sign}${digits.slice(0, decExp)}.${digits.slice(decExp)}`;
  }
  if (decExp <= 0 && decExp > -3) return `${sign}0.${'0'.repeat(-decExp)}${digits}`;
  const mantissa = n > 1 ? `${digits[0]}.${digits.slice(1)}` : `${digits}.0`;
  return `${sign}${mantissa}E${decExp - 1}`;
}

// ---- ToString -------------------------------------------------------------------------

/** Fauna's ToString of a value, or null when the value has no string form. */
export function toStringOrNull(v: Value | undefined): string | null {
  switch (typeof v) {
    case 'string':
      return v;
    case 'bigint':
      return v.toString();
    case 'number':
      return javaDoubleToString(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      break;
  }
  if (v === null) return 'null';
  if (v instanceof FTime) return v.iso;
  if (v instanceof FDate) return formatDate(v.days);
  return null;
}

// ---- Java NumberFormat.parse ----------------------------------------------------------------

/** Java's `String.trim`: strips every char at or below U+0020 from both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Reads a number the way `NumberFormat.getInstance(Locale.US).parse` does:
 * the longest numeric prefix (optional '-', digits with ',' grouping, one '.',
 * an exponent written `E`), trailing text ignored. Integral values that fit
 * in 64 bits become Integers (`"1.0"` gives 1), other values Doubles, and
 * negative zero is the Double -0.0. Returns null when no number starts the text.
 */
export function parseJavaNumber(input: string): bigint | number | null {
  const s = javaTrim(input);
  if (s.startsWith('NaN')) return NaN;
  let pos = 0;
  let negative = false;
  if (s[pos] === '-') {
    negative = true;
    pos++;
  }
  if (s[pos] === '∞') return negative ? -Infinity : Infinity;
  let intDigits = '';
  let fracDigits = '';
  let sawDecimal = false;
  let sawDigit = false;
  let exponent = 0;
  while (pos < s.length) {
    const c = s[pos]!;
    if (isDigit(c)) {
      sawDigit = true;
      if (sawDecimal) fracDigits += c;
      else intDigits += c;
      pos++;
    } else if (c === '.' && !sawDecimal) {
      sawDecimal = true;
      pos++;
    } else if (c === ',' && !sawDecimal && isDigit(s[pos + 1])) {
      // grouping separators are skipped when a digit follows
      pos++;
    } else if (c === 'E') {
      let p = pos + 1;
      let expNegative = false;
      if (s[p] === '-') {
        expNegative = true;
        p++;
      }
      let expDigits = '';
      while (isDigit(s[p])) expDigits += s[p++]!;
      if (expDigits !== '') {
        const big = BigInt(expDigits);
        // Java drops exponents that do not fit a long; such a number reads without it.
        if (big <= LONG_MAX) exponent = Number(expNegative ? -big : big);
      }
      break;
    } else {
      break;
    }
  }
  if (!sawDigit) return null;
  // Normalise to digits × 10^scale.
  let digits = (intDigits + fracDigits).replace(/^0+/, '');
  let scale = exponent - fracDigits.length;
  if (digits === '') return negative ? -0 : 0n;
  const trailing = digits.length - digits.replace(/0+$/, '').length;
  digits = digits.slice(0, digits.length - trailing);
  scale += trailing;
  if (scale >= 0 && digits.length + scale <= 19) {
    const value = BigInt(digits) * 10n ** BigInt(scale);
    const signed = negative ? -value : value;
    if (signed >= LONG_MIN && signed <= LONG_MAX) return signed;
  }
  return Number(`${negative ? '-' : ''}${digits}e${scale}`);
}

/** Java's `(long) d`: truncation, saturating at the 64-bit bounds, NaN gives 0. */
export function doubleToLong(d: number): bigint {
  if (Number.isNaN(d)) return 0n;
  if (d >= 9223372036854775807) return LONG_MAX;
  if (d <= -9223372036854775808) return LONG_MIN;
  return BigInt(Math.trunc(d));
}

// ---- forms -------------------------------------------------------------------------------

defineFunction({
  keys: ['to_string'],
  impl(_ctx, [v], site) {
    const s = toStringOrNull(v);
    if (s === null) return cannotCast(v, 'String', site.position);
    return s;
  },
});

defineFunction({
  keys: ['to_number'],
  impl(_ctx, [v], site) {
    if (typeof v === 'bigint' || typeof v === 'number') return v;
    if (typeof v === 'string') {
      const n = parseJavaNumber(v);
      if (n !== null) return n;
    }
    return cannotCast(v, 'Number', site.position);
  },
});

defineFunction({
  keys: ['to_double'],
  impl(_ctx, [v], site) {
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'string') {
      const n = parseJavaNumber(v);
      if (n !== null) return Number(n);
    }
    return cannotCast(v, 'Double', site.at('to_double'));
  },
});

defineFunction({
  keys: ['to_integer'],
  impl(_ctx, [v], site) {
    if (typeof v === 'bigint') return v;
    if (typeof v === 'number') return doubleToLong(v);
    if (typeof v === 'string') {
      const n = parseJavaNumber(v);
      if (n !== null) return typeof n === 'bigint' ? n : doubleToLong(n);
    }
    return cannotCast(v, 'Integer', site.at('to_integer'));
  },
});
