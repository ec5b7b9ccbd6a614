/**
 * String functions: Concat, Casefold, ContainsStr, ContainsStrRegex,
 * StartsWith, EndsWith, RegexEscape, FindStr, FindStrRegex, Length,
 * LowerCase, UpperCase, TitleCase, LTrim, RTrim, Trim, NGram, Repeat,
 * ReplaceStr, ReplaceStrRegex, Space, SubString, Format.
 *
 * FaunaDB implements these on the JVM, so lengths and offsets count code
 * points, regular expressions are Java's (translated here to JavaScript with
 * the `u` flag), replacements use Java's `$1` / `${name}` syntax, trimming
 * uses Java's whitespace, case mapping follows ICU's root locale, and Format
 * is `java.util.Formatter` restricted to the conversions FaunaDB allows.
 * SplitStr / SplitStrRegex exist only in the UNSTABLE API version, not in v4.
 */
import { stringifyJson, isJsonObject, newJsonObject, type Json } from '../../../../shared/fql/json.js';
import { FaunaError, invalidArgument, type Position } from '../../errors.js';
import { civilFromDays, daysFromCivil, splitNanos } from '../../values/time.js';
import { Bytes, FDate, FTime, Ref, objectFrom, type Value } from '../../values/value.js';
import { toWire } from '../../wire/encode.js';
import type { EvalContext } from '../context.js';
import { defineFunction, type Site } from '../registry.js';
import { faunaTypeName, decimalDigits, toStringOrNull } from './conversions.js';
import { guardedMatches, mayBacktrackBadly, RegexTimeout } from './regex-guard.js';

// ---- argument casts ----------------------------------------------------------------

function expected(what: string, v: Value | undefined, position: Position): never {
  throw invalidArgument(`${what} expected, ${faunaTypeName(v)} provided.`, position);
}

function str(v: Value | undefined, position: Position): string {
  return typeof v === 'string' ? v : expected('String', v, position);
}

function int(v: Value | undefined, position: Position): bigint {
  return typeof v === 'bigint' ? v : expected('Integer', v, position);
}

function optInt(v: Value | undefined, position: Position): bigint | null {
  return v === undefined ? null : int(v, position);
}

function optBool(v: Value | undefined, position: Position): boolean | null {
  if (v === undefined) return null;
  return typeof v === 'boolean' ? v : expected('Boolean', v, position);
}

function optStr(v: Value | undefined, position: Position): string | null {
  return v === undefined ? null : str(v, position);
}

/**
 * A list argument (the varargs convention): an array gives its elements, with
 * positions `[..., key, i]`; any other value is a list of one at `[..., key]`.
 */
function listArg(site: Site, key: string, v: Value | undefined): { value: Value; position: Position }[] {
  if (Array.isArray(v)) return v.map((value, i) => ({ value, position: [...site.at(key), i] }));
  return v === undefined ? [] : [{ value: v, position: site.at(key) }];
}

/** Scalars in FaunaDB's sense: anything but arrays, objects, sets, lambdas and pages. */
function isScalar(v: Value): boolean {
  if (typeof v !== 'object' || v === null) return true;
  return v instanceof FTime || v instanceof FDate || v instanceof Ref || v instanceof Bytes;
}

function boundsError(argument: string, predicate: string, position: Position): never {
  throw invalidArgument(`${argument} must be ${predicate}`, position);
}

function tooLarge(ctx: EvalContext, position: Position): never {
  throw invalidArgument(`Result too large: string longer than ${ctx.limits.maxStringBytes} bytes.`, position);
}

/** Fails when a string passes the engine's string size limit (UTF-8 bytes). */
function checkString(ctx: EvalContext, s: string, position: Position): string {
  const max = ctx.limits.maxStringBytes;
  if (s.length * 3 > max && Buffer.byteLength(s, 'utf8') > max) tooLarge(ctx, position);
  return s;
}

/** Fails early when a string about to be built would have more UTF-16 units than the limit allows bytes. */
function checkLength(ctx: EvalContext, units: number, position: Position): void {
  if (units > ctx.limits.maxStringBytes) tooLarge(ctx, position);
}

/** Clamps a 64-bit integer into the safe range for index arithmetic. */
function clampInt(n: bigint): number {
  if (n > 9007199254740991n) return Number.MAX_SAFE_INTEGER;
  if (n < -9007199254740991n) return -Number.MAX_SAFE_INTEGER;
  return Number(n);
}

// ---- code points ----------------------------------------------------------------

/** The number of code points in a string (a lone surrogate counts as one, as in Java). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The UTF-16 index after `n` code points (Java's `offsetByCodePoints(s, 0, n)`), or -1 past the end. */
function codePointOffset(s: string, n: number): number {
  let i = 0;
  for (let k = 0; k < n; k++) {
    if (i >= s.length) return -1;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      i += d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
    } else {
      i++;
    }
  }
  return i;
}

/** UTF-16 length of the code point at `i`. */
function charCountAt(s: string, i: number): number {
  const cp = s.codePointAt(i);
  return cp !== undefined && cp > 0xffff ? 2 : 1;
}

// ---- Java regular expressions ---------------------------------------------------------

/** A Java pattern that cannot be compiled, or uses a feature JavaScript lacks. */
class RegexProblem extends Error {
  constructor(readonly unsupported: string | null) {
    super(unsupported ?? 'invalid');
  }
}

interface RegexFlags {
  i: boolean;
  m: boolean;
  s: boolean;
  x: boolean;
  d: boolean;
}

type Ranges = [number, number][];

const MAX_CP = 0x10ffff;

function hexEscape(cp: number): string {
  return `\\u{${cp.toString(16)}}`;
}

function rangesContent(ranges: Ranges): string {
  return ranges.map(([lo, hi]) => (lo === hi ? hexEscape(lo) : `${hexEscape(lo)}-${hexEscape(hi)}`)).join('');
}

function complement(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const out: Ranges = [];
  let next = 0;
  for (const [lo, hi] of sorted) {
    if (lo > next) out.push([next, lo - 1]);
    next = Math.max(next, hi + 1);
  }
  if (next <= MAX_CP) out.push([next, MAX_CP]);
  return out;
}

const r = (...pairs: (number | [number, number])[]): Ranges => pairs.map((p) => (typeof p === 'number' ? [p, p] : p));

/** Java's `\s` (ASCII whitespace), `\h`, `\v` and Character.isWhitespace. */
const SPACE = r([9, 13], 32);
const HSPACE = r(32, 9, 0xa0, 0x1680, 0x180e, [0x2000, 0x200a], 0x202f, 0x205f, 0x3000);
const VSPACE = r([10, 13], 0x85, 0x2028, 0x2029);
const JAVA_WHITESPACE = r([9, 13], [0x1c, 0x20], 0x1680, [0x2000, 0x2006], [0x2008, 0x200a], 0x2028, 0x2029, 0x205f, 0x3000);

/** The POSIX classes of `\p{...}` (US-ASCII only, as Java has them by default). */
const POSIX: Record<string, Ranges> = {
  Lower: r([0x61, 0x7a]),
  Upper: r([0x41, 0x5a]),
  ASCII: r([0, 0x7f]),
  Alpha: r([0x41, 0x5a], [0x61, 0x7a]),
  Digit: r([0x30, 0x39]),
  Alnum: r([0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]),
  Punct: r([0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]),
  Graph: r([0x21, 0x7e]),
  Print: r([0x20, 0x7e]),
  Blank: r(0x20, 9),
  Cntrl: r([0, 0x1f], 0x7f),
  XDigit: r([0x30, 0x39], [0x41, 0x46], [0x61, 0x66]),
  Space: SPACE,
  all: r([0, MAX_CP]),
  L1: r([0, 0xff]),
};

const GENERAL_CATEGORIES = new Set(
  'L LC Lu Ll Lt Lm Lo M Mn Mc Me N Nd Nl No P Pc Pd Ps Pe Pi Pf Po S Sm Sc Sk So Z Zs Zl Zp C Cc Cf Cs Co Cn'.split(' '),
);

