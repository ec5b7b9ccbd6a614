/**
 * FQL v4 text (the shell's JavaScript-like syntax) -> wire-format expressions.
 *
 * The wire form is exactly what the official `faunadb` JS driver would send for
 * the same source evaluated as JavaScript: plain objects become `{"object": ...}`,
 * functions follow the shared catalogue in shared/fql/print-functions.ts, and
 * arrow functions become `{"lambda": ..., "expr": ...}` with their parameters
 * turned into `{"var": name}` inside the body.
 */

import { newJsonObject, type Json } from '../../../shared/fql/json.js';
import { lookupFqlFunction, FQL_FUNCTIONS, type FnSpec } from '../../../shared/fql/print-functions.js';
import { FqlSyntaxError, LineIndex, type SourcePos } from './errors.js';
import { tokenize, type Token } from './lexer.js';

export interface SourceSpan {
  start: SourcePos;
  end: SourcePos;
}

export interface ParsedStatement {
  expr: Json;
  text: string;
  start: SourcePos;
  end: SourcePos;
  /**
   * For each wire path (JSON.stringify of the position array, e.g. '["create",1]';
   * '[]' is the whole statement) the source span it came from.
   */
  spans: Map<string, SourceSpan>;
}

/** Nesting deeper than this is a syntax error rather than a stack overflow. */
export const MAX_NESTING = 1000;

type NodeKind = 'literal' | 'string' | 'array' | 'object' | 'call' | 'var' | 'lambda';

interface Kid {
  /** The relative wire path as JSON array items without brackets: `"let",0,"a"`; '' for the same path. */
  seg: string;
  node: PNode;
}

interface PNode {
  json: Json;
  kind: NodeKind;
  start: number;
  end: number;
  kids: Kid[] | null;
  /** Object literals: their entries in JavaScript order (a repeated key keeps its first place, last value). */
  entries?: Map<string, PNode>;
}

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

const LOWERCASE_NAMES: ReadonlyMap<string, string> = new Map(
  [...FQL_FUNCTIONS.keys()].map((name) => [name.toLowerCase(), name]),
);

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'export', 'extends', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'return',
  'super', 'switch', 'this', 'throw', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield', 'let',
  'static', 'enum', 'await', 'implements', 'package', 'protected', 'interface', 'private', 'public',
  'null', 'true', 'false', 'undefined',
]);

/** Parses FQL text into its statements (separated by `;` and/or new lines). */
export function parseFql(text: string): ParsedStatement[] {
  const parser = new Parser(text);
  try {
    return parser.parseProgram();
  } catch (e) {
    if (e instanceof RangeError) {
      // Stack exhaustion despite the nesting limit (a very small stack): still a syntax error.
      throw new FqlSyntaxError('Expression is too complex', parser.lines.pos(0));
    }
    throw e;
  }
}

