/**
 * Order-preserving byte encoding of FQL values.
 *
 * `encodeKey([v1, v2, ...])` yields bytes whose unsigned lexicographic order
 * is Fauna's index order over the tuple, so SQLite's B-tree (BLOB compares
 * with memcmp) sorts index entries the way Fauna does and a cursor is a range
 * scan. The same encoding orders values for LT/GT/Min/Max.
 *
 * Type order (Fauna's): numbers < bytes < strings < arrays < objects < refs
 * < times < dates < lambdas < false < true < null. Integers and doubles
 * interleave by numeric value. Every element encoding is self-delimiting.
 *
 * Strings are ordered by a collation key that approximates the Unicode
 * Collation Algorithm's root order at tertiary strength (punctuation and
 * symbols < digits < letters; letters compare case- and accent-insensitively
 * first, then by accents, then lowercase before uppercase), falling back to
 * code point order. ASCII symbols and the combining accents follow ICU's own
 * order (frozen tables below); ASCII strings match ICU root exactly, and
 * ASCII and non-ASCII strings share one key layout (`e < é < f`). See
 * docs/ordering.md for where it differs from ICU.
 */
import { Bytes, FDate, FTime, LambdaValue, Page, Ref, SetRef, isObject, type Value } from '../values/value.js';

const T_NUMBER = 0x10;
const T_BYTES = 0x20;
const T_STRING = 0x30;
const T_ARRAY = 0x40;
const T_OBJECT = 0x50;
const T_REF = 0x60;
const T_TIME = 0x70;
const T_DATE = 0x80;
const T_LAMBDA = 0x90;
const T_SET = 0x98;
const T_FALSE = 0xa0;
const T_TRUE = 0xa1;
const T_NULL = 0xf0;

/** A growable byte buffer. */
class Writer {
  buf: Uint8Array;
  len = 0;
  /** Views of buf's first n bytes, by n (view()); dropped when buf is replaced. */
  private views: Buffer[] = [];
  constructor(size = 64) {
    this.buf = new Uint8Array(size);
  }
  ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
    this.views = [];
  }
  byte(b: number): void {
    if (this.len === this.buf.length) this.ensure(1);
    this.buf[this.len++] = b;
  }
  /** Writes bytes as they are. */
  bytes(b: Uint8Array): void {
    const n = b.length;
    this.ensure(n);
    const buf = this.buf;
    const o = this.len;
    for (let i = 0; i < n; i++) buf[o + i] = b[i]!;
    this.len = o + n;
  }
  /** Starts over (the buffer is kept). */
  reset(): this {
    this.len = 0;
    return this;
  }
  /** Writes a byte escaped so that 0x00 stays free as a terminator: 0x00 -> 01 01, 0x01 -> 01 02. */
  escaped(b: number): void {
    if (b <= 1) {
      this.ensure(2);
      this.buf[this.len++] = 1;
      this.buf[this.len++] = b + 1;
    } else {
      if (this.len === this.buf.length) this.ensure(1);
      this.buf[this.len++] = b;
    }
  }
  /**
   * The bytes written, as a view of this writer's buffer: valid only until
   * the writer is used again (for a caller that copies them at once).
   */
  view(): Buffer {
    // One view per length, made once: index builds take a view per entry.
    const n = this.len;
    return (this.views[n] ??= Buffer.from(this.buf.buffer, this.buf.byteOffset, n));
  }

  /** A copy of the bytes written (small keys share Node's buffer pool). */
  result(): Buffer {
    const n = this.len;
    const out = Buffer.allocUnsafe(n);
    const buf = this.buf;
    for (let i = 0; i < n; i++) out[i] = buf[i]!;
    return out;
  }
}

// --- numbers ------------------------------------------------------------------
// A number is written as sign class, then a decimal exponent and digits, so
// that integers (any 64-bit value) and doubles compare exactly by value.

