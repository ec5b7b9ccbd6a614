/**
 * Tokeniser for the shell's JavaScript-like FQL syntax.
 *
 * A lexical error does not throw here: it becomes an `error` token (and ends
 * the token list), so the parser reports whichever problem comes first in the text.
 */

export type TokenType = 'ident' | 'number' | 'string' | 'punct' | 'eof' | 'error';

export interface Token {
  type: TokenType;
  /** Identifier name, punctuation, number literal (separators removed), or the error message. */
  text: string;
  /** The decoded value of a string literal. */
  value: string;
  start: number;
  end: number;
  /** A line terminator (or a comment holding one) comes before this token. */
  nlBefore: boolean;
}

export interface TokenList {
  tokens: Token[];
  /** For each `(` token, the index of its matching `)`, or -1. */
  parenMatch: Int32Array;
}

const PUNCT1 = new Set(['(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '-', '+']);

function isLineTerminator(c: number): boolean {
  return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

function isSpace(c: number): boolean {
  if (c === 0x20 || c === 0x09 || c === 0x0b || c === 0x0c) return true;
  if (c < 0x80) return false;
  return c === 0xa0 || c === 0xfeff || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

const ID_START = /[\p{ID_Start}]/u;
const ID_CONTINUE = /[\p{ID_Continue}\u200c\u200d]/u;

function isIdStart(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x24 || c === 0x5f) return 1;
  if (c < 0x80 || Number.isNaN(c)) return 0;
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  return ID_START.test(ch) ? ch.length : 0;
}

function isIdContinue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x24 || c === 0x5f) return 1;
  if (c < 0x80 || Number.isNaN(c)) return 0;
  const cp = text.codePointAt(i)!;
  const ch = String.fromCodePoint(cp);
  return ID_CONTINUE.test(ch) ? ch.length : 0;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

class LexError {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

export function tokenize(text: string): TokenList {
  const tokens: Token[] = [];
  let pos = 0;
  let nl = false;
  const n = text.length;

  const push = (type: TokenType, t: string, value: string, start: number, end: number): void => {
    tokens.push({ type, text: t, value, start, end, nlBefore: nl });
    nl = false;
  };

  try {
    while (true) {
      // Whitespace and comments.
      while (pos < n) {
        const c = text.charCodeAt(pos);
        if (isLineTerminator(c)) {
          nl = true;
          pos++;
        } else if (isSpace(c)) {
          pos++;
        } else if (c === 0x2f && text.charCodeAt(pos + 1) === 0x2f) {
          pos += 2;
          while (pos < n && !isLineTerminator(text.charCodeAt(pos))) pos++;
        } else if (c === 0x2f && text.charCodeAt(pos + 1) === 0x2a) {
          const close = text.indexOf('*/', pos + 2);
          if (close < 0) throw new LexError('Unterminated comment', pos);
          for (let i = pos + 2; i < close; i++) {
            if (isLineTerminator(text.charCodeAt(i))) {
              nl = true;
              break;
            }
          }
          pos = close + 2;
        } else break;
      }
      if (pos >= n) {
        push('eof', '', '', n, n);
        break;
      }
      const start = pos;
      const c = text.charCodeAt(pos);
      const idLen = isIdStart(text, pos);
      if (idLen > 0) {
        pos += idLen;
        while (pos < n) {
          const l = isIdContinue(text, pos);
          if (l === 0) break;
          pos += l;
        }
        if (text.charCodeAt(pos) === 0x5c) throw new LexError('Escapes in identifiers are not supported', pos);
        const name = text.slice(start, pos);
        push('ident', name, name, start, pos);
        continue;
      }
      if (isDigit(c) || (c === 0x2e && isDigit(text.charCodeAt(pos + 1)))) {
        const literal = lexNumber(text, pos);
        pos = literal.end;
        push('number', literal.text, '', start, pos);
        continue;
      }
      if (c === 0x22 || c === 0x27 || c === 0x60) {
        const s = lexString(text, pos);
        pos = s.end;
        push('string', text.slice(start, pos), s.value, start, pos);
        continue;
      }
      if (c === 0x3d && text.charCodeAt(pos + 1) === 0x3e) {
        pos += 2;
        push('punct', '=>', '=>', start, pos);
        continue;
      }
      const one = text[pos]!;
      if (PUNCT1.has(one)) {
        if (one === '.' && text.startsWith('...', pos)) throw new LexError('Spread syntax is not supported', pos);
        pos++;
        push('punct', one, one, start, pos);
        continue;
      }
      const cp = text.codePointAt(pos)!;
      throw new LexError(`Unexpected character ${describeChar(cp)}`, pos);
    }
  } catch (e) {
    if (!(e instanceof LexError)) throw e;
    tokens.push({ type: 'error', text: e.message, value: '', start: e.offset, end: e.offset, nlBefore: nl });
  }

  const parenMatch = new Int32Array(tokens.length).fill(-1);
  const stack: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type !== 'punct') continue;
    if (t.text === '(') stack.push(i);
    else if (t.text === ')' && stack.length > 0) parenMatch[stack.pop()!] = i;
  }
  return { tokens, parenMatch };
}

function describeChar(cp: number): string {
  if (cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) && !(cp >= 0xd800 && cp < 0xe000)) {
    return `'${String.fromCodePoint(cp)}'`;
  }
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

function lexNumber(text: string, start: number): { text: string; end: number } {
  let pos = start;
  const c0 = text.charCodeAt(pos);
  const c1 = text.charCodeAt(pos + 1) | 0x20; // lower-cased
  let digits = '';
  const readDigits = (ok: (c: number) => boolean, required: boolean): void => {
    let any = false;
    let lastSep = false;
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (ok(c)) {
        digits += text[pos];
        any = true;
        lastSep = false;
        pos++;
      } else if (c === 0x5f) {
        if (!any || lastSep || !ok(text.charCodeAt(pos + 1))) throw new LexError('Invalid numeric separator', pos);
        lastSep = true;
        pos++;
      } else break;
    }
    if (required && !any) throw new LexError('Invalid number', pos);
  };
  if (c0 === 0x30 && (c1 === 0x78 || c1 === 0x6f || c1 === 0x62)) {
    digits = text.slice(pos, pos + 2).toLowerCase();
    pos += 2;
    const ok = c1 === 0x78 ? isHex : c1 === 0x6f ? (c: number) => c >= 0x30 && c <= 0x37 : (c: number) => c === 0x30 || c === 0x31;
    readDigits(ok, true);
    if (text.charCodeAt(pos) === 0x6e) pos++; // BigInt suffix
  } else {
    let integral = true;
    if (c0 === 0x30 && (isDigit(text.charCodeAt(pos + 1)) || text.charCodeAt(pos + 1) === 0x5f)) {
      throw new LexError('Numbers with a leading zero are not supported', pos);
    }
    if (c0 !== 0x2e) readDigits(isDigit, true);
    if (text.charCodeAt(pos) === 0x2e) {
      integral = false;
      digits += '.';
      pos++;
      readDigits(isDigit, false);
    }
    const e = text.charCodeAt(pos) | 0x20;
    if (e === 0x65) {
      integral = false;
      digits += 'e';
      pos++;
      const sign = text[pos];
      if (sign === '+' || sign === '-') {
        digits += sign;
        pos++;
      }
      readDigits(isDigit, true);
    }
    if (text.charCodeAt(pos) === 0x6e) {
      if (!integral) throw new LexError('Invalid BigInt literal', pos);
      pos++;
    }
  }
  if (isIdStart(text, pos) > 0 || isDigit(text.charCodeAt(pos))) {
    throw new LexError('Unexpected character directly after a number', pos);
  }
  return { text: digits, end: pos };
}