/** Java binary properties (`\p{IsAlphabetic}`, `\p{javaLowerCase}`) as JavaScript properties. */
const BINARY: Record<string, string[]> = {
  alphabetic: ['Alphabetic'],
  ideographic: ['Ideographic'],
  letter: ['L'],
  lowercase: ['Lowercase'],
  uppercase: ['Uppercase'],
  titlecase: ['Lt'],
  punctuation: ['P'],
  control: ['Cc'],
  whitespace: ['White_Space'],
  white_space: ['White_Space'],
  digit: ['Nd'],
  hexdigit: ['Hex_Digit'],
  hex_digit: ['Hex_Digit'],
  joincontrol: ['Join_Control'],
  join_control: ['Join_Control'],
  noncharactercodepoint: ['Noncharacter_Code_Point'],
  noncharacter_code_point: ['Noncharacter_Code_Point'],
  emoji: ['Emoji'],
};

const JAVA_CHARACTER: Record<string, string[]> = {
  javaLowerCase: ['Lowercase'],
  javaUpperCase: ['Uppercase'],
  javaAlphabetic: ['Alphabetic'],
  javaIdeographic: ['Ideographic'],
  javaTitleCase: ['Lt'],
  javaDigit: ['Nd'],
  javaLetter: ['L'],
  javaLetterOrDigit: ['L', 'Nd'],
  javaSpaceChar: ['Z'],
  javaMirrored: ['Bidi_M'],
};

type PropertySet = { ranges: Ranges } | { props: string[]; negate: boolean };

/** Resolves the body of a Java `\p{...}` to code point ranges or JavaScript properties. */
function javaProperty(name: string): PropertySet {
  const posix = POSIX[name];
  if (posix) return { ranges: posix };
  if (name === 'javaWhitespace') return { ranges: JAVA_WHITESPACE };
  if (name === 'javaDefined') return { props: ['Cn'], negate: true };
  const javaChar = JAVA_CHARACTER[name];
  if (javaChar) return { props: javaChar, negate: false };
  if (name === 'LD') return { props: ['L', 'Nd'], negate: false };
  if (GENERAL_CATEGORIES.has(name)) return { props: [name], negate: false };
  if (name.startsWith('In') || /^(block|blk)=/i.test(name)) throw new RegexProblem('Unicode blocks (\\p{In...})');
  const eq = /^(script|sc|general_category|gc)=(.+)$/i.exec(name);
  if (eq) {
    const which = eq[1]!.toLowerCase();
    if (which === 'script' || which === 'sc') return { props: [`Script=${scriptName(eq[2]!)}`], negate: false };
    return { props: [`General_Category=${eq[2]}`], negate: false };
  }
  if (name.startsWith('Is')) {
    const rest = name.slice(2);
    const binary = BINARY[rest.toLowerCase()];
    if (binary) return { props: binary, negate: false };
    if (rest.toLowerCase() === 'assigned') return { props: ['Cn'], negate: true };
    if (GENERAL_CATEGORIES.has(rest)) return { props: [rest], negate: false };
    return { props: [`Script=${scriptName(rest)}`], negate: false };
  }
  throw new RegexProblem(null);
}

/** Java script names are case-insensitive enum names (LATIN, OLD_ITALIC); JavaScript wants Latin, Old_Italic. */
function scriptName(name: string): string {
  return name
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('_');
}

/** A property set outside a class: `[...]`, `[^...]` or `\p{...}`. */
function propertyAtom(set: PropertySet, negated: boolean): string {
  if ('ranges' in set) return `[${negated ? '^' : ''}${rangesContent(set.ranges)}]`;
  const neg = set.negate !== negated;
  if (set.props.length === 1) return `\\${neg ? 'P' : 'p'}{${set.props[0]}}`;
  return `[${neg ? '^' : ''}${set.props.map((p) => `\\p{${p}}`).join('')}]`;
}

/** A property set inside a class. */
function propertyContent(set: PropertySet, negated: boolean): string {
  if ('ranges' in set) return rangesContent(negated ? complement(set.ranges) : set.ranges);
  const neg = set.negate !== negated;
  if (set.props.length === 1) return `\\${neg ? 'P' : 'p'}{${set.props[0]}}`;
  if (neg) throw new RegexProblem('negated multi-property classes inside a character class');
  return set.props.map((p) => `\\p{${p}}`).join('');
}

const SYNTAX_OUTSIDE = new Set('^$\\.*+?()[]{}|/');
const SYNTAX_INSIDE = new Set('^$\\.*+?()[]{}|/-');

function literal(cp: number, inClass: boolean): string {
  const ch = String.fromCodePoint(cp);
  if ((inClass ? SYNTAX_INSIDE : SYNTAX_OUTSIDE).has(ch)) return `\\${ch}`;
  if (cp < 0x20 || cp === 0x7f || (cp >= 0xd800 && cp <= 0xdfff)) return hexEscape(cp);
  return ch;
}

const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';

