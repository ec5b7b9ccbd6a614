/**
 * Time and date: Time, Now, Epoch, Date, ToTime, ToDate, TimeAdd,
 * TimeSubtract, TimeDiff, ToSeconds/ToMillis/ToMicros and the calendar
 * components (Second ... Year).
 *
 * Times are nanoseconds since the epoch (UTC) and must stay inside Java's
 * Instant range; dates are days since the epoch inside LocalDate's range.
 * The behaviour follows FaunaDB's TimeFunctions/ConversionFunctions, which
 * sit on java.time: text is parsed with an ISO local date-time plus a
 * required offset (resolved "smart", so a day past the end of the month is
 * clamped and 24:00 is the next midnight), units are java ChronoUnits.
 */
import { invalidArgument, type Position } from '../../errors.js';
import { civilFromDays, daysFromCivil, daysInMonth, NS_PER_DAY, splitNanos } from '../../values/time.js';
import { FDate, FTime, type Value } from '../../values/value.js';
import { castInt, castString, expected, typeName } from '../cast.js';
import type { EvalContext } from '../context.js';
import { defineFunction, type Site } from '../registry.js';
import { javaTrim } from './conversions.js';

const NS_PER_SECOND = 1_000_000_000n;

// Java's Instant.MIN / Instant.MAX and LocalDate's epoch-day range.
const MIN_NS = -31557014167219200n * NS_PER_SECOND;
const MAX_NS = 31556889864403199n * NS_PER_SECOND + 999_999_999n;
const MIN_EPOCH_DAY = -365243219162n;
const MAX_EPOCH_DAY = 365241780471n;
const BOUNDS = 'dates and times must be between -1000000000-01-01T00:00:00Z and +1000000000-12-31T23:59:59.999999999Z';

function outOfBounds(position: Position): never {
  throw invalidArgument(BOUNDS, position);
}

function checkedTime(ns: bigint, position: Position): FTime {
  if (ns < MIN_NS || ns > MAX_NS) outOfBounds(position);
  return new FTime(ns);
}

function checkedDate(days: bigint, position: Position): FDate {
  if (days < MIN_EPOCH_DAY || days > MAX_EPOCH_DAY) outOfBounds(position);
  return new FDate(Number(days));
}

// --- units -----------------------------------------------------------------------------------

interface Unit {
  /** The unit as the query spelled it (error messages quote it untrimmed). */
  original: string;
  ns: bigint;
  /** Only whole days can be added to dates. */
  dateBased: boolean;
}

const UNITS: Record<string, [bigint, boolean]> = {
  day: [NS_PER_DAY, true],
  days: [NS_PER_DAY, true],
  'half day': [NS_PER_DAY / 2n, false],
  'half days': [NS_PER_DAY / 2n, false],
  hour: [3_600n * NS_PER_SECOND, false],
  hours: [3_600n * NS_PER_SECOND, false],
  minute: [60n * NS_PER_SECOND, false],
  minutes: [60n * NS_PER_SECOND, false],
  second: [NS_PER_SECOND, false],
  seconds: [NS_PER_SECOND, false],
  millisecond: [1_000_000n, false],
  milliseconds: [1_000_000n, false],
  microsecond: [1_000n, false],
  microseconds: [1_000n, false],
  nanosecond: [1n, false],
  nanoseconds: [1n, false],
};

function castUnit(v: Value | undefined, position: Position): Unit {
  if (typeof v === 'string') {
    const found = UNITS[javaTrim(v)];
    if (found !== undefined) return { original: v, ns: found[0], dateBased: found[1] };
  }
  return expected('Time Unit', v, position);
}

// --- parsing -------------------------------------------------------------------------------

const YEAR = '(\\d{4}|\\+\\d{5,9}|-\\d{4,9})';
const TIME_RE = new RegExp(
  `^${YEAR}-(\\d{2})-(\\d{2})[Tt](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{0,9}))?)?` +
    '(?:([Zz])|([+-])(\\d{2}):(\\d{2})(?::(\\d{2}))?|([+-])(\\d{2})(\\d{2}))$',
);
const DATE_RE = new RegExp(`^${YEAR}-(\\d{2})-(\\d{2})$`);

function parseYear(text: string): number | null {
  const year = Number(text);
  // ISO year parsing is strict about signs: "-0000" is not a year.
  if (text.startsWith('-') && year === 0) return null;
  return year;
}