function decimalParts(v: bigint | number): { negative: boolean; digits: string; exponent: number } | null {
  let text: string;
  let negative: boolean;
  if (typeof v === 'bigint') {
    if (v === 0n) return null;
    negative = v < 0n;
    text = (negative ? -v : v).toString();
  } else {
    if (v === 0) return null;
    negative = v < 0;
    const abs = Math.abs(v);
    // Whole doubles are written exactly (shortest repr of a large whole double is not exact).
    text = Number.isInteger(abs) ? BigInt(abs).toString() : abs.toString();
  }
  let digits: string;
  let exponent: number;
  const e = text.indexOf('e');
  if (e >= 0) {
    // abs.toString() for tiny numbers: "1.5e-7"
    const mantissa = text.slice(0, e);
    const exp = Number(text.slice(e + 1));
    const dot = mantissa.indexOf('.');
    const intPart = dot >= 0 ? mantissa.slice(0, dot) : mantissa;
    const frac = dot >= 0 ? mantissa.slice(dot + 1) : '';
    digits = intPart + frac;
    exponent = exp + intPart.length;
  } else {
    const dot = text.indexOf('.');
    const intPart = dot >= 0 ? text.slice(0, dot) : text;
    const frac = dot >= 0 ? text.slice(dot + 1) : '';
    if (intPart === '0') {
      const lead = frac.search(/[1-9]/);
      digits = frac.slice(lead);
      exponent = -lead;
    } else {
      digits = intPart + frac;
      exponent = intPart.length;
    }
  }
  digits = digits.replace(/0+$/, '');
  return { negative, digits, exponent };
}

function writeNumber(w: Writer, v: bigint | number): void {
  if (typeof v === 'bigint') {
    writeIntegerText(w, v.toString());
    return;
  }
  w.byte(T_NUMBER);
  // Class byte: -Inf 0x00, negative 0x01, zero 0x02, positive 0x03, +Inf 0x04, NaN 0x05.
  if (!Number.isFinite(v)) {
    w.byte(Number.isNaN(v) ? 0x05 : v > 0 ? 0x04 : 0x00);
    return;
  }
  const parts = decimalParts(v);
  if (parts === null) {
    w.byte(0x02);
    return;
  }
  writeDigits(w, parts.negative, parts.digits, parts.digits.length, parts.exponent);
}

/**
 * The key of an integer given as its decimal text (optional '-', digits
 * without leading zeros): digits of |v|, exponent = digit count. Integers
 * are the common case, and index builds have their text already.
 */
export function writeIntegerText(w: Writer, text: string): void {
  w.byte(T_NUMBER);
  if (text === '0') {
    w.byte(0x02);
    return;
  }
  const negative = text.charCodeAt(0) === 0x2d;
  const digits = negative ? text.slice(1) : text;
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === 0x30) end--;
  writeDigits(w, negative, digits, end, digits.length);
}

/**
 * A biased 2-byte decimal exponent and the digits (1..10), terminated.
 * Negatives are the complement, so larger magnitudes sort first.
 */
function writeDigits(w: Writer, negative: boolean, digits: string, count: number, exponent: number): void {
  const exp = exponent + 0x8000;
  const flip = negative ? 0xff : 0x00;
  w.ensure(count + 4);
  const buf = w.buf;
  let o = w.len;
  buf[o++] = negative ? 0x01 : 0x03;
  buf[o++] = flip ^ ((exp >> 8) & 0xff);
  buf[o++] = flip ^ (exp & 0xff);
  for (let i = 0; i < count; i++) buf[o++] = flip ^ (digits.charCodeAt(i) - 0x2f);
  buf[o++] = flip;
  w.len = o;
}

// --- strings ------------------------------------------------------------------

const COMBINING = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/;