/** Translates a Java regular expression to a JavaScript one (for the `u` flag). */
export function translateJavaRegex(pattern: string): { source: string; ignoreCase: boolean } {
  const out: string[] = [];
  const stack: RegexFlags[] = [];
  let flags: RegexFlags = { i: false, m: false, s: false, x: false, d: false };
  let globalI: boolean | null = null;
  let groups = 0;
  let i = 0;
  const n = pattern.length;

  const at = (k: number): number | undefined => pattern.codePointAt(k);
  const fail = (unsupported: string | null = null): never => {
    throw new RegexProblem(unsupported);
  };
  /** Case-sensitive content is being emitted: case-insensitivity must be uniform. */
  const atom = (): void => {
    if (globalI === null) globalI = flags.i;
    else if (globalI !== flags.i) fail('case-insensitive flags that change inside the pattern');
  };
  const skipComments = (): void => {
    if (!flags.x) return;
    while (i < n) {
      const c = pattern[i]!;
      if (c === ' ' || c === '\t' || c === '\n' || c === '\x0b' || c === '\f' || c === '\r') i++;
      else if (c === '#') {
        while (i < n && !/[\n\r\u0085\u2028\u2029]/.test(pattern[i]!)) i++;
      } else break;
    }
  };
  const dot = (): string => (flags.s ? '[\\s\\S]' : flags.d ? '[^\\n]' : `[^${LINE_TERMINATORS}]`);
  const caret = (): string => {
    if (!flags.m) return '(?<![\\s\\S])';
    if (flags.d) return '(?:(?<![\\s\\S])|(?<=\\n)(?=[\\s\\S]))';
    return '(?:(?<![\\s\\S])|(?<=[\\n\\u0085\\u2028\\u2029])(?=[\\s\\S])|(?<=\\r)(?=[^\\n]))';
  };
  const dollar = (multiline: boolean): string => {
    if (flags.d) return multiline ? '(?=\\n|(?![\\s\\S]))' : '(?=\\n?(?![\\s\\S]))';
    if (multiline) return '(?=(?![\\s\\S])|[\\r\\u0085\\u2028\\u2029]|(?<!\\r)\\n)';
    return '(?=(?![\\s\\S])|\\r\\n(?![\\s\\S])|[\\r\\u0085\\u2028\\u2029](?![\\s\\S])|(?<!\\r)\\n(?![\\s\\S]))';
  };
  const readHex = (count: number): number => {
    const text = pattern.slice(i, i + count);
    if (text.length !== count || !/^[0-9a-fA-F]+$/.test(text)) fail();
    i += count;
    return parseInt(text, 16);
  };

  /** An escape after `\` (already consumed); returns its JavaScript text. */
  const escape = (inClass: boolean): string => {
    if (i >= n) return fail();
    const c = at(i)!;
    const ch = String.fromCodePoint(c);
    i += ch.length;
    switch (ch) {
      case 't':
      case 'n':
      case 'r':
      case 'f':
        return `\\${ch}`;
      case 'a':
        return hexEscape(7);
      case 'e':
        return hexEscape(0x1b);
      case 'd':
      case 'D':
      case 'w':
      case 'W':
        return `\\${ch}`;
      case 's':
      case 'S':
      case 'h':
      case 'H':
      case 'v':
      case 'V': {
        const set = ch === 's' || ch === 'S' ? SPACE : ch === 'h' || ch === 'H' ? HSPACE : VSPACE;
        const negated = ch === 'S' || ch === 'H' || ch === 'V';
        return inClass ? rangesContent(negated ? complement(set) : set) : `[${negated ? '^' : ''}${rangesContent(set)}]`;
      }
      case 'p':
      case 'P': {
        let name: string;
        if (pattern[i] === '{') {
          const close = pattern.indexOf('}', i);
          if (close < 0) return fail();
          name = pattern.slice(i + 1, close);
          i = close + 1;
        } else {
          if (i >= n) return fail();
          name = pattern[i]!;
          i++;
        }
        const set = javaProperty(name);
        return inClass ? propertyContent(set, ch === 'P') : propertyAtom(set, ch === 'P');
      }
      case '0': {
        let digits = '';
        while (digits.length < 3 && i < n && /[0-7]/.test(pattern[i]!)) {
          if (digits.length === 2 && digits[0]! > '3') break;
          digits += pattern[i++];
        }
        if (digits === '') return fail();
        return literal(parseInt(digits, 8), inClass);
      }
      case 'x': {
        if (pattern[i] === '{') {
          const close = pattern.indexOf('}', i);
          const text = pattern.slice(i + 1, close);
          if (close < 0 || !/^[0-9a-fA-F]{1,6}$/.test(text)) return fail();
          const cp = parseInt(text, 16);
          if (cp > MAX_CP) return fail();
          i = close + 1;
          return literal(cp, inClass);
        }
        return literal(readHex(2), inClass);
      }
      case 'u':
        return literal(readHex(4), inClass);
      case 'c': {
        if (i >= n) return fail();
        const cp = pattern.charCodeAt(i++) ^ 64;
        return literal(cp, inClass);
      }
      case 'Q': {
        const end = pattern.indexOf('\\E', i);
        const text = end < 0 ? pattern.slice(i) : pattern.slice(i, end);
        i = end < 0 ? n : end + 2;
        let quoted = '';
        for (const q of text) quoted += literal(q.codePointAt(0)!, inClass);
        return quoted;
      }
      case 'b':
      case 'B':
        if (inClass) return fail();
        if (pattern[i] === '{') return fail('\\b{...} boundaries');
        return `\\${ch}`;
      case 'A':
        return inClass ? fail() : '(?<![\\s\\S])';
      case 'z':
        return inClass ? fail() : '(?![\\s\\S])';
      case 'Z':
        return inClass ? fail() : dollar(false);
      case 'R':
        return inClass ? fail() : `(?:\\r\\n|[${rangesContent(VSPACE)}])`;
      case 'G':
        return fail('\\G');
      case 'X':
        return fail('\\X');
      case 'N':
        return fail('\\N{...}');
      case 'k': {
        const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(pattern.slice(i));
        if (!m || inClass) return fail();
        i += m[0].length;
        return `\\k<${m[1]}>`;
      }
      default:
        break;
    }
    if (ch >= '1' && ch <= '9') {
      if (inClass) return fail();
      let ref = Number(ch);
      while (i < n && /[0-9]/.test(pattern[i]!) && ref * 10 + Number(pattern[i]) <= groups) ref = ref * 10 + Number(pattern[i++]);
      if (ref > groups) return fail();
      return `(?:\\${ref})`;
    }
    if (/[a-zA-Z]/.test(ch)) return fail();
    return literal(c, inClass);
  };

  const charClass = (): void => {
    // '[' consumed
    out.push('[');
    if (pattern[i] === '^') {
      out.push('^');
      i++;
    }
    let first = true;
    while (true) {
      skipComments();
      if (i >= n) fail();
      const c = at(i)!;
      const ch = String.fromCodePoint(c);
      if (ch === ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (ch === '[') fail('nested character classes');
      if (ch === '&' && pattern[i + 1] === '&') fail('character class intersections (&&)');
      if (ch === '\\') {
        i++;
        out.push(escape(true));
        continue;
      }
      i += ch.length;
      out.push(ch === '-' ? '-' : literal(c, true));
    }
    out.push(']');
  };

  const quantifierSuffix = (): void => {
    if (pattern[i] === '?') {
      out.push('?');
      i++;
    } else if (pattern[i] === '+') {
      fail('possessive quantifiers');
    }
  };

  while (i < n) {
    skipComments();
    if (i >= n) break;
    const c = at(i)!;
    const ch = String.fromCodePoint(c);
    switch (ch) {
      case '\\':
        i++;
        atom();
        out.push(escape(false));
        break;
      case '[':
        i++;
        atom();
        charClass();
        break;
      case '(': {
        i++;
        if (pattern[i] !== '?') {
          stack.push({ ...flags });
          groups++;
          out.push('(');
          break;
        }
        i++;
        const rest = pattern.slice(i);
        if (rest.startsWith(':') || rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
          const len = rest.startsWith('<') ? 2 : 1;
          stack.push({ ...flags });
          out.push(`(?${rest.slice(0, len)}`);
          i += len;
          break;
        }
        if (rest.startsWith('<')) {
          const m = /^<([a-zA-Z][a-zA-Z0-9]*)>/.exec(rest);
          if (!m) fail();
          stack.push({ ...flags });
          groups++;
          out.push(`(?<${m![1]}>`);
          i += m![0].length;
          break;
        }
        if (rest.startsWith('>')) fail('atomic groups');
        const m = /^([idmsuxU]*)(?:-([idmsuxU]*))?([:)])/.exec(rest);
        if (!m) fail();
        const next = { ...flags };
        const set = (letters: string, on: boolean): void => {
          for (const l of letters) {
            if (l === 'i' || l === 'm' || l === 's' || l === 'x' || l === 'd') next[l] = on;
          }
        };
        set(m![1]!, true);
        set(m![2] ?? '', false);
        i += m![0].length;
        if (m![3] === ':') {
          stack.push(flags);
          out.push('(?:');
        }
        flags = next;
        break;
      }
      case ')':
        i++;
        if (stack.length === 0) fail();
        flags = stack.pop()!;
        out.push(')');
        break;
      case '.':
        i++;
        out.push(dot());
        break;
      case '^':
        i++;
        out.push(caret());
        break;
      case '$':
        i++;
        out.push(dollar(flags.m));
        break;
      case '*':
      case '+':
      case '?':
        i++;
        out.push(ch);
        quantifierSuffix();
        break;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
        if (!m) fail();
        i += m![0].length;
        out.push(m![0]);
        quantifierSuffix();
        break;
      }
      case '|':
        i++;
        out.push('|');
        break;
      default:
        i += ch.length;
        atom();
        out.push(literal(c, false));
        break;
    }
  }
  if (stack.length > 0) fail();
  return { source: out.join(''), ignoreCase: globalI ?? flags.i };
}

interface CompiledRegex {
  /** A global, unicode regex; reset `lastIndex` before each use. */
  readonly re: RegExp;
  /** Could backtrack catastrophically: run it under a time limit in the helper thread. */
  readonly risky: boolean;
  readonly groupCount: number;
  readonly groupNames: ReadonlySet<string>;
}

const regexCache = new Map<string, CompiledRegex | RegexProblem>();

/** Compiles a Java pattern (cached); errors are `invalid argument` at `position`. */
function javaRegex(pattern: string, position: Position): CompiledRegex {
  let entry = regexCache.get(pattern);
  if (entry === undefined) {
    try {
      const { source, ignoreCase } = translateJavaRegex(pattern);
      const flags = ignoreCase ? 'giu' : 'gu';
      const re = new RegExp(source, flags);
      const probe = new RegExp(`${source}|`, flags).exec('')!;
      entry = { re, risky: mayBacktrackBadly(source), groupCount: probe.length - 1, groupNames: new Set(Object.keys(probe.groups ?? {})) };
    } catch (err) {
      entry = err instanceof RegexProblem ? err : new RegexProblem(null);
    }
    if (regexCache.size >= 512) regexCache.delete(regexCache.keys().next().value!);
    regexCache.set(pattern, entry);
  }
  if (entry instanceof RegexProblem) {
    if (entry.unsupported !== null) {
      throw invalidArgument(`Search pattern /${pattern}/ is not supported: ${entry.unsupported} cannot be used.`, position);
    }
    throw invalidArgument(`Search pattern /${pattern}/ is not a valid regular expression.`, position);
  }
  return entry;
}

/** Java's `Matcher.find` loop: successive matches, an empty match moves the search on by one code point. */
function* findAll(ctx: EvalContext, regex: CompiledRegex, s: string): Generator<RegExpExecArray> {
  if (regex.risky) {
    yield* guardedFindAll(ctx, regex, s);
    return;
  }
  const re = regex.re;
  re.lastIndex = 0;
  while (re.lastIndex <= s.length) {
    const m = re.exec(s);
    if (m === null) break;
    ctx.tick();
    if (m[0].length === 0) re.lastIndex = m.index + charCountAt(s, m.index);
    yield m;
  }
  re.lastIndex = 0;
}

