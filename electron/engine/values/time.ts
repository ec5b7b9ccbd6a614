/**
 * Instants (nanoseconds since the epoch, UTC) and dates (days since the epoch)
 * to and from ISO-8601 text, exactly as FaunaDB renders them (Java's
 * `Instant.toString`: a `Z` suffix and a fraction of 0, 3, 6 or 9 digits).
 */

const NS_PER_DAY = 86_400_000_000_000n;

/** Days since 1970-01-01 for a proleptic Gregorian date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The civil date of a day number. */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: month <= 2 ? y + 1 : y, month, day };
}

export function daysInMonth(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4);
  if (year > 9999) return `+${year}`;
  return `-${pad(-year, 4)}`;
}

export function formatDate(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${formatYear(year)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** Splits nanoseconds since the epoch into whole days and nanoseconds within the day. */
export function splitNanos(ns: bigint): { days: number; nsOfDay: bigint } {
  let days = ns / NS_PER_DAY;
  let rest = ns % NS_PER_DAY;
  if (rest < 0n) {
    rest += NS_PER_DAY;
    days -= 1n;
  }
  return { days: Number(days), nsOfDay: rest };
}

export function formatInstant(ns: bigint): string {
  const { days, nsOfDay } = splitNanos(ns);
  const totalSeconds = Number(nsOfDay / 1_000_000_000n);
  const fraction = Number(nsOfDay % 1_000_000_000n);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  let frac = '';
  if (fraction !== 0) {
    if (fraction % 1_000_000 === 0) frac = `.${pad(fraction / 1_000_000, 3)}`;
    else if (fraction % 1000 === 0) frac = `.${pad(fraction / 1000, 6)}`;
    else frac = `.${pad(fraction, 9)}`;
  }
  return `${formatDate(days)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}${frac}Z`;
}

const INSTANT_RE =
  /^([+-]?\d{4,9})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2})?(?::?(\d{2}))?)$/;

/** Parses an ISO-8601 instant with a required offset; returns null when it is not one. */
export function parseInstant(text: string): bigint | null {
  const m = INSTANT_RE.exec(text.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const fraction = m[7] === undefined ? 0n : BigInt(m[7].padEnd(9, '0'));
  let offsetSeconds = 0;
  if (m[8] === undefined) {
    if (m[9] === undefined) return null;
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    const os = m[12] === undefined ? 0 : Number(m[12]);
    if (oh > 18 || om > 59 || os > 59) return null;
    offsetSeconds = (oh * 3600 + om * 60 + os) * (m[9] === '-' ? -1 : 1);
  }
  const days = BigInt(daysFromCivil(year, month, day));
  const seconds = BigInt(hour * 3600 + minute * 60 + second - offsetSeconds);
  return days * NS_PER_DAY + seconds * 1_000_000_000n + fraction;
}

const DATE_RE = /^([+-]?\d{4,9})-(\d{2})-(\d{2})$/;

/** Parses `YYYY-MM-DD`; returns null when it is not a valid date. */
export function parseDate(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return daysFromCivil(year, month, day);
}

export { NS_PER_DAY };