/**
 * Parses an ISO-8601 local date-time with a required offset, as the server's
 * formatter does (smart resolution); returns nanoseconds or null.
 */
export function parseTimeText(text: string): bigint | null {
  const m = TIME_RE.exec(text);
  if (!m) return null;
  const year = parseYear(m[1]!);
  if (year === null) return null;
  const month = Number(m[2]);
  let day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const fraction = m[7] === undefined || m[7] === '' ? 0n : BigInt(m[7].padEnd(9, '0'));
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  day = Math.min(day, daysInMonth(year, month));
  if (minute > 59 || second > 59) return null;
  let extraDay = 0n;
  let hourOfDay = hour;
  if (hour === 24 && minute === 0 && second === 0 && fraction === 0n) {
    extraDay = 1n;
    hourOfDay = 0;
  } else if (hour > 23) {
    return null;
  }
  let offset = 0;
  if (m[8] === undefined) {
    const sign = m[9] ?? m[13]!;
    const oh = Number(m[10] ?? m[14]);
    const om = Number(m[11] ?? m[15]);
    const os = m[12] === undefined ? 0 : Number(m[12]);
    if (oh > 23 || om > 59 || os > 59) return null;
    offset = (oh * 3600 + om * 60 + os) * (sign === '-' ? -1 : 1);
    if (Math.abs(offset) > 18 * 3600) return null;
  }
  const days = BigInt(daysFromCivil(year, month, day)) + extraDay;
  const seconds = BigInt(hourOfDay * 3600 + minute * 60 + second - offset);
  return days * NS_PER_DAY + seconds * NS_PER_SECOND + fraction;
}