/** The same matches, computed in the helper thread within the query's remaining time. */
function* guardedFindAll(ctx: EvalContext, regex: CompiledRegex, s: string): Generator<RegExpExecArray> {
  let matches;
  try {
    matches = guardedMatches(regex.re.source, regex.re.flags, s, ctx.remainingMs(), ctx.limits.maxResultItems);
  } catch (err) {
    if (err instanceof RegexTimeout) {
      throw new FaunaError('processing time limit exceeded', `Regular expression /${regex.re.source}/ ran past the query's time limit and was stopped; nothing was written.`, []);
    }
    throw err;
  }
  for (const g of matches) {
    ctx.tick();
    yield Object.assign([...g.groups], { index: g.index, input: s, groups: g.named }) as unknown as RegExpExecArray;
  }
}

type ReplacementPart = string | number | { name: string };

/** Parses a Java replacement string (`$1`, `${name}`, `\$`) against a pattern's groups. */
function parseReplacement(replacement: string, regex: CompiledRegex, position: Position): ReplacementPart[] {
  const parts: ReplacementPart[] = [];
  let text = '';
  const bad = (why: string): never => {
    throw invalidArgument(`Replacement string is not valid: ${why}.`, position);
  };
  let i = 0;
  while (i < replacement.length) {
    const c = replacement[i]!;
    if (c === '\\') {
      i++;
      if (i >= replacement.length) bad('character to be escaped is missing');
      text += replacement[i]!;
      i++;
    } else if (c === '$') {
      i++;
      if (i >= replacement.length) bad('group index is missing');
      if (text !== '') parts.push(text);
      text = '';
      if (replacement[i] === '{') {
        const m = /^\{([a-zA-Z0-9]*)/.exec(replacement.slice(i))!;
        const name = m[1]!;
        i += m[0].length;
        if (name === '') bad('named capturing group has 0 length name');
        if (replacement[i] !== '}') bad("named capturing group is missing trailing '}'");
        if (/^[0-9]/.test(name)) bad(`capturing group name {${name}} starts with digit character`);
        if (!regex.groupNames.has(name)) bad(`no group with name {${name}}`);
        i++;
        parts.push({ name });
      } else {
        const d = replacement[i]!;
        if (d < '0' || d > '9') bad('illegal group reference');
        let ref = Number(d);
        i++;
        while (i < replacement.length && /[0-9]/.test(replacement[i]!) && ref * 10 + Number(replacement[i]) <= regex.groupCount) {
          ref = ref * 10 + Number(replacement[i]);
          i++;
        }
        if (ref > regex.groupCount) bad(`no group ${ref}`);
        parts.push(ref);
      }
    } else {
      text += c;
      i++;
    }
  }
  if (text !== '') parts.push(text);
  return parts;
}

function expandReplacement(parts: ReplacementPart[], m: RegExpExecArray): string {
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') out += p;
    else if (typeof p === 'number') out += m[p] ?? '';
    else out += m.groups?.[p.name] ?? '';
  }
  return out;
}

/** Java's `Pattern.quote`. */
export function javaQuote(s: string): string {
  if (!s.includes('\\E')) return `\\Q${s}\\E`;
  return `\\Q${s.split('\\E').join('\\E\\\\E\\Q')}\\E`;
}

// ---- Format: java.util.Formatter --------------------------------------------------------

/** A specifier Java's Formatter rejects (an `IllegalFormatException`). */
class IllegalFormat extends Error {}

const illegal = (): never => {
  throw new IllegalFormat();
};

/** Java's format flags. */
interface JavaFlags {
  left: boolean; // '-'
  alternate: boolean; // '#'
  plus: boolean; // '+'
  space: boolean; // ' '
  zero: boolean; // '0'
  group: boolean; // ','
  paren: boolean; // '('
  previous: boolean; // '<'
  upper: boolean; // an upper-case conversion
}

/** One parsed `%...` specifier, as FaunaDB splits it. */
interface FormatSpec {
  kind: 'spec';
  /** The 1-based explicit index (`%2$s`), or 0 for "the next argument". */
  index: number;
  flags: string;
  width: string | undefined;
  precision: string | undefined;
  /** 't' or 'T' for date/time conversions. */
  dt: string | undefined;
  conversion: string | undefined;
  /** The specifier without its index, as FaunaDB hands it to Java (`%-5s`). */
  format: string;
}

type FormatPart = { kind: 'raw'; text: string } | FormatSpec;