class Parser {
  readonly lines: LineIndex;
  private readonly tokens: Token[];
  private readonly parenMatch: Int32Array;
  private p = 0;
  /** Arrow parameter scopes, innermost last: source name -> variable name. */
  private readonly scopes: Map<string, string>[] = [];

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
    const { tokens, parenMatch } = tokenize(text);
    this.tokens = tokens;
    this.parenMatch = parenMatch;
  }

  parseProgram(): ParsedStatement[] {
    const out: ParsedStatement[] = [];
    while (true) {
      while (this.isPunct(this.peek(), ';')) this.p++;
      const first = this.peek();
      if (first.type === 'eof') break;
      const node = this.parseExpr(0);
      const last = this.tokens[this.p - 1]!;
      const next = this.peek();
      if (next.type !== 'eof' && !this.isPunct(next, ';') && !next.nlBefore) {
        this.fail(`Expected ';' or a new line after the statement, found ${describe(next)}`, next.start);
      }
      out.push(new Statement(node, this.text.slice(first.start, last.end), this.lines.pos(first.start), this.lines.pos(last.end), this.lines));
    }
    return out;
  }

  // ---- token helpers -------------------------------------------------------

  private peek(offset = 0): Token {
    const t = this.tokens[Math.min(this.p + offset, this.tokens.length - 1)]!;
    if (t.type === 'error' && offset === 0) this.fail(t.text, t.start);
    return t;
  }

  private isPunct(t: Token | undefined, text: string): boolean {
    return t !== undefined && t.type === 'punct' && t.text === text;
  }

  private expect(text: string, context: string): Token {
    const t = this.peek();
    if (!this.isPunct(t, text)) this.fail(`Expected '${text}' ${context}, found ${describe(t)}`, t.start);
    this.p++;
    return t;
  }

  private fail(message: string, offset: number): never {
    throw new FqlSyntaxError(message, this.lines.pos(offset));
  }

  // ---- expressions ---------------------------------------------------------

  /**
   * @param letNames when parsing the body of `Let`: a function body receives the
   *   binding variables as its parameters (the driver calls it with `Var(name)`s).
   */
  private parseExpr(depth: number, letNames?: string[]): PNode {
    const t = this.peek();
    switch (t.type) {
      case 'number':
        this.p++;
        return this.numberNode(t, false, t.start);
      case 'string':
        this.p++;
        return { json: t.value, kind: 'string', start: t.start, end: t.end, kids: null };
      case 'ident':
        return this.parseIdentifier(t, depth, letNames);
      case 'punct':
        switch (t.text) {
          case '(':
            if (this.isArrowAt(this.p)) return this.parseArrow(depth, letNames);
            return this.parseParenthesised(depth);
          case '[':
            return this.parseArray(depth);
          case '{':
            return this.parseObject(depth);
          case '-':
          case '+': {
            const num = this.peek(1);
            if (num.type === 'number') {
              this.p += 2;
              return this.numberNode(num, t.text === '-', t.start);
            }
            if (num.type === 'ident' && (num.text === 'Infinity' || num.text === 'NaN') && !this.lookupVar(num.text)) {
              this.p += 2;
              const v = num.text === 'NaN' ? NaN : t.text === '-' ? -Infinity : Infinity;
              return { json: v, kind: 'literal', start: t.start, end: num.end, kids: null };
            }
            if (num.type === 'error') this.fail(num.text, num.start);
            return this.fail(`Unary '${t.text}' is only supported before a number literal`, t.start);
          }
        }
        break;
      case 'eof':
        return this.fail('Unexpected end of input, expected an expression', t.start);
      default:
        break;
    }
    return this.fail(`Expected an expression, found ${describe(t)}`, t.start);
  }

  /** Entering a nested construct (array, object, call, parentheses, function) at `depth` enclosing ones. */
  private enter(depth: number, offset: number): void {
    if (depth >= MAX_NESTING) this.fail(`Expression nested too deeply (more than ${MAX_NESTING} levels)`, offset);
  }

  private numberNode(t: Token, negative: boolean, start: number): PNode {
    return { json: numberValue(t.text, negative), kind: 'literal', start, end: t.end, kids: null };
  }

  private parseParenthesised(depth: number): PNode {
    const open = this.peek();
    this.enter(depth, open.start);
    this.p++;
    const inner = this.parseExpr(depth + 1);
    const close = this.expect(')', `to close the '(' at line ${this.lines.pos(open.start).line}, column ${this.lines.pos(open.start).column}`);
    return { ...inner, start: open.start, end: close.end };
  }

  private parseIdentifier(t: Token, depth: number, letNames?: string[]): PNode {
    const name = t.text;
    const next = this.peek(1);
    if (next.type === 'punct' && next.text === '=>') return this.parseArrow(depth, letNames);
    if (name === 'true' || name === 'false' || name === 'null') {
      this.p++;
      return { json: name === 'null' ? null : name === 'true', kind: 'literal', start: t.start, end: t.end, kids: null };
    }
    if (name === 'undefined') this.fail("'undefined' is not a valid FQL value (use null)", t.start);
    if (name === 'function') return this.parseFunctionKeyword(depth, letNames);
    if (name === 'q' && this.isPunct(next, '.')) {
      const fn = this.peek(2);
      if (fn.type === 'error') this.fail(fn.text, fn.start);
      if (fn.type !== 'ident') this.fail(`Expected a function name after 'q.', found ${describe(fn)}`, fn.start);
      this.p += 2;
      return this.parseCall(fn, t.start, depth);
    }
    if (this.isPunct(next, '(')) return this.parseCall(t, t.start, depth);
    const bound = this.lookupVar(name);
    if (bound !== undefined) {
      this.p++;
      const json = newJsonObject();
      json.var = bound;
      return { json, kind: 'var', start: t.start, end: t.end, kids: null };
    }
    if (name === 'NaN' || name === 'Infinity') {
      this.p++;
      return { json: name === 'NaN' ? NaN : Infinity, kind: 'literal', start: t.start, end: t.end, kids: null };
    }
    if (lookupFqlFunction(name)) this.fail(`Expected '(' after the function name '${name}'`, t.end);
    return this.fail(`Unknown identifier '${name}'`, t.start);
  }

  private lookupVar(name: string): string | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i]!.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  private parseArray(depth: number): PNode {
    const open = this.peek();
    this.enter(depth, open.start);
    this.p++;
    const json: Json[] = [];
    const kids: Kid[] = [];
    while (!this.isPunct(this.peek(), ']')) {
      const t = this.peek();
      if (this.isPunct(t, ',')) this.fail('Array holes are not supported', t.start);
      const el = this.parseExpr(depth + 1);
      kids.push({ seg: String(json.length), node: el });
      json.push(el.json);
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.p++;
      else if (!this.isPunct(sep, ']')) this.fail(`Expected ',' or ']' in array, found ${describe(sep)}`, sep.start);
    }
    const close = this.peek();
    this.p++;
    return { json, kind: 'array', start: open.start, end: close.end, kids };
  }

  private parseObject(depth: number): PNode {
    const open = this.peek();
    this.enter(depth, open.start);
    this.p++;
    const entries = new Map<string, PNode>();
    while (!this.isPunct(this.peek(), '}')) {
      const keyTok = this.peek();
      let key: string;
      if (keyTok.type === 'ident') key = keyTok.text;
      else if (keyTok.type === 'string') key = keyTok.value;
      else if (keyTok.type === 'number') key = numberKey(keyTok.text);
      else if (this.isPunct(keyTok, '[')) return this.fail('Computed keys are not supported', keyTok.start);
      else return this.fail(`Expected a key or '}' in object, found ${describe(keyTok)}`, keyTok.start);
      this.p++;
      let value: PNode;
      const colon = this.peek();
      if (this.isPunct(colon, ':')) {
        this.p++;
        value = this.parseExpr(depth + 1);
      } else if (keyTok.type === 'ident' && (this.isPunct(colon, ',') || this.isPunct(colon, '}')) && this.lookupVar(key) !== undefined) {
        // Shorthand property naming a lambda parameter: {x} is {x: x}.
        const json = newJsonObject();
        json.var = this.lookupVar(key)!;
        value = { json, kind: 'var', start: keyTok.start, end: keyTok.end, kids: null };
      } else {
        return this.fail(`Expected ':' after the key '${key}', found ${describe(colon)}`, colon.start);
      }
      // JavaScript: a repeated key keeps its first position and takes the last value.
      entries.set(key, value);
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.p++;
      else if (!this.isPunct(sep, '}')) this.fail(`Expected ',' or '}' in object, found ${describe(sep)}`, sep.start);
    }
    const close = this.peek();
    this.p++;
    return this.objectLiteralNode(entries, open.start, close.end);
  }

  private objectLiteralNode(entries: Map<string, PNode>, start: number, end: number): PNode {
    const fields = newJsonObject();
    const kids: Kid[] = [];
    for (const [key, node] of entries) {
      fields[key] = node.json;
      kids.push({ seg: `"object",${this.keySeg(key)}`, node });
    }
    const json = newJsonObject();
    json.object = fields;
    return { json, kind: 'object', start, end, kids, entries };
  }

  // ---- lambdas -------------------------------------------------------------

  private isArrowAt(index: number): boolean {
    const close = this.parenMatch[index]!;
    if (close < 0) return false;
    const after = this.tokens[close + 1];
    return after !== undefined && after.type === 'punct' && after.text === '=>';
  }

  /** `x => body`, `(a, b) => body`, `([a, b]) => body`, `() => body`. */
  private parseArrow(depth: number, letNames?: string[]): PNode {
    const first = this.peek();
    this.enter(depth, first.start);
    let params: ParamPattern[];
    let paramsEnd: number;
    if (first.type === 'ident') {
      this.checkParamName(first);
      params = [{ name: first.text, json: first.text }];
      paramsEnd = first.end;
      this.p++;
    } else {
      params = this.parseParamList(depth);
      paramsEnd = this.tokens[this.p - 1]!.end;
    }
    this.expect('=>', 'in arrow function');
    return this.finishLambda(params, first.start, paramsEnd, depth, letNames, false);
  }

  /** `function (a, b) { return body }` */
  private parseFunctionKeyword(depth: number, letNames?: string[]): PNode {
    const kw = this.peek();
    this.enter(depth, kw.start);
    this.p++;
    if (this.peek().type === 'ident') this.p++; // optional function name
    if (!this.isPunct(this.peek(), '(')) this.fail(`Expected '(' after 'function', found ${describe(this.peek())}`, this.peek().start);
    const params = this.parseParamList(depth);
    const paramsEnd = this.tokens[this.p - 1]!.end;
    return this.finishLambda(params, kw.start, paramsEnd, depth, letNames, true);
  }

  private parseParamList(depth: number): ParamPattern[] {
    this.expect('(', 'before parameters');
    const params: ParamPattern[] = [];
    while (!this.isPunct(this.peek(), ')')) {
      params.push(this.parseParamPattern(depth + 1));
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.p++;
      else if (!this.isPunct(sep, ')')) this.fail(`Expected ',' or ')' in parameter list, found ${describe(sep)}`, sep.start);
    }
    this.p++;
    return params;
  }

  private parseParamPattern(depth: number): ParamPattern {
    const t = this.peek();
    if (t.type === 'ident') {
      this.checkParamName(t);
      this.p++;
      return { name: t.text, json: t.text };
    }
    if (this.isPunct(t, '[')) {
      this.enter(depth, t.start);
      this.p++;
      const items: ParamPattern[] = [];
      while (!this.isPunct(this.peek(), ']')) {
        items.push(this.parseParamPattern(depth + 1));
        const sep = this.peek();
        if (this.isPunct(sep, ',')) this.p++;
        else if (!this.isPunct(sep, ']')) this.fail(`Expected ',' or ']' in parameter pattern, found ${describe(sep)}`, sep.start);
      }
      this.p++;
      return { items, json: items.map((i) => i.json) };
    }
    if (this.isPunct(t, '{')) return this.fail('Object destructuring in parameters is not supported', t.start);
    return this.fail(`Expected a parameter name, found ${describe(t)}`, t.start);
  }

  private checkParamName(t: Token): void {
    if (RESERVED.has(t.text)) this.fail(`'${t.text}' cannot be used as a parameter name`, t.start);
  }

  private finishLambda(
    params: ParamPattern[],
    start: number,
    paramsEnd: number,
    depth: number,
    letNames: string[] | undefined,
    blockRequired: boolean,
  ): PNode {
    const scope = new Map<string, string>();
    const names: string[] = [];
    const collect = (p: ParamPattern): void => {
      if (p.name !== undefined) names.push(p.name);
      else for (const item of p.items!) collect(item);
    };
    params.forEach(collect);
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n) && n !== '_') this.fail(`Duplicate parameter name '${n}'`, start);
      seen.add(n);
    }
    if (letNames !== undefined) {
      // Let(bindings, (a, b) => body): the parameters stand for the bindings, in order.
      if (params.some((p) => p.name === undefined)) this.fail('A Let body function cannot destructure its parameters', start);
      if (params.length > letNames.length) {
        this.fail(`The Let body function takes ${params.length} parameters but there are ${letNames.length} bindings`, start);
      }
      params.forEach((p, i) => scope.set(p.name!, letNames[i]!));
    } else {
      for (const n of names) scope.set(n, n);
    }
    this.scopes.push(scope);
    let body: PNode;
    try {
      body = this.parseLambdaBody(depth, blockRequired);
    } finally {
      this.scopes.pop();
    }
    if (letNames !== undefined) return { ...body, start };
    const pattern: Json = params.length === 1 ? params[0]!.json : params.map((p) => p.json);
    const json = newJsonObject();
    json.lambda = pattern;
    json.expr = body.json;
    const paramsNode: PNode = { json: pattern, kind: 'literal', start, end: paramsEnd, kids: null };
    return {
      json,
      kind: 'lambda',
      start,
      end: this.tokens[this.p - 1]!.end,
      kids: [
        { seg: '"lambda"', node: paramsNode },
        { seg: '"expr"', node: body },
      ],
    };
  }

  private parseLambdaBody(depth: number, blockRequired: boolean): PNode {
    const t = this.peek();
    const isBlock = this.isPunct(t, '{') && (blockRequired || (this.peek(1).type === 'ident' && this.peek(1).text === 'return'));
    if (!isBlock) {
      if (blockRequired) this.fail(`Expected '{' before the function body, found ${describe(t)}`, t.start);
      return this.parseExpr(depth + 1);
    }
    this.p++;
    const ret = this.peek();
    if (ret.type !== 'ident' || ret.text !== 'return') this.fail(`Expected 'return' in function body, found ${describe(ret)}`, ret.start);
    this.p++;
    const body = this.parseExpr(depth + 1);
    while (this.isPunct(this.peek(), ';')) this.p++;
    this.expect('}', 'after the returned expression');
    return body;
  }

  // ---- function calls ------------------------------------------------------

  private parseCall(nameTok: Token, start: number, depth: number): PNode {
    this.enter(depth, start);
    const name = nameTok.text;
    const spec = lookupFqlFunction(name);
    if (!spec) {
      const suggestion = LOWERCASE_NAMES.get(name.toLowerCase());
      this.fail(`Unknown function '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`, nameTok.start);
    }
    this.p++;
    this.expect('(', `after '${name}'`);
    const args: PNode[] = [];
    while (!this.isPunct(this.peek(), ')')) {
      const letNames = spec.special === 'let' && args.length === 1 ? letBindingNames(args[0]!) : undefined;
      args.push(this.parseExpr(depth + 1, letNames));
      const sep = this.peek();
      if (this.isPunct(sep, ',')) this.p++;
      else if (!this.isPunct(sep, ')')) this.fail(`Expected ',' or ')' in the arguments of ${name}, found ${describe(sep)}`, sep.start);
    }
    const end = this.peek().end;
    this.p++;
    if (args.length < spec.minArgs || args.length > spec.maxArgs) {
      this.fail(`${name} ${arityText(spec)}, but got ${args.length}`, nameTok.start);
    }
    return this.buildCall(spec, args, start, end);
  }

  private buildCall(spec: FnSpec, args: PNode[], start: number, end: number): PNode {
    const json = newJsonObject();
    const kids: Kid[] = [];
    const set = (key: string, node: PNode): void => {
      json[key] = node.json;
      kids.push({ seg: this.keySeg(key), node });
    };
    const node: PNode = { json, kind: 'call', start, end, kids };

    switch (spec.special) {
      case 'ref':
        if (args.length === 1) {
          set('@ref', args[0]!);
          return node;
        }
        break;
      case 'bytes': {
        const arg = args[0]!;
        if (arg.kind !== 'string') this.fail('Bytes expects a base64 string literal', arg.start);
        const normalised = normaliseBase64(arg.json as string);
        if (normalised === null) this.fail('Bytes expects a valid base64 string', arg.start);
        json['@bytes'] = normalised;
        return node;
      }
      case 'lambda':
        if (args.length === 1) {
          const arg = args[0]!;
          if (arg.kind !== 'lambda' && arg.kind !== 'call' && arg.kind !== 'var') {
            this.fail('Lambda takes either a function or an expression', arg.start);
          }
          return { ...arg, start, end, kids: [{ seg: '', node: arg }] };
        }
        break;
      case 'object': {
        const arg = args[0]!;
        if (arg.kind !== 'object') this.fail('Object expects an object literal', arg.start);
        return { ...arg, start, end, kids: [{ seg: '', node: arg }] };
      }
      case 'paginate': {
        set('paginate', args[0]!);
        const opts = args[1];
        if (opts !== undefined) {
          if (opts.kind !== 'object') this.fail('Paginate options must be an object literal', opts.start);
          for (const [key, value] of opts.entries!) set(key, value);
        }
        return node;
      }
      case 'let': {
        const bindings: Json[] = [];
        const arg = args[0]!;
        const addBinding = (entries: Map<string, PNode>, single: boolean): void => {
          if (single) {
            for (const [key, value] of entries) {
              const b = newJsonObject();
              b[key] = value.json;
              kids.push({ seg: `"let",${bindings.length},${this.keySeg(key)}`, node: value });
              bindings.push(b);
            }
          } else {
            const b = newJsonObject();
            for (const [key, value] of entries) {
              b[key] = value.json;
              kids.push({ seg: `"let",${bindings.length},${this.keySeg(key)}`, node: value });
            }
            bindings.push(b);
          }
        };
        if (arg.kind === 'object') addBinding(arg.entries!, true);
        else if (arg.kind === 'array') {
          for (const kid of arg.kids!) {
            if (kid.node.kind !== 'object') this.fail('Let bindings must be object literals', kid.node.start);
            addBinding(kid.node.entries!, false);
          }
        } else this.fail('Let expects an object literal of bindings (or an array of them)', arg.start);
        json.let = bindings;
        set('in', args[1]!);
        return node;
      }
      default:
        break;
    }

    for (const slot of spec.slots) {
      switch (slot.mode) {
        case 'required':
          set(slot.key, args[slot.arg]!);
          break;
        case 'optional': {
          const a = args[slot.arg];
          if (a !== undefined && !(a.kind === 'literal' && a.json === null)) set(slot.key, a);
          break;
        }
        case 'keep': {
          const a = args[slot.arg];
          if (a !== undefined) set(slot.key, a);
          break;
        }
        case 'defaultNull': {
          const a = args[slot.arg];
          if (a !== undefined) set(slot.key, a);
          else json[slot.key] = null;
          break;
        }
        case 'rest':
        case 'restMin1':
        case 'array': {
          const rest = args.slice(slot.arg);
          if (rest.length === 1 && slot.mode !== 'array') set(slot.key, rest[0]!);
          else {
            json[slot.key] = rest.map((a) => a.json);
            rest.forEach((a, i) => kids.push({ seg: `${this.keySeg(slot.key)},${i}`, node: a }));
          }
          break;
        }
        case 'nullary':
          json[slot.key] = null;
          break;
      }
    }
    return node;
  }

  private readonly keySegs = new Map<string, string>();

  /** A key as a JSON path item. */
  private keySeg(key: string): string {
    let seg = this.keySegs.get(key);
    if (seg === undefined) {
      seg = JSON.stringify(key);
      this.keySegs.set(key, seg);
    }
    return seg;
  }
}