/** Parses `YYYY-MM-DD` strictly (no clamping); returns days since the epoch or null. */
export function parseDateText(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const year = parseYear(m[1]!);
  if (year === null) return null;
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

function timeFromString(ctx: EvalContext, s: string, position: Position): FTime {
  if (s === 'now') return nowTime(ctx);
  const ns = parseTimeText(javaTrim(s));
  if (ns === null) throw invalidArgument(`Cannot cast '${s}' to a time.`, position);
  return new FTime(ns);
}

function dateFromString(s: string, position: Position): FDate {
  const days = parseDateText(javaTrim(s));
  if (days === null) throw invalidArgument(`Cannot cast '${s}' to a date.`, position);
  return new FDate(days);
}

function nowTime(ctx: EvalContext): FTime {
  return new FTime(ctx.txnTs * 1000n);
}

// --- casts ------------------------------------------------------------------------------------

/** A Time, or an Integer of microseconds since the epoch. */
function castTimestamp(v: Value | undefined, position: Position): FTime {
  if (v instanceof FTime) return v;
  if (typeof v === 'bigint') return FTime.fromMicros(v);
  return expected('Time', v, position);
}

/** A Time or a Date. */
function castTemporal(v: Value | undefined, position: Position): FTime | FDate {
  if (v instanceof FTime || v instanceof FDate) return v;
  return expected('Temporal', v, position);
}

function castNull(v: Value | undefined, position: Position): void {
  if (v !== null && v !== undefined) expected('Null', v, position);
}

// --- constructors ---------------------------------------------------------------------------

defineFunction({
  keys: ['time'],
  impl(ctx, [arg], site) {
    return timeFromString(ctx, castString(arg, site.at('time')), site.position);
  },
});

defineFunction({
  keys: ['now'],
  impl(ctx, [arg], site) {
    castNull(arg, site.at('now'));
    return nowTime(ctx);
  },
});

defineFunction({
  keys: ['epoch', 'unit'],
  impl(_ctx, [num, unit], site) {
    const n = castInt(num, site.at('epoch'));
    const u = castUnit(unit, site.at('unit'));
    return checkedTime(n * u.ns, site.position);
  },
});

defineFunction({
  keys: ['date'],
  impl(_ctx, [arg], site) {
    return dateFromString(castString(arg, site.at('date')), site.position);
  },
});

defineFunction({
  keys: ['to_time'],
  impl(ctx, [arg], site) {
    // An integer is taken as milliseconds here (the server's Timestamp.ofMillis).
    if (typeof arg === 'bigint') return new FTime(arg * 1_000_000n);
    if (arg instanceof FTime) return arg;
    if (arg instanceof FDate) return new FTime(BigInt(arg.days) * NS_PER_DAY);
    if (typeof arg === 'string') return timeFromString(ctx, arg, site.position);
    throw invalidArgument(`Cannot cast ${typeName(arg)} to Time.`, site.position);
  },
});

defineFunction({
  keys: ['to_date'],
  impl(_ctx, [arg], site) {
    if (arg instanceof FTime) return new FDate(splitNanos(arg.ns).days);
    if (arg instanceof FDate) return arg;
    if (typeof arg === 'string') return dateFromString(arg, site.position);
    throw invalidArgument(`Cannot cast ${typeName(arg)} to Date.`, site.position);
  },
});

// --- arithmetic -----------------------------------------------------------------------------

for (const [name, sign] of [
  ['time_add', 1n],
  ['time_subtract', -1n],
] as const) {
  defineFunction({
    keys: [name, 'offset', 'unit'],
    impl(_ctx, [base, offset, unit], site) {
      const t = castTemporal(base, site.at(name));
      const n = castInt(offset, site.at('offset'));
      const u = castUnit(unit, site.at('unit'));
      if (t instanceof FTime) return checkedTime(t.ns + sign * n * u.ns, site.at('offset'));
      if (!u.dateBased) throw invalidArgument(`Invalid time unit '${u.original}'.`, site.at('unit'));
      return checkedDate(BigInt(t.days) + sign * n, site.at('offset'));
    },
  });
}

/**
 * Whole units from `a` to `b`, truncated toward zero (java.time's Instant.until;
 * JDK 17 updates count MILLIS/MICROS exactly too).
 */
function instantUntil(a: bigint, b: bigint, unitNs: bigint, position: Position): bigint {
  const result = (b - a) / unitNs;
  // Java's exact arithmetic fails past 64 bits; report it as out of bounds.
  if (result !== BigInt.asIntN(64, result)) outOfBounds(position);
  return result;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

defineFunction({
  keys: ['time_diff', 'other', 'unit'],
  impl(_ctx, [start, finish, unit], site) {
    const a = castTemporal(start, site.at('time_diff'));
    const b = castTemporal(finish, site.at('other'));
    const u = castUnit(unit, site.at('unit'));
    if (a instanceof FTime && b instanceof FTime) return instantUntil(a.ns, b.ns, u.ns, site.position);
    if (a instanceof FDate && b instanceof FDate) {
      if (!u.dateBased) throw invalidArgument(`Invalid time unit '${u.original}'.`, site.at('unit'));
      return BigInt(b.days - a.days);
    }
    throw invalidArgument('Incompatible time arguments.', site.at('time_diff'));
  },
});

// --- conversions to numbers -------------------------------------------------------------------

/** Defines `{"<name>": timestamp}` returning an Integer computed from the instant. */
function fromTimestamp(name: string, fn: (t: FTime, site: Site) => bigint): void {
  defineFunction({
    keys: [name],
    impl(_ctx, [arg], site) {
      return fn(castTimestamp(arg, site.at(name)), site);
    },
  });
}

fromTimestamp('to_seconds', (t) => floorDiv(t.ns, NS_PER_SECOND));
fromTimestamp('to_millis', (t, site) => {
  const ms = floorDiv(t.ns, 1_000_000n);
  if (ms !== BigInt.asIntN(64, ms)) outOfBounds(site.position);
  return ms;
});
// The server computes seconds * 10^6 + micros in plain 64-bit arithmetic.
fromTimestamp('to_micros', (t) => BigInt.asIntN(64, t.micros));

/** The UTC calendar fields of an instant. */
function fields(t: FTime): { year: number; month: number; day: number; days: number; nsOfDay: bigint } {
  const { days, nsOfDay } = splitNanos(t.ns);
  return { ...civilFromDays(days), days, nsOfDay };
}

fromTimestamp('second', (t) => (fields(t).nsOfDay / NS_PER_SECOND) % 60n);
fromTimestamp('minute', (t) => (fields(t).nsOfDay / (60n * NS_PER_SECOND)) % 60n);
fromTimestamp('hour', (t) => fields(t).nsOfDay / (3600n * NS_PER_SECOND));
fromTimestamp('day_of_month', (t) => BigInt(fields(t).day));
fromTimestamp('day_of_week', (t) => BigInt((((fields(t).days + 3) % 7) + 7) % 7) + 1n);
fromTimestamp('day_of_year', (t) => {
  const f = fields(t);
  return BigInt(f.days - daysFromCivil(f.year, 1, 1) + 1);
});
fromTimestamp('month', (t) => BigInt(fields(t).month));
fromTimestamp('year', (t) => BigInt(fields(t).year));