const SPEC_RE = /%(\d+\$)?(([-#+ 0,(<]*)?(\d+)?(\.\d+)?([tT])?([a-zA-Z%@^])?)/g;

const KNOWN_CONVERSIONS = new Set(['f', 'e', 'E', 'g', 'G', 'd', 'x', 'X', 'o', 's', 'S', 'b', 'B', '%', 'n', '@', '^']);

/** Splits a format string into raw text and specifiers; unknown conversions fail at `position`. */
function parseFormat(fmt: string, position: Position): FormatPart[] {
  const parts: FormatPart[] = [];
  let last = 0;
  SPEC_RE.lastIndex = 0;
  for (let m = SPEC_RE.exec(fmt); m !== null; m = SPEC_RE.exec(fmt)) {
    if (m.index > last) parts.push({ kind: 'raw', text: fmt.slice(last, m.index) });
    last = SPEC_RE.lastIndex;
    const [, indexStr, original, flags, width, precision, dt, conversion] = m;
    if (dt === undefined) {
      if (conversion === undefined || !KNOWN_CONVERSIONS.has(conversion)) {
        throw invalidArgument(`Invalid conversion format '${m[0]}'.`, position);
      }
      if (conversion === '%') {
        parts.push({ kind: 'raw', text: '%' });
        continue;
      }
      if (conversion === 'n') {
        parts.push({ kind: 'raw', text: '\n' });
        continue;
      }
    }
    parts.push({
      kind: 'spec',
      index: indexStr === undefined ? 0 : Number(indexStr.slice(0, -1)),
      flags: flags ?? '',
      width,
      precision,
      dt,
      conversion,
      format: `%${original}`,
    });
  }
  if (last < fmt.length) parts.push({ kind: 'raw', text: fmt.slice(last) });
  return parts;
}

/** Java's FormatSpecifier fields: flags (duplicates are illegal), width and precision. */
function javaFields(spec: FormatSpec): { f: JavaFlags; width: number; precision: number } {
  const f: JavaFlags = { left: false, alternate: false, plus: false, space: false, zero: false, group: false, paren: false, previous: false, upper: false };
  const names: Record<string, keyof JavaFlags> = { '-': 'left', '#': 'alternate', '+': 'plus', ' ': 'space', '0': 'zero', ',': 'group', '(': 'paren', '<': 'previous' };
  for (const c of spec.flags) {
    const name = names[c]!;
    if (f[name]) illegal();
    f[name] = true;
  }
  const toInt = (text: string | undefined): number => {
    if (text === undefined) return -1;
    const n = Number(text);
    if (n > 0x7fffffff) illegal();
    return n;
  };
  const width = toInt(spec.width);
  const precision = toInt(spec.precision?.slice(1));
  if (spec.dt === 'T' || (spec.conversion !== undefined && spec.dt === undefined && spec.conversion >= 'A' && spec.conversion <= 'Z')) f.upper = true;
  // A relative index ('<') has no previous argument when one value is formatted.
  if (f.previous) illegal();
  return { f, width, precision };
}

function bad(f: JavaFlags, ...names: (keyof JavaFlags)[]): void {
  for (const n of names) if (f[n]) illegal();
}

/** Java's checkGeneral (`%s`, `%b`). */
function checkGeneral(f: JavaFlags, width: number): void {
  if (width === -1 && f.left) illegal();
  bad(f, 'plus', 'space', 'zero', 'group', 'paren');
}

/** Java's checkNumeric. */
function checkNumeric(f: JavaFlags, width: number): void {
  if (width === -1 && (f.left || f.zero)) illegal();
  if ((f.plus && f.space) || (f.left && f.zero)) illegal();
}

/** Java's appendJustified: pads with spaces to the width (UTF-16 units, as Java counts). */
function justify(s: string, f: JavaFlags, width: number): string {
  if (width === -1 || s.length >= width) return s;
  const pad = ' '.repeat(width - s.length);
  return f.left ? s + pad : pad + s;
}

function leadingSign(f: JavaFlags, negative: boolean): string {
  if (!negative) return f.plus ? '+' : f.space ? ' ' : '';
  return f.paren ? '(' : '-';
}

/**
 * Java's localizedMagnitude (US locale): digits of `value` with grouping
 * commas before the decimal point, zero-padded after `prefix` up to `width`.
 */
function magnitude(prefix: string, value: string, f: JavaFlags, width: number): string {
  const dot = value.indexOf('.');
  const intEnd = dot < 0 ? value.length : dot;
  let digits = value.slice(0, intEnd);
  if (f.group) digits = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  let body = digits + value.slice(intEnd);
  if (width !== -1 && f.zero) {
    const missing = width - prefix.length - body.length;
    if (missing > 0) body = '0'.repeat(missing) + body;
  }
  return prefix + body;
}

function printString(s: string, f: JavaFlags, width: number, precision: number): string {
  let out = precision !== -1 && precision < s.length ? s.slice(0, precision) : s;
  if (f.upper) out = out.toUpperCase();
  return justify(out, f, width);
}

function formatLong(value: bigint, conversion: string, f: JavaFlags, width: number, precision: number): string {
  checkNumeric(f, width);
  if (precision !== -1) illegal();
  const c = conversion.toLowerCase();
  if (c === 'd') {
    bad(f, 'alternate');
    const negative = value < 0n;
    const digits = (negative ? -value : value).toString();
    const w = width !== -1 && negative && f.paren ? width - 1 : width;
    const body = magnitude(leadingSign(f, negative), digits, f, w);
    return justify(body + (negative && f.paren ? ')' : ''), f, width);
  }
  bad(f, 'group');
  bad(f, 'paren', 'space', 'plus');
  const unsigned = BigInt.asUintN(64, value);
  let digits = unsigned.toString(c === 'o' ? 8 : 16);
  const prefix = f.alternate ? (c === 'o' ? '0' : f.upper ? '0X' : '0x') : '';
  if (f.upper) digits = digits.toUpperCase();
  const zeros = f.zero ? Math.max(0, width - prefix.length - digits.length) : 0;
  return justify(prefix + '0'.repeat(zeros) + digits, f, width);
}

/** Java's FormattedFloatingDecimal.applyPrecision: half-up rounding to `prec` digits; returns the new exponent. */
function applyPrecision(decExp: number, digits: string[], prec: number): number {
  const n = digits.length;
  if (prec >= n || prec < 0) return decExp;
  if (prec === 0) {
    if (digits[0]! >= '5') {
      digits[0] = '1';
      digits.fill('0', 1);
      return decExp + 1;
    }
    digits.fill('0');
    return decExp;
  }
  if (digits[prec]! >= '5') {
    let i = prec - 1;
    while (i >= 0 && digits[i] === '9') i--;
    if (i < 0) {
      digits[0] = '1';
      digits.fill('0', 1);
      return decExp + 1;
    }
    digits[i] = String.fromCharCode(digits[i]!.charCodeAt(0) + 1);
    digits.fill('0', i + 1);
  } else {
    digits.fill('0', prec);
  }
  return decExp;
}

/** Java's fillDecimal: the mantissa in plain notation with at most `precision` fraction digits. */
function fillDecimal(precision: number, digits: string[], exp: number): string {
  const n = digits.length;
  if (exp > 0) {
    if (n < exp) return digits.join('') + '0'.repeat(exp - n);
    const t = Math.min(n - exp, precision);
    const head = digits.slice(0, exp).join('');
    return t > 0 ? `${head}.${digits.slice(exp, exp + t).join('')}` : head;
  }
  const zeros = Math.max(0, Math.min(-exp, precision));
  const t = Math.max(0, Math.min(n, precision + exp));
  if (zeros > 0) return `0.${'0'.repeat(zeros)}${digits.slice(0, t).join('')}`;
  if (t > 0) return `0.${digits.slice(0, t).join('')}`;
  return '0';
}

/** Java's fillScientific: mantissa and exponent (sign and at least two digits). */
function fillScientific(precision: number, digits: string[], exp: number): { mantissa: string; exponent: string } {
  const t = Math.max(0, Math.min(digits.length - 1, precision));
  const mantissa = t > 0 ? `${digits[0]}.${digits.slice(1, 1 + t).join('')}` : digits[0]!;
  const e = exp <= 0 ? -exp + 1 : exp - 1;
  return { mantissa, exponent: `${exp <= 0 ? '-' : '+'}${String(e).padStart(2, '0')}` };
}

/** Java's addZeros: pads the fraction with zeros up to `prec` digits. */
function addZeros(mantissa: string, prec: number): string {
  const dot = mantissa.indexOf('.');
  const have = dot < 0 ? 0 : mantissa.length - dot - 1;
  if (have >= prec) return mantissa;
  return (dot < 0 ? `${mantissa}.` : mantissa) + '0'.repeat(prec - have);
}

function formatDouble(value: number, conversion: string, f: JavaFlags, width: number, precision: number): string {
  checkNumeric(f, width);
  const c = conversion.toLowerCase();
  if (c === 'e') bad(f, 'group');
  if (c === 'g') bad(f, 'alternate');
  if (Number.isNaN(value)) return justify(f.upper ? 'NAN' : 'NaN', f, width);
  const negative = value < 0 || Object.is(value, -0);
  const abs = Math.abs(value);
  const sign = leadingSign(f, negative);
  const trailing = negative && f.paren ? ')' : '';
  if (abs === Infinity) return justify(sign + (f.upper ? 'INFINITY' : 'Infinity') + trailing, f, width);
  const adjust = (w: number): number => (w !== -1 && negative && f.paren ? w - 1 : w);
  const { digits: text, decExp } = decimalDigits(abs);
  const digits = text.split('');
  let body: string;
  if (c === 'f') {
    const prec = precision === -1 ? 6 : precision;
    const exp = applyPrecision(decExp, digits, decExp + prec);
    let mant = addZeros(fillDecimal(prec, digits, exp), prec);
    if (f.alternate && prec === 0) mant += '.';
    body = magnitude(sign, mant, f, adjust(width));
  } else if (c === 'e') {
    const prec = precision === -1 ? 6 : precision;
    const exp = applyPrecision(decExp, digits, prec + 1);
    const sci = fillScientific(prec, digits, exp);
    let mant = addZeros(sci.mantissa, prec);
    if (f.alternate && prec === 0) mant += '.';
    const exponent = abs === 0 ? '+00' : sci.exponent;
    body = `${magnitude(sign, mant, f, adjust(width === -1 ? -1 : width - exponent.length - 1))}${f.upper ? 'E' : 'e'}${exponent}`;
  } else {
    let prec = precision === -1 ? 6 : precision === 0 ? 1 : precision;
    let mant: string;
    let exponent: string | null = null;
    if (abs === 0) {
      mant = '0';
      prec -= 1;
    } else {
      const exp = applyPrecision(decExp, digits, prec);
      if (exp - 1 < -4 || exp - 1 >= prec) {
        const sci = fillScientific(prec - 1, digits, exp);
        mant = sci.mantissa;
        exponent = sci.exponent;
        prec -= 1;
      } else {
        mant = fillDecimal(prec - exp, digits, exp);
        prec -= exp;
      }
    }
    mant = addZeros(mant, prec);
    const w = width === -1 ? -1 : exponent !== null ? width - exponent.length - 1 : width;
    body = magnitude(sign, mant, f, adjust(w)) + (exponent !== null ? `${f.upper ? 'E' : 'e'}${exponent}` : '');
  }
  return justify(body + trailing, f, width);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** The calendar fields of a Time (UTC) or Date. */
interface Moment {
  year: number;
  month: number;
  day: number;
  dayOfYear: number;
  weekday: number; // 0 = Sunday
  time: { hour: number; minute: number; second: number; nano: number; epochSeconds: bigint } | null;
}

function momentOf(v: FTime | FDate): Moment {
  let days: number;
  let time: Moment['time'] = null;
  if (v instanceof FTime) {
    const split = splitNanos(v.ns);
    days = split.days;
    const secs = Number(split.nsOfDay / 1_000_000_000n);
    const nano = Number(split.nsOfDay % 1_000_000_000n);
    const q = v.ns / 1_000_000_000n;
    const epochSeconds = v.ns < 0n && q * 1_000_000_000n !== v.ns ? q - 1n : q;
    time = { hour: Math.floor(secs / 3600), minute: Math.floor(secs / 60) % 60, second: secs % 60, nano, epochSeconds };
  } else {
    days = v.days;
  }
  const { year, month, day } = civilFromDays(days);
  return {
    year,
    month,
    day,
    dayOfYear: days - daysFromCivil(year, 1, 1) + 1,
    weekday: (((days + 4) % 7) + 7) % 7,
    time,
  };
}

const pad = (n: number | bigint, width: number): string => {
  const negative = n < 0;
  const text = (negative ? -n : n).toString().padStart(width, '0');
  return negative ? `-${text}` : text;
};

/** The date conversions FaunaDB allows on Dates (and on Times, through their UTC date). */
const DATE_SUFFIXES = new Set(['b', 'B', 'h', 'a', 'A', 'C', 'y', 'Y', 'd', 'e', 'm', 'j', 'D', 'F']);
const TIME_SUFFIXES = new Set(['H', 'I', 'k', 'l', 'M', 'S', 'L', 'p', 'z', 'Z', 's', 'Q', 'R', 'T', 'r', 'c']);

/** One Java date/time conversion (lower-case result; the caller upper-cases for `%T`). */
function dateTimeField(m: Moment, c: string): string {
  const yearOfEra = m.year >= 1 ? m.year : 1 - m.year;
  const t = m.time!;
  const clock12 = t === null ? 0 : t.hour % 12 === 0 ? 12 : t.hour % 12;
  switch (c) {
    case 'B':
      return MONTHS[m.month - 1]!;
    case 'b':
    case 'h':
      return MONTHS[m.month - 1]!.slice(0, 3);
    case 'A':
      return WEEKDAYS[m.weekday]!;
    case 'a':
      return WEEKDAYS[m.weekday]!.slice(0, 3);
    case 'C':
      return pad(Math.floor(yearOfEra / 100), 2);
    case 'y':
      return pad(yearOfEra % 100, 2);
    case 'Y':
      return pad(yearOfEra, 4);
    case 'd':
      return pad(m.day, 2);
    case 'e':
      return String(m.day);
    case 'm':
      return pad(m.month, 2);
    case 'j':
      return pad(m.dayOfYear, 3);
    case 'D':
      return `${dateTimeField(m, 'm')}/${dateTimeField(m, 'd')}/${dateTimeField(m, 'y')}`;
    case 'F':
      return `${dateTimeField(m, 'Y')}-${dateTimeField(m, 'm')}-${dateTimeField(m, 'd')}`;
    case 'H':
      return pad(t.hour, 2);
    case 'I':
      return pad(clock12, 2);
    case 'k':
      return String(t.hour);
    case 'l':
      return String(clock12);
    case 'M':
      return pad(t.minute, 2);
    case 'S':
      return pad(t.second, 2);
    case 'L':
      return pad(Math.floor(t.nano / 1_000_000), 3);
    case 'p':
      return t.hour < 12 ? 'am' : 'pm';
    case 'z':
      return '+0000';
    case 'Z':
      return 'Z';
    case 's':
      return t.epochSeconds.toString();
    case 'Q':
      return (t.epochSeconds * 1000n + BigInt(Math.floor(t.nano / 1_000_000))).toString();
    case 'R':
      return `${dateTimeField(m, 'H')}:${dateTimeField(m, 'M')}`;
    case 'T':
      return `${dateTimeField(m, 'H')}:${dateTimeField(m, 'M')}:${dateTimeField(m, 'S')}`;
    case 'r':
      return `${dateTimeField(m, 'I')}:${dateTimeField(m, 'M')}:${dateTimeField(m, 'S')} ${dateTimeField(m, 'p').toUpperCase()}`;
    case 'c':
      return `${dateTimeField(m, 'a')} ${dateTimeField(m, 'b')} ${dateTimeField(m, 'd')} ${dateTimeField(m, 'T')} ${dateTimeField(m, 'Z')} ${dateTimeField(m, 'Y')}`;
    default:
      return illegal();
  }
}

/** A `%t` / `%T` specifier applied to a Time or Date. */
function formatDateTime(spec: FormatSpec, v: Value, position: Position): string {
  if (!(v instanceof FTime) && !(v instanceof FDate)) return expected('Date or Time', v, position);
  const suffix = spec.conversion;
  // FaunaDB's non-standard bare `%t`: the ISO text.
  if (suffix === undefined) return toStringOrNull(v)!;
  const allowed = DATE_SUFFIXES.has(suffix) || (v instanceof FTime && TIME_SUFFIXES.has(suffix)) || (v instanceof FTime && suffix === 'N');
  if (!allowed) throw invalidArgument(`Invalid date/time suffix '${spec.format}'.`, position);
  // FaunaDB prints nanoseconds itself, ignoring flags and width.
  if (suffix === 'N') return pad(momentOf(v).time!.nano, 9);
  const { f, width, precision } = javaFields(spec);
  if (precision !== -1) illegal();
  bad(f, 'alternate', 'plus', 'space', 'zero', 'group', 'paren');
  if (width === -1 && f.left) illegal();
  const text = dateTimeField(momentOf(v), suffix);
  return justify(f.upper ? text.toUpperCase() : text, f, width);
}

/** Refs rendered as API version 2.1 does (`class` instead of `collection`), for `%@`. */
function legacyRefs(json: Json): Json {
  if (Array.isArray(json)) return json.map(legacyRefs);
  if (!isJsonObject(json)) return json;
  const keys = Object.keys(json);
  const out = newJsonObject();
  if (keys.length === 1 && keys[0] === '@ref' && isJsonObject(json['@ref'])) {
    const body = json['@ref'];
    const ref = newJsonObject();
    for (const k of Object.keys(body)) {
      if (k === 'collection') ref.class = legacyRefs(body[k]!);
      else if (k === 'database') ref.database = legacyRefs(body[k]!);
      else ref[k] = body[k]!;
    }
    if (ref.id === 'collections' && ref.class === undefined) ref.id = 'classes';
    out['@ref'] = ref;
    return out;
  }
  if (keys.length === 1 && keys[0] === '@query') return json;
  if (keys.length === 1 && keys[0] === '@obj' && isJsonObject(json['@obj'])) {
    const body = json['@obj'];
    const inner = newJsonObject();
    for (const k of Object.keys(body)) inner[k] = legacyRefs(body[k]!);
    out['@obj'] = inner;
    return out;
  }
  for (const k of keys) out[k] = legacyRefs(json[k]!);
  return out;
}

/** Applies one specifier to its value. */
function formatOne(spec: FormatSpec, v: Value, position: Position): string {
  if (spec.dt !== undefined) return formatDateTime(spec, v, position);
  const c = spec.conversion!;
  switch (c) {
    case '@':
      return stringifyJson(legacyRefs(toWire(v)));
    case '^':
      return stringifyJson(toWire(v));
    case 'd':
    case 'x':
    case 'X':
    case 'o': {
      if (typeof v !== 'bigint') return expected('Integer', v, position);
      const { f, width, precision } = javaFields(spec);
      return formatLong(v, c, f, width, precision);
    }
    case 'f':
    case 'e':
    case 'E':
    case 'g':
    case 'G': {
      if (typeof v !== 'number') return expected('Number', v, position);
      const { f, width, precision } = javaFields(spec);
      return formatDouble(v, c, f, width, precision);
    }
    case 's':
    case 'S': {
      const s = toStringOrNull(v);
      if (s === null) throw invalidArgument(`Cannot cast ${faunaTypeName(v)} to String.`, position);
      const { f, width, precision } = javaFields(spec);
      checkGeneral(f, width);
      // A String is not Formattable: '#' does not apply.
      if (f.alternate) illegal();
      return printString(s, f, width, precision);
    }
    default: {
      // 'b' / 'B': Booleans print as themselves, null as false, anything else as true.
      const { f, width, precision } = javaFields(spec);
      if (f.alternate) illegal();
      checkGeneral(f, width);
      const b = typeof v === 'boolean' ? v : v !== null;
      return printString(b ? 'true' : 'false', f, width, precision);
    }
  }
}

/** FaunaDB's Format: `values` are consumed in order, or picked with `%n$`. */
function formatValues(ctx: EvalContext, fmt: string, values: Value[], site: Site): string {
  const parts = parseFormat(fmt, site.at('format'));
  let next = 0;
  let out = '';
  for (const part of parts) {
    ctx.tick();
    if (part.kind === 'raw') {
      out += part.text;
      continue;
    }
    let index: number;
    if (part.index === 0) {
      index = next++;
      if (index >= values.length) boundsError('format specifiers count', '<= arguments size', site.at('format'));
    } else {
      index = part.index - 1;
      if (index >= values.length) boundsError('index', '>= 1 and <= arguments size', site.at('format'));
    }
    if (part.width !== undefined && Number(part.width) > ctx.limits.maxStringBytes) {
      throw invalidArgument(`Result too large: string longer than ${ctx.limits.maxStringBytes} bytes.`, site.at('format'));
    }
    try {
      out += formatOne(part, values[index]!, [...site.at('values'), index]);
    } catch (err) {
      if (err instanceof IllegalFormat) throw invalidArgument(`Invalid conversion format '${part.format}'.`, site.at('format'));
      throw err;
    }
    checkString(ctx, out, site.position);
  }
  return out;
}

// ---- case mapping and whitespace -----------------------------------------------------------

/** Java's `Character.isWhitespace` (used by `String.strip`). */
function isJavaWhitespace(c: number): boolean {
  if ((c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20)) return true;
  return c === 0x1680 || (c >= 0x2000 && c <= 0x2006) || (c >= 0x2008 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x205f || c === 0x3000;
}

function stripLeading(s: string): string {
  let i = 0;
  while (i < s.length && isJavaWhitespace(s.charCodeAt(i))) i++;
  return s.slice(i);
}

function stripTrailing(s: string): string {
  let end = s.length;
  while (end > 0 && isJavaWhitespace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

/** Full case folding of one code point (Unicode CaseFolding.txt, C + F). */
function foldChar(ch: string): string {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return ch.toLowerCase();
  if (cp === 0x131) return ch; // dotless i has no folding
  if (cp >= 0x13a0 && cp <= 0x13f5) return ch; // Cherokee folds to upper case
  if (cp >= 0x13f8 && cp <= 0x13fd) return String.fromCodePoint(cp - 8);
  if (cp >= 0xab70 && cp <= 0xabbf) return String.fromCodePoint(cp - 0xab70 + 0x13a0);
  // lower(upper(x)) folds nearly everything; twice for capital sharp s (ẞ -> ß -> ss).
  return ch.toUpperCase().toLowerCase().toUpperCase().toLowerCase();
}

const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;

/** ICU's NFKC_Casefold normalizer: compatibility decomposition, case folding, ignorables removed, composed. */
export function nfkcCasefold(s: string): string {
  const decomposed = s.normalize('NFKD').replace(DEFAULT_IGNORABLE, '');
  let folded = '';
  for (const ch of decomposed) folded += foldChar(ch);
  return folded.normalize('NFKC');
}

const NORMALIZERS = ['NFKCCaseFold', 'NFC', 'NFD', 'NFKC', 'NFKD'] as const;
type Normalizer = (typeof NORMALIZERS)[number];

function normalize(s: string, normalizer: Normalizer): string {
  return normalizer === 'NFKCCaseFold' ? nfkcCasefold(s) : s.normalize(normalizer);
}

/** Titlecase mappings that are not "upper-case the first letter, lower-case the rest". */
function titleOf(cp: number): string {
  if (cp >= 0x1c4 && cp <= 0x1c6) return '\u01c5';
  if (cp >= 0x1c7 && cp <= 0x1c9) return '\u01c8';
  if (cp >= 0x1ca && cp <= 0x1cc) return '\u01cb';
  if (cp >= 0x1f1 && cp <= 0x1f3) return '\u01f2';
  if (cp === 0x149) return '\u02bcN';
  if ((cp >= 0x10d0 && cp <= 0x10fa) || (cp >= 0x10fd && cp <= 0x10ff)) return String.fromCodePoint(cp); // Georgian
  if (cp >= 0x1f80 && cp <= 0x1faf) return String.fromCodePoint(cp | 8);
  if (cp === 0x1fb3 || cp === 0x1fc3 || cp === 0x1ff3) return String.fromCodePoint(cp + 9);
  if (cp === 0x1fbc || cp === 0x1fcc || cp === 0x1ffc) return String.fromCodePoint(cp);
  const upper = String.fromCodePoint(cp).toUpperCase();
  if (cp >= 0x1f00 && cp <= 0x1fff && upper.length > 1 && upper.endsWith('\u0399')) return `${upper.slice(0, -1)}\u0345`;
  const first = upper.codePointAt(0)!;
  const firstLen = first > 0xffff ? 2 : 1;
  return upper.length === firstLen ? upper : upper.slice(0, firstLen) + upper.slice(firstLen).toLowerCase();
}

const LNS = /[\p{Lu}\p{Ll}\p{Lt}\p{Lo}\p{N}\p{S}\p{Co}]/u;
const MODIFIER_LETTER = /\p{Lm}/u;
const CASED = /[\p{Lowercase}\p{Uppercase}\p{Lt}]/u;

/** ICU's titlecasing start: a letter, number, symbol or private-use character (modifier letters only when cased). */
function isTitleStart(ch: string): boolean {
  return LNS.test(ch) || (MODIFIER_LETTER.test(ch) && CASED.test(ch));
}

let wordSegmenter: Intl.Segmenter | null = null;

/** ICU's `toTitleCase` with a word break iterator: each word's first letter in title case, the rest lower case. */
export function titleCase(s: string): string {
  wordSegmenter ??= new Intl.Segmenter('und', { granularity: 'word' });
  let out = '';
  for (const { segment } of wordSegmenter.segment(s)) {
    let i = 0;
    while (i < segment.length && !isTitleStart(String.fromCodePoint(segment.codePointAt(i)!))) i += charCountAt(segment, i);
    if (i >= segment.length) {
      out += segment;
      continue;
    }
    const cp = segment.codePointAt(i)!;
    const len = cp > 0xffff ? 2 : 1;
    out += segment.slice(0, i) + titleOf(cp) + segment.slice(i + len).toLowerCase();
  }
  return out;
}

/** Lucene's NGramTokenizer: every gram of `min`..`max` code points, by start position. */
function ngrams(ctx: EvalContext, s: string, min: number, max: number, out: Value[], position: Position): void {
  const cps = Array.from(s);
  for (let start = 0; start + min <= cps.length; start++) {
    for (let size = min; size <= max && start + size <= cps.length; size++) {
      out.push(cps.slice(start, start + size).join(''));
    }
    ctx.tick();
    ctx.checkSize(out.length, position);
  }
}

// ---- forms ----------------------------------------------------------------------------

defineFunction({
  keys: ['concat'],
  optional: ['separator'],
  impl(ctx, [strings, separator], site) {
    const parts = listArg(site, 'concat', strings).map(({ value, position }) => str(value, position));
    const sep = optStr(separator, site.at('separator')) ?? '';
    checkLength(ctx, parts.reduce((n, p) => n + p.length, 0) + Math.max(0, parts.length - 1) * sep.length, site.position);
    return checkString(ctx, parts.join(sep), site.position);
  },
});

defineFunction({
  keys: ['casefold'],
  optional: ['normalizer'],
  impl(_ctx, [terms, normalizer], site) {
    const items = listArg(site, 'casefold', terms).map(({ value, position }) => (isScalar(value) ? value : expected('Scalar', value, position)));
    let n: Normalizer = 'NFKCCaseFold';
    if (normalizer !== undefined) {
      if (typeof normalizer !== 'string' || !(NORMALIZERS as readonly string[]).includes(normalizer)) {
        throw invalidArgument(`String 'NFKCCaseFold', 'NFC', 'NFD', 'NFKC', or 'NFKD' expected, ${faunaTypeName(normalizer)} provided.`, site.at('normalizer'));
      }
      n = normalizer as Normalizer;
    }
    const out = items.map((v) => (typeof v === 'string' ? normalize(v, n) : v));
    return out.length === 1 ? out[0]! : out;
  },
});

defineFunction({
  keys: ['regexescape'],
  impl(_ctx, [s], site) {
    return javaQuote(str(s, site.at('regexescape')));
  },
});

for (const [key, test] of [
  ['startswith', (s: string, t: string) => s.startsWith(t)],
  ['endswith', (s: string, t: string) => s.endsWith(t)],
  ['containsstr', (s: string, t: string) => s.includes(t)],
] as const) {
  defineFunction({
    keys: [key, 'search'],
    impl(_ctx, [s, search], site) {
      return test(str(s, site.at(key)), str(search, site.at('search')));
    },
  });
}

defineFunction({
  keys: ['containsstrregex', 'pattern'],
  impl(ctx, [s, pattern], site) {
    const value = str(s, site.at('containsstrregex'));
    const regex = javaRegex(str(pattern, site.at('pattern')), site.at('pattern'));
    if (regex.risky) {
      for (const _m of findAll(ctx, regex, value)) return true;
      return false;
    }
    regex.re.lastIndex = 0;
    const found = regex.re.test(value);
    regex.re.lastIndex = 0;
    return found;
  },
});

/** FaunaDB's start offset: a code point index inside the string, else 0 (Java's char-length test kept). */
function startOffset(value: string, start: bigint | null): { offset: number; codePoints: number } | null {
  if (start === null || start <= 0n || start >= BigInt(value.length)) return { offset: 0, codePoints: 0 };
  const n = Number(start);
  const offset = codePointOffset(value, n);
  return offset < 0 ? null : { offset, codePoints: n };
}

defineFunction({
  keys: ['findstr', 'find'],
  optional: ['start'],
  impl(_ctx, [s, find, start], site) {
    const value = str(s, site.at('findstr'));
    const target = str(find, site.at('find'));
    const from = startOffset(value, optInt(start, site.at('start')));
    if (from === null) return -1n;
    const index = value.indexOf(target, from.offset);
    return index > 0 ? BigInt(codePointLength(value.slice(0, index))) : BigInt(index);
  },
});

defineFunction({
  keys: ['findstrregex', 'pattern'],
  optional: ['start', 'num_results'],
  impl(ctx, [s, pattern, start, numResults], site) {
    const value = str(s, site.at('findstrregex'));
    const regex = javaRegex(str(pattern, site.at('pattern')), site.at('pattern'));
    const from = startOffset(value, optInt(start, site.at('start')));
    const limit = optInt(numResults, site.at('num_results'));
    let count = limit === null || limit > 1024n ? 1024 : Number(limit);
    const results: Value[] = [];
    if (from === null || count <= 0) return results;
    const text = value.slice(from.offset);
    for (const m of findAll(ctx, regex, text)) {
      if (count-- <= 0) break;
      const end = m[0].length > 0 ? m.index + m[0].length - 1 : m.index;
      results.push(
        objectFrom([
          ['start', BigInt(from.codePoints + codePointLength(text.slice(0, m.index)))],
          ['end', BigInt(from.codePoints + codePointLength(text.slice(0, end)))],
          ['data', m[0]],
        ]),
      );
    }
    return results;
  },
});

defineFunction({
  keys: ['length'],
  impl(_ctx, [s], site) {
    return BigInt(codePointLength(str(s, site.at('length'))));
  },
});

for (const [key, fn] of [
  ['lowercase', (s: string) => s.toLowerCase()],
  ['uppercase', (s: string) => s.toUpperCase()],
  ['titlecase', titleCase],
  ['ltrim', stripLeading],
  ['rtrim', stripTrailing],
  ['trim', (s: string) => stripLeading(stripTrailing(s))],
] as const) {
  defineFunction({
    keys: [key],
    impl(_ctx, [s], site) {
      return fn(str(s, site.at(key)));
    },
  });
}

const NGRAM_DEFAULT_MIN = 1n;
const NGRAM_DEFAULT_MAX = 2n;

defineFunction({
  keys: ['ngram'],
  optional: ['min', 'max'],
  impl(ctx, [terms, minArg, maxArg], site) {
    const items = listArg(site, 'ngram', terms).map(({ value, position }) => (isScalar(value) ? value : expected('Scalar', value, position)));
    const min = optInt(minArg, site.at('min'));
    const max = optInt(maxArg, site.at('max'));
    const diff = (a: bigint, b: bigint): bigint => BigInt.asIntN(64, a - b);
    const pos = site.position;
    if (min !== null && max !== null) {
      if (min > max || min <= 0n) boundsError('min ngram size', '> 0 and <= max', pos);
      if (max <= 0n) boundsError('max ngram size', '> 0', pos);
      if (diff(max, min) > 1n) boundsError('max ngram size', '<= min + 1', pos);
    } else if (min !== null) {
      if (min > NGRAM_DEFAULT_MAX || min <= 0n) boundsError('min ngram size', '> 0 and <= max', pos);
      if (diff(NGRAM_DEFAULT_MAX, min) > 1n) boundsError('min ngram size', '>= max - 1', pos);
    } else if (max !== null) {
      if (max <= 0n || max <= NGRAM_DEFAULT_MIN) boundsError('max ngram size', '> 0 and >= min', pos);
      if (diff(max, NGRAM_DEFAULT_MIN) > 1n) boundsError('max ngram size', '<= min + 1', pos);
    }
    const lo = clampInt(min ?? NGRAM_DEFAULT_MIN);
    const hi = clampInt(max ?? NGRAM_DEFAULT_MAX);
    const out: Value[] = [];
    for (const v of items) {
      if (typeof v === 'string') ngrams(ctx, v, lo, hi, out, pos);
      else out.push(v);
    }
    return out;
  },
});

defineFunction({
  keys: ['repeat'],
  optional: ['number'],
  impl(ctx, [s, number], site) {
    const value = str(s, site.at('repeat'));
    const n = optInt(number, site.at('number')) ?? 2n;
    const times = n > 1024n ? 1024 : n < 0n ? 0 : Number(n);
    checkLength(ctx, value.length * times, site.position);
    return checkString(ctx, value.repeat(times), site.position);
  },
});

defineFunction({
  keys: ['replacestr', 'find', 'replace'],
  impl(ctx, [s, find, replace], site) {
    const value = str(s, site.at('replacestr'));
    const target = str(find, site.at('find'));
    const replacement = str(replace, site.at('replace'));
    // Java's String.replace; an empty target matches at every UTF-16 boundary, ends included.
    const pieces = target === '' ? ['', ...value.split(''), ''] : value.split(target);
    const count = pieces.length - 1;
    checkLength(ctx, value.length + count * (replacement.length - target.length), site.position);
    return checkString(ctx, pieces.join(replacement), site.position);
  },
});

defineFunction({
  keys: ['replacestrregex', 'pattern', 'replace'],
  optional: ['first'],
  impl(ctx, [s, pattern, replace, first], site) {
    const value = str(s, site.at('replacestrregex'));
    const regex = javaRegex(str(pattern, site.at('pattern')), site.at('pattern'));
    const replacement = str(replace, site.at('replace'));
    const firstOnly = optBool(first, site.at('first')) ?? false;
    const parts = parseReplacement(replacement, regex, site.at('replace'));
    let out = '';
    let last = 0;
    for (const m of findAll(ctx, regex, value)) {
      out += value.slice(last, m.index) + expandReplacement(parts, m);
      last = m.index + m[0].length;
      checkLength(ctx, out.length, site.position);
      if (firstOnly) break;
    }
    regex.re.lastIndex = 0;
    return checkString(ctx, out + value.slice(last), site.position);
  },
});

defineFunction({
  keys: ['space'],
  impl(_ctx, [n], site) {
    const count = int(n, site.at('space'));
    return count > 0n ? ' '.repeat(count > 1024n ? 1024 : Number(count)) : '';
  },
});

defineFunction({
  keys: ['substring'],
  optional: ['start', 'length'],
  impl(_ctx, [s, start, length], site) {
    const value = str(s, site.at('substring'));
    const startArg = optInt(start, site.at('start'));
    const lengthArg = optInt(length, site.at('length'));
    const cpLength = codePointLength(value);
    const spos = startArg === null ? 0 : startArg >= 0n ? clampInt(startArg) : cpLength + clampInt(startArg);
    let epos: number;
    if (lengthArg === null) epos = cpLength;
    else if (lengthArg === 0n) epos = spos;
    else if (lengthArg > 0n) epos = Math.min(spos + clampInt(lengthArg), cpLength);
    else epos = -1;
    if (spos > cpLength || spos < 0) boundsError('start', 'less than or equal to the string length', site.position);
    if (epos < 0) boundsError('length', 'positive', site.position);
    return value.slice(codePointOffset(value, spos), codePointOffset(value, epos));
  },
});

defineFunction({
  keys: ['format', 'values'],
  impl(ctx, [fmt, values], site) {
    const format = str(fmt, site.at('format'));
    const list = Array.isArray(values) ? values : [values ?? null];
    return formatValues(ctx, format, list, site);
  },
});