/**
 * ASCII characters that are neither letters nor digits, in ICU root order
 * (generated once from `Intl.Collator('und')` and frozen here so that stored
 * keys never depend on the runtime's ICU version). The C0 controls other than
 * tab..carriage return, and DEL, are ignorable in ICU and are left out: they
 * weigh nothing at any level, only in the final code-unit tie-break.
 */
const ASCII_SYMBOL_ORDER = [
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0x5f, 0x2d, 0x2c, 0x3b, 0x3a, 0x21, 0x3f, 0x2e, 0x27, 0x22, 0x28, 0x29, 0x5b, 0x5d, 0x7b, 0x7d, 0x40, 0x2a, 0x2f, 0x5c,
  0x26, 0x23, 0x25, 0x60, 0x5e, 0x2b, 0x3c, 0x3d, 0x3e, 0x7c, 0x7e, 0x24,
];

/**
 * Combining marks U+0300..U+036F in ICU root secondary order (groups of marks
 * that ICU weighs equally share a rank). Generated like ASCII_SYMBOL_ORDER.
 */
const MARK_ORDER: number[][] = [
  [0x332], [0x313, 0x343], [0x314], [0x301, 0x341], [0x300, 0x340], [0x306], [0x302], [0x30c], [0x30a], [0x342], [0x308], [0x344], [0x30b], [0x303], [0x307], [0x338],
  [0x327], [0x328], [0x304],
  [0x30d, 0x30e, 0x312, 0x315, 0x31a, 0x33d, 0x33e, 0x33f, 0x346, 0x34a, 0x34b, 0x34c, 0x350, 0x351, 0x352, 0x357, 0x35b, 0x35d, 0x35e],
  [0x316, 0x317, 0x318, 0x319, 0x31c, 0x31d, 0x31e, 0x31f, 0x320, 0x329, 0x32a, 0x32b, 0x32c, 0x32f, 0x333, 0x33a, 0x33b, 0x33c, 0x347, 0x348, 0x349, 0x34d, 0x34e, 0x353, 0x354, 0x355, 0x356, 0x359, 0x35a, 0x35c, 0x35f, 0x362],
  [0x336, 0x337], [0x335], [0x305], [0x309], [0x30f], [0x310], [0x311], [0x31b], [0x321], [0x322], [0x323], [0x324], [0x325], [0x326], [0x32d], [0x32e], [0x330], [0x331],
  [0x334], [0x339], [0x345], [0x358], [0x360], [0x361], [0x363], [0x368], [0x369], [0x364], [0x36a], [0x365], [0x36b], [0x366], [0x36c], [0x36d], [0x367], [0x36e], [0x36f],
];

/** Secondary weight of a combining mark (0 for an ignorable one, such as U+034F). */
const MARK_WEIGHT = new Map<number, number>([[0x34f, 0]]);
MARK_ORDER.forEach((group, i) => group.forEach((cp) => MARK_WEIGHT.set(cp, 0x100 + i)));

function markWeight(cp: number): number {
  return MARK_WEIGHT.get(cp) ?? 0x200 + (cp & 0xffff);
}

/** Primary weight class of a base character: 1 space/punct/symbol, 2 digit, 3 letter, 4 other. */
function primaryClass(ch: string): number {
  if (/\p{L}/u.test(ch)) return 3;
  if (/\p{N}/u.test(ch)) return 2;
  if (/[\p{P}\p{S}\p{Z}\p{Cc}]/u.test(ch)) return 1;
  return 4;
}

/**
 * Primary weight of a base character (0 when ignorable): its class, then the
 * ICU rank for ASCII symbols, else the lowercased code point.
 */
function primaryWeight(ch: string): number {
  const cp = ch.codePointAt(0)!;
  if (cp < 0x80) return ASCII_PRIMARY[cp]!;
  const lower = ch.toLowerCase();
  return primaryClass(ch) * 0x200000 + ((lower.codePointAt(0) ?? 0) & 0x1fffff);
}

