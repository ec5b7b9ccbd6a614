/** Positions and the syntax error of the FQL text parser. */

export interface SourcePos {
  /** UTF-16 offset into the text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column, in UTF-16 code units. */
  column: number;
}

export class FqlSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without the position suffix. */
  readonly reason: string;

  constructor(reason: string, pos: SourcePos) {
    super(`${reason} at line ${pos.line}, column ${pos.column}`);
    this.name = 'FqlSyntaxError';
    this.reason = reason;
    this.line = pos.line;
    this.column = pos.column;
    this.offset = pos.offset;
  }
}

/** Maps offsets to line/column. Lines end at \n, \r\n or \r. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a) this.starts.push(i + 1);
      else if (c === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        this.starts.push(i + 1);
      }
    }
  }

  private last = 0;

  pos(offset: number): SourcePos {
    const starts = this.starts;
    // Positions are mostly asked for in increasing order: try the last line and the next first.
    const l = this.last;
    if (starts[l]! <= offset && (l + 1 >= starts.length || offset < starts[l + 1]!)) {
      return { offset, line: l + 1, column: offset - starts[l]! + 1 };
    }
    if (l + 1 < starts.length && starts[l + 1]! <= offset && (l + 2 >= starts.length || offset < starts[l + 2]!)) {
      this.last = l + 1;
      return { offset, line: l + 2, column: offset - starts[l + 1]! + 1 };
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    this.last = lo;
    return { offset, line: lo + 1, column: offset - starts[lo]! + 1 };
  }
}
