/**
 * Lossless JSON for FQL's wire format.
 *
 * FQL keeps integers and doubles apart: `4` is an Integer, `4.0` a Double, and
 * integers are 64-bit. JSON.parse cannot keep either distinction, so wire text
 * is read and written here: integers become `bigint`, doubles `number`.
 * Objects are created without a prototype so that keys such as `__proto__`
 * are ordinary data.
 */

export type Json = bigint | number | string | boolean | null | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/**
 * JSON objects inherit no key (as with Object.create(null)): their prototype
 * is empty and has no prototype itself, which keeps them in V8's fast
 * representation.
 */
const EMPTY_PROTOTYPE: object = Object.create(null);
const JsonObjectMaker = function (this: JsonObject) {} as unknown as { new (): JsonObject; prototype: object };
JsonObjectMaker.prototype = EMPTY_PROTOTYPE;

export function newJsonObject(): JsonObject {
  return new JsonObjectMaker();
}

export function isJsonObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_DEPTH = 512;

/** Parses JSON text; integers become bigint, numbers with a fraction or exponent become doubles. */
export function parseJson(text: string): Json {
  let pos = 0;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(`${what} at offset ${pos}`, pos);
  };
  const skipSpace = (): void => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
  };
  const parseString = (): string => {
    pos++; // opening quote
    let out = '';
    let start = pos;
    while (true) {
      if (pos >= text.length) fail('Unterminated string');
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        out += text.slice(start, pos);
        pos++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(start, pos);
        pos++;
        const e = text[pos];
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(pos + 1, pos + 5);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid unicode escape');
            out += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            fail('Invalid escape');
        }
        pos++;
        start = pos;
        continue;
      }
      if (c < 0x20) fail('Control character in string');
      pos++;
    }
  };
  const parseNumber = (): Json => {
    const start = pos;
    if (text[pos] === '-') pos++;
    if (text[pos] === '0') pos++;
    else if (text[pos] !== undefined && text[pos]! >= '1' && text[pos]! <= '9') {
      while (text[pos] !== undefined && text[pos]! >= '0' && text[pos]! <= '9') pos++;
    } else fail('Invalid number');
    let isDouble = false;
    if (text[pos] === '.') {
      isDouble = true;
      pos++;
      if (!(text[pos]! >= '0' && text[pos]! <= '9')) fail('Invalid number');
      while (text[pos]! >= '0' && text[pos]! <= '9') pos++;
    }
    if (text[pos] === 'e' || text[pos] === 'E') {
      isDouble = true;
      pos++;
      if (text[pos] === '+' || text[pos] === '-') pos++;
      if (!(text[pos]! >= '0' && text[pos]! <= '9')) fail('Invalid number');
      while (text[pos]! >= '0' && text[pos]! <= '9') pos++;
    }
    const literal = text.slice(start, pos);
    if (isDouble) return Number(literal);
    const big = BigInt(literal);
    // Integers outside 64 bits cannot be FQL Integers; FQL reads them as doubles.
    if (big > 9223372036854775807n || big < -9223372036854775808n) return Number(literal);
    return big;
  };
  const parseValue = (depth: number): Json => {
    if (depth > MAX_DEPTH) fail('JSON nested too deeply');
    skipSpace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const obj = newJsonObject();
      skipSpace();
      if (text[pos] === '}') {
        pos++;
        return obj;
      }
      while (true) {
        skipSpace();
        if (text[pos] !== '"') fail('Expected a string key');
        const key = parseString();
        skipSpace();
        if (text[pos] !== ':') fail("Expected ':'");
        pos++;
        const value = parseValue(depth + 1);
        // Duplicate keys: the first one wins, as in FaunaDB.
        if (!Object.prototype.hasOwnProperty.call(obj, key)) obj[key] = value;
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === '}') {
          pos++;
          return obj;
        }
        fail("Expected ',' or '}'");
      }
    }
    if (c === '[') {
      pos++;
      const arr: Json[] = [];
      skipSpace();
      if (text[pos] === ']') {
        pos++;
        return arr;
      }
      while (true) {
        arr.push(parseValue(depth + 1));
        skipSpace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        if (text[pos] === ']') {
          pos++;
          return arr;
        }
        fail("Expected ',' or ']'");
      }
    }
    if (c === '"') return parseString();
    if (c === 't' && text.startsWith('true', pos)) {
      pos += 4;
      return true;
    }
    if (c === 'f' && text.startsWith('false', pos)) {
      pos += 5;
      return false;
    }
    if (c === 'n' && text.startsWith('null', pos)) {
      pos += 4;
      return null;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return parseNumber();
    return fail(c === undefined ? 'Unexpected end of input' : `Unexpected character '${c}'`);
  };
  const value = parseValue(0);
  skipSpace();
  if (pos < text.length) fail('Unexpected text after JSON value');
  return value;
}

/** Formats a double so that it reads back as a double (`4` becomes `4.0`). */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  if (/[.eE]/.test(text)) return text.replace(/e\+?/, 'E');
  return `${text}.0`;
}

/** Writes lossless JSON: bigint as integer digits, doubles always with a fraction or exponent. */
export function stringifyJson(value: Json, indent = 0): string {
  const parts: string[] = [];
  write(value, parts, indent, '');
  return parts.join('');
}

function write(value: Json, out: string[], indent: number, pad: string): void {
  switch (typeof value) {
    case 'bigint':
      out.push(value.toString());
      return;
    case 'number':
      // JSON has no NaN or Infinity; FQL never produces them in wire output except through
      // doubles, which are written as strings-looking numbers would be invalid JSON.
      out.push(Number.isFinite(value) ? formatDouble(value) : 'null');
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    default:
      break;
  }
  if (value === null) {
    out.push('null');
    return;
  }
  const inner = indent > 0 ? pad + ' '.repeat(indent) : '';
  const nl = indent > 0 ? '\n' : '';
  const colon = indent > 0 ? ': ' : ':';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[', nl);
    value.forEach((item, i) => {
      if (i > 0) out.push(',', nl);
      out.push(inner);
      write(item, out, indent, inner);
    });
    out.push(nl, pad, ']');
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{', nl);
  keys.forEach((key, i) => {
    if (i > 0) out.push(',', nl);
    out.push(inner, JSON.stringify(key), colon);
    write(value[key]!, out, indent, inner);
  });
  out.push(nl, pad, '}');
}