/** ASCII primary weights (0: ignorable control). */
const ASCII_PRIMARY = new Uint32Array(128);
(() => {
  for (let c = 0; c < 128; c++) {
    const ch = String.fromCharCode(c);
    const cls = primaryClass(ch);
    if (cls === 1) {
      const rank = ASCII_SYMBOL_ORDER.indexOf(c);
      ASCII_PRIMARY[c] = rank < 0 ? 0 : 0x200000 + 1 + rank;
    } else {
      ASCII_PRIMARY[c] = cls * 0x200000 + ch.toLowerCase().charCodeAt(0);
    }
  }
})();

function isAsciiFast(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return false;
  return true;
}

function writePrimary(w: Writer, p: number): void {
  w.escaped((p >> 16) & 0xff);
  w.escaped((p >> 8) & 0xff);
  w.escaped(p & 0xff);
}

/**
 * A string as a collation key: primary weights (3 bytes each), then secondary
 * (2 bytes each: 0x0001 per base character, a mark's weight per accent), then
 * tertiary (1 byte: 2 lower/caseless, 3 upper), then the UTF-8 bytes so that
 * distinct strings never tie; levels are separated by an escaped 0x00 and the
 * whole is terminated by a bare 0x00. ASCII strings take a fast path that
 * writes exactly the bytes the general path would.
 */
function writeCollated(w: Writer, s: string): void {
  w.byte(T_STRING);
  if (isAsciiFast(s)) {
    let bases = 0;
    for (let i = 0; i < s.length; i++) {
      const p = ASCII_PRIMARY[s.charCodeAt(i)]!;
      if (p === 0) continue;
      writePrimary(w, p);
      bases++;
    }
    w.escaped(0);
    for (let i = 0; i < bases; i++) {
      w.escaped(0);
      w.escaped(1);
    }
    w.escaped(0);
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (ASCII_PRIMARY[c] === 0) continue;
      w.escaped(c >= 0x41 && c <= 0x5a ? 3 : 2);
    }
    w.escaped(0);
    for (let i = 0; i < s.length; i++) w.escaped(s.charCodeAt(i));
    w.byte(0);
    return;
  }
  const primaries: number[] = [];
  const secondaries: number[] = [];
  const tertiaries: number[] = [];
  for (const ch of s.normalize('NFD')) {
    if (COMBINING.test(ch)) {
      // An accent weighs at the secondary level, after its base character's weight.
      const m = markWeight(ch.codePointAt(0)!);
      if (m !== 0) secondaries.push(m);
      continue;
    }
    const p = primaryWeight(ch);
    if (p === 0) continue;
    primaries.push(p);
    secondaries.push(0x01);
    tertiaries.push(ch !== ch.toLowerCase() ? 3 : 2);
  }
  for (const p of primaries) writePrimary(w, p);
  w.escaped(0);
  for (const s2 of secondaries) {
    w.escaped((s2 >> 8) & 0xff);
    w.escaped(s2 & 0xff);
  }
  w.escaped(0);
  for (const t of tertiaries) w.escaped(t);
  w.escaped(0);
  const utf8 = Buffer.from(s, 'utf8');
  for (let i = 0; i < utf8.length; i++) w.escaped(utf8[i]!);
  w.byte(0);
}

// --- everything else ---------------------------------------------------------------

function writeEscapedBytes(w: Writer, bytes: Uint8Array): void {
  for (let i = 0; i < bytes.length; i++) w.escaped(bytes[i]!);
  w.byte(0);
}

const INT64 = new DataView(new ArrayBuffer(8));

function writeInt64(w: Writer, v: bigint): void {
  INT64.setBigInt64(0, v); // two's complement of v modulo 2^64, big-endian
  writeInt64Halves(w, INT64.getInt32(0), INT64.getUint32(4));
}

/**
 * Writes the 64-bit integer whose high 32 bits (signed) are `hi` and low 32
 * bits (unsigned) are `lo`: big-endian, the sign bit flipped so that
 * negatives sort first.
 */
