/**
 * Fauna-shaped errors: every failure the engine reports has a `code`, a
 * `description` and a `position` (the path from the root of the request
 * expression to the failing sub-expression).
 */
import type { Json } from '../../shared/fql/json.js';
import { formatInstant } from './values/time.js';

export type Position = (string | number)[];

export interface ValidationFailure {
  field: (string | number)[];
  code: string;
  description: string;
}

export interface FaunaErrorJson {
  position?: Position;
  code: string;
  description: string;
  failures?: ValidationFailure[];
  cause?: FaunaErrorJson[];
}

export class FaunaError extends Error {
  constructor(
    readonly code: string,
    readonly description: string,
    public position: Position | undefined = [],
    readonly failures?: ValidationFailure[],
    readonly causes?: FaunaErrorJson[],
  ) {
    super(`${code}: ${description}`);
    this.name = 'FaunaError';
  }

  toJSON(): FaunaErrorJson {
    const out: FaunaErrorJson = { code: this.code, description: this.description };
    const ordered: FaunaErrorJson = this.position === undefined ? out : { position: this.position, ...out };
    if (this.failures) ordered.failures = this.failures;
    if (this.causes) ordered.cause = this.causes;
    return ordered;
  }

  /** HTTP status, as FaunaDB maps error codes. */
  get httpStatus(): number {
    return statusOf(this.code, this.description);
  }
}

export function statusOf(code: string, description: string): number {
  switch (code) {
    case 'value not found':
    case 'schema not found':
    case 'not found':
      return 404;
    case 'instance not found':
      return /is not active|No key found/.test(description) ? 400 : 404;
    case 'permission denied':
      return 403;
    case 'unauthorized':
      return 401;
    case 'method not allowed':
      return 405;
    case 'contended transaction':
      return 409;
    case 'request too large':
      return 413;
    case 'too many requests':
      return 429;
    case 'internal server error':
      return 500;
    case 'time out':
      return 503;
    case 'processing time limit exceeded':
      return 440;
    default:
      return 400;
  }
}

// Constructors for the errors the evaluator raises most often.

export const invalidArgument = (description: string, position: Position): FaunaError =>
  new FaunaError('invalid argument', description, position);

export const invalidExpression = (description: string, position: Position): FaunaError =>
  new FaunaError('invalid expression', description, position);

export const invalidRef = (description: string, position: Position): FaunaError =>
  new FaunaError('invalid ref', description, position);

export const notFound = (description: string, position: Position): FaunaError =>
  new FaunaError('instance not found', description, position);

export const validationFailed = (failures: ValidationFailure[], position: Position, description = 'document data is not valid.'): FaunaError =>
  new FaunaError('validation failed', description, position, failures);

/**
 * A read at a time below the history retention floor. As in FaunaDB it ends
 * the whole request (no position, never wrapped in a `call error`).
 */
export function belowHistoryFloor(requested: bigint, floor: bigint): FaunaError {
  // As FaunaDB words it, with both times as ISO instants (they are µs here).
  const err = new FaunaError('bad request', `Requested timestamp ${formatInstant(requested * 1000n)} less than minimum allowed timestamp ${formatInstant(floor * 1000n)}.`);
  err.position = undefined; // (the constructor gives [] for a missing position)
  return err;
}

/** True for errors that end the whole request wherever they arise (a UDF passes them on as they are). */
export function endsRequest(err: FaunaError): boolean {
  return err.code === 'processing time limit exceeded' || (err.code === 'bad request' && err.position === undefined);
}

/** Converts anything thrown during evaluation into a FaunaError (internal faults included). */
export function toFaunaError(err: unknown): FaunaError {
  if (err instanceof FaunaError) return err;
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new FaunaError('stack overflow', 'Expression nested too deeply to evaluate.', []);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new FaunaError('internal server error', message, []);
}

export function errorsJson(err: FaunaError): { errors: FaunaErrorJson[] } {
  return { errors: [err.toJSON()] };
}

export type { Json };
