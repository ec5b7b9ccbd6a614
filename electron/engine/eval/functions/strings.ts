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
import { invalidArgument, type Position } from '../../errors.js';
import { civilFromDays, daysFromCivil, splitNanos } from '../../values/time.js';
import { FDate, FTime, type Value } from '../../values/value.js';
import { toWire } from '../../wire/encode.js';
import type { EvalContext } from '../context.js';
import { defineFunction, type Site } from '../registry.js';
import { faunaTypeName, decimalDigits, toStringOrNull } from './conversions.js';

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
  return v instanceof FTime || v instanceof FDate || faunaTypeName(v).endsWith('Ref') || faunaTypeName(v) === 'Bytes';
}

function boundsError(argument: string, predicate: string, position: Position): never {
  throw invalidArgument(`${argument} must be ${predicate}`, position);
}

/** Fails when a string being built would pass the engine's string size limit. */
function checkString(ctx: EvalContext, s: string, position: Position): string {
  const max = ctx.limits.maxStringBytes;
  if (s.length * 3 > max && Buffer.byteLength(s, 'utf8') > max) {
    throw invalidArgument(`Result too large: string longer than ${max} bytes.`, position);
  }
  return s;
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
        quantifierSuffix();
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
      entry = { re, groupCount: probe.length - 1, groupNames: new Set(Object.keys(probe.groups ?? {})) };
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

// @@FORMAT@@

// @@CASE@@

// @@FORMS@@