function writeInt64Halves(w: Writer, hi: number, lo: number): void {
  w.ensure(8);
  const buf = w.buf;
  const o = w.len;
  buf[o] = ((hi >>> 24) & 0xff) ^ 0x80;
  buf[o + 1] = (hi >>> 16) & 0xff;
  buf[o + 2] = (hi >>> 8) & 0xff;
  buf[o + 3] = hi & 0xff;
  buf[o + 4] = (lo >>> 24) & 0xff;
  buf[o + 5] = (lo >>> 16) & 0xff;
  buf[o + 6] = (lo >>> 8) & 0xff;
  buf[o + 7] = lo & 0xff;
  w.len = o + 8;
}

const NUMERIC_ID = /^-?\d{1,19}$/;

/**
 * The encoding of a collection path (every scope, then the terminator),
 * cached per (immutable) ref object, and by path for the many equal refs
 * made afresh (a document's collection ref is made per read).
 */
const scopeBytes = new WeakMap<Ref, Uint8Array>();
const scopeBytesByPath = new Map<string, Uint8Array>();
const MAX_SCOPE_PATHS = 10_000;

function scopeEncoding(scope: Ref): Uint8Array {
  let bytes = scopeBytes.get(scope);
  if (bytes !== undefined) return bytes;
  let path = scope.id;
  for (let s = scope.collection; s !== null; s = s.collection) path += `\u0000${s.id}`;
  bytes = scopeBytesByPath.get(path);
  if (bytes === undefined) {
    const w = new Writer(32);
    let s: Ref | null = scope;
    while (s !== null) {
      w.byte(0x02);
      writeEscapedBytes(w, Buffer.from(s.id, 'utf8'));
      s = s.collection;
    }
    w.byte(0x00);
    bytes = w.buf.slice(0, w.len);
    if (scopeBytesByPath.size < MAX_SCOPE_PATHS) scopeBytesByPath.set(path, bytes);
  }
  scopeBytes.set(scope, bytes);
  return bytes;
}

function writeRef(w: Writer, ref: Ref): void {
  w.byte(T_REF);
  // Refs order by id (numeric ids by value, names after them), then by collection path.
  if (NUMERIC_ID.test(ref.id)) {
    w.byte(0x01);
    writeInt64(w, BigInt(ref.id));
  } else {
    w.byte(0x02);
    writeEscapedBytes(w, Buffer.from(ref.id, 'utf8'));
  }
  if (ref.collection !== null) w.bytes(scopeEncoding(ref.collection));
  else w.byte(0x00);
  if (ref.database !== null) {
    w.byte(0x02);
    writeRef(w, ref.database);
  }
  w.byte(0x00);
}