/** A parsed statement; its span map is built on first use (most callers never need it). */
class Statement implements ParsedStatement {
  readonly expr: Json;
  #root: PNode | null;
  #lines: LineIndex | null;
  #spans: Map<string, SourceSpan> | null = null;

  constructor(
    root: PNode,
    readonly text: string,
    readonly start: SourcePos,
    readonly end: SourcePos,
    lines: LineIndex,
  ) {
    this.expr = root.json;
    this.#root = root;
    this.#lines = lines;
  }

  get spans(): Map<string, SourceSpan> {
    if (this.#spans === null) {
      this.#spans = collectSpans(this.#root!, this.#lines!);
      this.#root = null;
      this.#lines = null;
    }
    return this.#spans;
  }
}

function collectSpans(root: PNode, lines: LineIndex): Map<string, SourceSpan> {
  const spans = new Map<string, SourceSpan>();
  const nodes: PNode[] = [root];
  const paths: string[] = [''];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const path = paths.pop()!;
    spans.set(`[${path}]`, { start: lines.pos(node.start), end: lines.pos(node.end) });
    const kids = node.kids;
    if (kids === null) continue;
    for (let i = kids.length - 1; i >= 0; i--) {
      const kid = kids[i]!;
      nodes.push(kid.node);
      paths.push(kid.seg === '' ? path : path === '' ? kid.seg : `${path},${kid.seg}`);
    }
  }
  return spans;
}