function lexString(text: string, start: number): { value: string; end: number } {
  const quote = text.charCodeAt(start);
  const template = quote === 0x60;
  let pos = start + 1;
  let out = '';
  let chunk = pos;
  while (true) {
    if (pos >= text.length) throw new LexError(template ? 'Unterminated template literal' : 'Unterminated string', start);
    const c = text.charCodeAt(pos);
    if (c === quote) {
      out += text.slice(chunk, pos);
      return { value: out, end: pos + 1 };
    }
    if (template && c === 0x24 && text.charCodeAt(pos + 1) === 0x7b) {
      throw new LexError('Template literal substitutions are not supported', pos);
    }
    if (!template && (c === 0x0a || c === 0x0d)) throw new LexError('Unterminated string', start);
    if (template && c === 0x0d) {
      // Template literals normalise CRLF and CR to LF.
      out += text.slice(chunk, pos) + '\n';
      pos += text.charCodeAt(pos + 1) === 0x0a ? 2 : 1;
      chunk = pos;
      continue;
    }
    if (c !== 0x5c) {
      pos++;
      continue;
    }
    out += text.slice(chunk, pos);
    const escPos = pos;
    pos++;
    if (pos >= text.length) throw new LexError('Unterminated string', start);
    const e = text[pos]!;
    pos++;
    switch (e) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'v': out += '\v'; break;
      case '0':
        if (isDigit(text.charCodeAt(pos))) throw new LexError('Octal escapes are not supported', escPos);
        out += '\0';
        break;
      case 'x': {
        const hex = text.slice(pos, pos + 2);
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new LexError('Invalid hexadecimal escape', escPos);
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 2;
        break;
      }
      case 'u': {
        if (text[pos] === '{') {
          const close = text.indexOf('}', pos);
          const hex = close < 0 ? '' : text.slice(pos + 1, close);
          if (!/^[0-9a-fA-F]{1,8}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) {
            throw new LexError('Invalid Unicode escape', escPos);
          }
          out += String.fromCodePoint(parseInt(hex, 16));
          pos = close + 1;
        } else {
          const hex = text.slice(pos, pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new LexError('Invalid Unicode escape', escPos);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 4;
        }
        break;
      }
      case '\r':
        if (text.charCodeAt(pos) === 0x0a) pos++;
        break;
      case '\n':
      case '\u2028':
      case '\u2029':
        break; // line continuation
      default:
        if (e >= '1' && e <= '9') throw new LexError('Octal escapes are not supported', escPos);
        // Any other escaped character stands for itself (also a surrogate half).
        out += e;
    }
    chunk = pos;
  }
}
