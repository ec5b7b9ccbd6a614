/** The FQL v4 text parser: shell syntax -> wire-format expressions. */
export { parseFql, MAX_NESTING, type ParsedStatement, type SourceSpan } from './parser.js';
export { FqlSyntaxError, type SourcePos } from './errors.js';
