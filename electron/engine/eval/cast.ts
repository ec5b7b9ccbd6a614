/**
 * Argument casts with FaunaDB's messages: "Integer expected, String provided."
 */
import { invalidArgument, type Position } from '../errors.js';
import { Bytes, FDate, FTime, LambdaValue, Page, Ref, SetRef, isObject, type FObject, type Value } from '../values/value.js';

/** The FQL type name of a value, as error messages spell it. */
export function typeName(v: Value | undefined): string {
  switch (typeof v) {
    case 'bigint':
      return 'Integer';
    case 'number':
      return 'Double';
    case 'string':
      return 'String';
    case 'boolean':
      return 'Boolean';
    case 'undefined':
      return 'Null';
    default:
      break;
  }
  if (v === null) return 'Null';
  if (Array.isArray(v)) return 'Array';
  if (v instanceof Ref) return 'Ref';
  if (v instanceof FTime) return 'Time';
  if (v instanceof FDate) return 'Date';
  if (v instanceof Bytes) return 'Bytes';
  if (v instanceof SetRef) return 'Set';
  if (v instanceof LambdaValue) return 'Lambda';
  if (v instanceof Page) return 'Page';
  return 'Object';
}

export function expected(what: string, v: Value | undefined, position: Position): never {
  throw invalidArgument(`${what} expected, ${typeName(v)} provided.`, position);
}

export function castInt(v: Value | undefined, position: Position): bigint {
  if (typeof v === 'bigint') return v;
  return expected('Integer', v, position);
}

export function castNumber(v: Value | undefined, position: Position): bigint | number {
  if (typeof v === 'bigint' || typeof v === 'number') return v;
  return expected('Number', v, position);
}

export function castDouble(v: Value | undefined, position: Position): number {
  if (typeof v === 'number') return v;
  return expected('Double', v, position);
}

export function castString(v: Value | undefined, position: Position): string {
  if (typeof v === 'string') return v;
  return expected('String', v, position);
}

export function castBoolean(v: Value | undefined, position: Position): boolean {
  if (typeof v === 'boolean') return v;
  return expected('Boolean', v, position);
}

export function castArray(v: Value | undefined, position: Position): Value[] {
  if (Array.isArray(v)) return v;
  return expected('Array', v, position);
}

export function castObject(v: Value | undefined, position: Position): FObject {
  if (isObject(v)) return v;
  return expected('Object', v, position);
}

export function castRef(v: Value | undefined, position: Position): Ref {
  if (v instanceof Ref) return v;
  return expected('Ref', v, position);
}

export function castTime(v: Value | undefined, position: Position): FTime {
  if (v instanceof FTime) return v;
  return expected('Time', v, position);
}

export function castDate(v: Value | undefined, position: Position): FDate {
  if (v instanceof FDate) return v;
  return expected('Date', v, position);
}

export function castLambda(v: Value | undefined, position: Position): LambdaValue {
  if (v instanceof LambdaValue) return v;
  return expected('Lambda', v, position);
}

export function castSet(v: Value | undefined, position: Position): SetRef {
  if (v instanceof SetRef) return v;
  if (v instanceof Ref && v.isNative) return new SetRef({ kind: 'native', native: v });
  return expected('Set', v, position);
}

/** A varargs argument: one value unwrapped, several as an array. */
export function asList(v: Value | undefined): Value[] {
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** A non-negative safe index / count from an Integer argument. */
export function castSize(v: Value | undefined, position: Position): number {
  const n = castInt(v, position);
  if (n > 9007199254740991n) return Number.MAX_SAFE_INTEGER;
  if (n < -9007199254740991n) return -Number.MAX_SAFE_INTEGER;
  return Number(n);
}