interface ParamPattern {
  name?: string;
  items?: ParamPattern[];
  json: Json;
}

function letBindingNames(arg: PNode): string[] | undefined {
  if (arg.kind === 'object') return [...arg.entries!.keys()];
  if (arg.kind === 'array') {
    const names: string[] = [];
    for (const kid of arg.kids!) {
      if (kid.node.kind !== 'object') return undefined;
      names.push(...kid.node.entries!.keys());
    }
    return names;
  }
  return undefined;
}

function arityText(spec: FnSpec): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (spec.minArgs === spec.maxArgs) return `expects ${spec.minArgs === 0 ? 'no arguments' : `exactly ${plural(spec.minArgs)}`}`;
  if (spec.maxArgs === Infinity) return `expects at least ${plural(spec.minArgs)}`;
  if (spec.minArgs === 0) return `expects at most ${plural(spec.maxArgs)}`;
  return `expects ${spec.minArgs} to ${spec.maxArgs} arguments`;
}

function describe(t: Token): string {
  switch (t.type) {
    case 'eof':
      return 'end of input';
    case 'string':
      return 'a string';
    case 'number':
      return `number ${t.text}`;
    case 'ident':
      return `'${t.text}'`;
    default:
      return `'${t.text}'`;
  }
}

/** The value of a number literal: integers are 64-bit bigints, anything else a double. */
export function numberValue(literal: string, negative: boolean): Json {
  const radix = /^0[xob]/.test(literal);
  if (radix || !/[.e]/.test(literal)) {
    let big = BigInt(literal);
    if (negative) big = -big;
    if (big >= INT64_MIN && big <= INT64_MAX) return big;
    return Number(big);
  }
  const d = Number(literal);
  return negative ? -d : d;
}

function numberKey(literal: string): string {
  const v = numberValue(literal, false);
  return typeof v === 'bigint' ? v.toString() : String(v);
}

function normaliseBase64(s: string): string | null {
  if (s.length % 4 !== 0 || !/^[A-Za-z0-9+/\-_]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, 'base64').toString('base64');
}