export function writeValue(w: Writer, v: Value, reverse = false): void {
  if (reverse) {
    // Reversed columns: every byte of the value's encoding complemented; a complemented
    // self-delimiting code stays self-delimiting and sorts in the opposite order.
    const start = w.len;
    writeValue(w, v);
    const buf = w.buf;
    for (let i = start; i < w.len; i++) buf[i] = 0xff - buf[i]!;
    return;
  }
  switch (typeof v) {
    case 'bigint':
    case 'number':
      writeNumber(w, v);
      return;
    case 'string':
      writeCollated(w, v);
      return;
    case 'boolean':
      w.byte(v ? T_TRUE : T_FALSE);
      return;
    default:
      break;
  }
  if (v === null) {
    w.byte(T_NULL);
    return;
  }
  if (Array.isArray(v)) {
    w.byte(T_ARRAY);
    for (const item of v) {
      w.byte(0x01);
      writeValue(w, item);
    }
    w.byte(0x00);
    return;
  }
  if (v instanceof Ref) {
    writeRef(w, v);
    return;
  }
  if (v instanceof FTime) {
    w.byte(T_TIME);
    // 96 bits are enough for any representable instant; offset to keep it unsigned.
    const u = v.ns + (1n << 95n);
    for (let shift = 88n; shift >= 0n; shift -= 8n) w.byte(Number((u >> shift) & 0xffn));
    return;
  }
  if (v instanceof FDate) {
    w.byte(T_DATE);
    writeInt64(w, BigInt(v.days));
    return;
  }
  if (v instanceof Bytes) {
    w.byte(T_BYTES);
    writeEscapedBytes(w, v.bytes);
    return;
  }
  if (v instanceof LambdaValue) {
    w.byte(T_LAMBDA);
    writeEscapedBytes(w, Buffer.from(JSON.stringify(v.source, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)), 'utf8'));
    return;
  }
  if (v instanceof SetRef) {
    w.byte(T_SET);
    return;
  }
  if (v instanceof Page) {
    writeValue(w, v.data);
    return;
  }
  if (isObject(v)) {
    w.byte(T_OBJECT);
    for (const key of Object.keys(v).sort()) {
      w.byte(0x01);
      writeCollated(w, key);
      writeValue(w, v[key]!);
    }
    w.byte(0x00);
  }
}

/**
 * A value as an index term or unique-tuple element: its key, then one byte
 * telling an integer (0) from a double (1), so that equal-valued integers
 * and doubles are different terms. Still prefix-free.
 */
export function writeTerm(w: Writer, v: Value): void {
  writeValue(w, v);
  if (typeof v === 'number') w.byte(1);
  else if (typeof v === 'bigint') w.byte(0);
}

/** A scratch writer for top-level encodings (writeValue never calls encodeKey, so no reentrancy). */
const scratch = new Writer(256);

export function encodeKey(values: readonly Value[], reverse?: readonly boolean[]): Buffer {
  const w = scratch.reset();
  for (let i = 0; i < values.length; i++) writeValue(w, values[i]!, reverse?.[i] ?? false);
  return w.result();
}

/** Fauna's total order over values: negative, zero or positive. */
export function compareValues(a: Value, b: Value): number {
  return Buffer.compare(encodeKey([a]), encodeKey([b]));
}

/** The smallest key that is greater than every key starting with `prefix`. */
export function prefixEnd(prefix: Buffer): Buffer | null {
  const out = Buffer.from(prefix);
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i]! < 0xff) {
      out[i] = out[i]! + 1;
      return out.subarray(0, i + 1);
    }
  }
  return null;
}

/**
 * The key of a ref to a document of a collection whose path encoding
 * (refScopeBytes) is known: what writeRef writes, without building the ref.
 */
export function writeDocRefKey(w: Writer, id: bigint, scope: Uint8Array): void {
  w.byte(T_REF);
  w.byte(0x01);
  writeInt64(w, id);
  w.bytes(scope);
}

/**
 * writeDocRefKey for the id whose high 32 bits (signed) are `hi` and low 32
 * bits (unsigned) are `lo`: what SQL hands over as `id >> 32` and
 * `id & 4294967295` without making a BigInt per document.
 */
export function writeDocRefKeyHalves(w: Writer, hi: number, lo: number, scope: Uint8Array): void {
  w.byte(T_REF);
  w.byte(0x01);
  writeInt64Halves(w, hi, lo);
  w.bytes(scope);
}

/** The bytes writeDocRefKey takes after the id for documents of `collection` (its path, then no database). */
export function refScopeBytes(collection: Ref): Uint8Array {
  const w = new Writer(32);
  w.bytes(scopeEncoding(collection));
  w.byte(0x00);
  return w.buf.slice(0, w.len);
}

/** The bytes written so far, in hex (no copy). */
export function writtenHex(w: Writer): string {
  return Buffer.from(w.buf.buffer, w.buf.byteOffset, w.len).toString('hex');
}

export { Writer, scratch as scratchWriter };
