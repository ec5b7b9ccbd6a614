/**
 * The FQL v4 function catalogue: how each function of the shell's syntax maps
 * its positional arguments onto the wire form (the JSON the official `faunadb`
 * JS driver sends). Shared by the text parser (text -> wire) and the printer
 * (wire -> text), so the two stay each other's inverse.
 *
 * Each entry is a small spec string, one token per wire key, in the key order
 * the driver writes:
 *
 *   key        required argument (argument index = position among positional tokens)
 *   key@N      the argument with index N (for argument-order quirks such as Map)
 *   key?       optional; omitted when absent or when the argument is the literal null
 *              (the driver's `params()` helper)
 *   key!       optional; omitted only when absent (null is kept)
 *   key^       optional; null when absent (native collections' scope)
 *   key*       the remaining arguments, varargs convention: none -> [], one -> unwrapped,
 *              several -> array
 *   key+       all arguments from here, at least one, varargs convention
 *   key[]      all arguments from here, at least one, always an array (Do)
 *   key()      no arguments; the key's value is null (Now, NewId, ...)
 */

export type SlotMode =
  | 'required'
  | 'optional'
  | 'keep'
  | 'defaultNull'
  | 'rest'
  | 'restMin1'
  | 'array'
  | 'nullary';

export interface Slot {
  readonly key: string;
  /** Index of the (first) argument this slot takes. */
  readonly arg: number;
  readonly mode: SlotMode;
}

/** Functions whose wire form is not a plain slot mapping. */
export type SpecialForm = 'ref' | 'bytes' | 'let' | 'lambda' | 'object' | 'paginate';

export interface FnSpec {
  readonly name: string;
  /** The key that identifies the form (the first wire key). */
  readonly head: string;
  readonly slots: readonly Slot[];
  readonly keys: ReadonlySet<string>;
  readonly minArgs: number;
  readonly maxArgs: number;
  readonly special?: SpecialForm;
}

const TABLE: Readonly<Record<string, string>> = {
  // Basic forms
  Ref: 'ref id', // special: one argument gives {"@ref": path}
  Bytes: '@bytes', // special
  Abort: 'abort',
  At: 'at expr',
  Let: 'let in', // special
  Var: 'var',
  If: 'if then else',
  Do: 'do[]',
  Object: 'object', // special
  Lambda: 'lambda expr', // special: one argument passes a function through
  Call: 'call arguments*',
  Query: 'query',
  First: 'first', // server v4 (not in the JS driver)
  Last: 'last', // server v4 (not in the JS driver)

  // Collection functions
  Map: 'map@1 collection@0',
  Foreach: 'foreach@1 collection@0',
  Filter: 'filter@1 collection@0',
  Take: 'take collection',
  Drop: 'drop collection',
  Prepend: 'prepend collection',
  Append: 'append collection',
  IsEmpty: 'is_empty',
  IsNonEmpty: 'is_nonempty',
  Reduce: 'reduce initial collection',
  Count: 'count',
  Sum: 'sum',
  Mean: 'mean',
  Any: 'any',
  All: 'all',

  // Type checks
  IsNumber: 'is_number',
  IsDouble: 'is_double',
  IsInteger: 'is_integer',
  IsBoolean: 'is_boolean',
  IsNull: 'is_null',
  IsBytes: 'is_bytes',
  IsTimestamp: 'is_timestamp',
  IsDate: 'is_date',
  IsString: 'is_string',
  IsArray: 'is_array',
  IsObject: 'is_object',
  IsRef: 'is_ref',
  IsSet: 'is_set',
  IsDoc: 'is_doc',
  IsLambda: 'is_lambda',
  IsCollection: 'is_collection',
  IsDatabase: 'is_database',
  IsIndex: 'is_index',
  IsFunction: 'is_function',
  IsKey: 'is_key',
  IsToken: 'is_token',
  IsCredentials: 'is_credentials',
  IsRole: 'is_role',

  // Read
  Get: 'get ts?',
  KeyFromSecret: 'key_from_secret',
  Paginate: 'paginate', // special: options object spread to the top level
  Exists: 'exists ts?',

  // Write
  Create: 'create params!',
  Update: 'update params',
  Replace: 'replace params',
  Delete: 'delete',
  Insert: 'insert ts action params',
  Remove: 'remove ts action',
  CreateClass: 'create_class',
  CreateCollection: 'create_collection',
  CreateDatabase: 'create_database',
  CreateIndex: 'create_index',
  CreateKey: 'create_key',
  CreateFunction: 'create_function',
  CreateRole: 'create_role',
  CreateAccessProvider: 'create_access_provider',
  MoveDatabase: 'move_database to',

  // Sets
  Singleton: 'singleton',
  Events: 'events',
  Match: 'match terms*',
  Union: 'union+',
  Intersection: 'intersection+',
  Difference: 'difference+',
  Distinct: 'distinct',
  Join: 'join with',
  Range: 'range from to',
  Documents: 'documents',
  Reverse: 'reverse',

  // Objects and paths
  Merge: 'merge with lambda?',
  Contains: 'contains in',
  ContainsPath: 'contains_path in',
  ContainsField: 'contains_field in',
  ContainsValue: 'contains_value in',
  Select: 'select from default!',
  SelectAll: 'select_all from',
  ToObject: 'to_object',
  ToArray: 'to_array',

  // Authentication
  Login: 'login params',
  Logout: 'logout',
  Identify: 'identify password',
  Identity: 'identity()',
  CurrentIdentity: 'current_identity()',
  HasIdentity: 'has_identity()',
  HasCurrentIdentity: 'has_current_identity()',
  CurrentToken: 'current_token()',
  HasCurrentToken: 'has_current_token()',

  // Strings
  Concat: 'concat separator?',
  Casefold: 'casefold normalizer?',
  ContainsStr: 'containsstr search',
  ContainsStrRegex: 'containsstrregex pattern',
  StartsWith: 'startswith search',
  EndsWith: 'endswith search',
  RegexEscape: 'regexescape',
  FindStr: 'findstr find start?',
  FindStrRegex: 'findstrregex pattern start? num_results?',
  Length: 'length',
  LowerCase: 'lowercase',
  LTrim: 'ltrim',
  NGram: 'ngram min? max?',
  Repeat: 'repeat number?',
  ReplaceStr: 'replacestr find replace',
  ReplaceStrRegex: 'replacestrregex pattern replace first?',
  RTrim: 'rtrim',
  Space: 'space',
  SubString: 'substring start? length?',
  TitleCase: 'titlecase',
  Trim: 'trim',
  UpperCase: 'uppercase',
  Format: 'format values*',

  // Time and date
  Time: 'time',
  TimeAdd: 'time_add offset unit',
  TimeSubtract: 'time_subtract offset unit',
  TimeDiff: 'time_diff other unit',
  Epoch: 'epoch unit',
  Date: 'date',
  Now: 'now()',
  ToSeconds: 'to_seconds',
  ToMillis: 'to_millis',
  ToMicros: 'to_micros',
  DayOfMonth: 'day_of_month',
  DayOfWeek: 'day_of_week',
  DayOfYear: 'day_of_year',
  Second: 'second',
  Minute: 'minute',
  Hour: 'hour',
  Month: 'month',
  Year: 'year',
  ToDate: 'to_date',
  ToTime: 'to_time',

  // Miscellaneous, schema refs and native collections
  NextId: 'next_id()',
  NewId: 'new_id()',
  // Stockroom extension: the ledger of committed transactions, as a set.
  Ledger: 'ledger()',
  Database: 'database scope!',
  Index: 'index scope!',
  Class: 'class scope!',
  Collection: 'collection scope!',
  Function: 'function scope!',
  Role: 'role scope?',
  AccessProvider: 'access_provider',
  AccessProviders: 'access_providers^',
  Classes: 'classes^',
  Collections: 'collections^',
  Databases: 'databases^',
  Indexes: 'indexes^',
  Functions: 'functions^',
  Roles: 'roles^',
  Keys: 'keys^',
  Tokens: 'tokens^',
  Credentials: 'credentials^',

  // Comparison and logic
  Equals: 'equals+',
  LT: 'lt+',
  LTE: 'lte+',
  GT: 'gt+',
  GTE: 'gte+',
  And: 'and+',
  Or: 'or+',
  Not: 'not',

  // Math
  Abs: 'abs',
  Add: 'add+',
  BitAnd: 'bitand+',
  BitNot: 'bitnot',
  BitOr: 'bitor+',
  BitXor: 'bitxor+',
  Ceil: 'ceil',
  Divide: 'divide+',
  Floor: 'floor',
  Max: 'max+',
  Min: 'min+',
  Modulo: 'modulo+',
  Multiply: 'multiply+',
  Round: 'round precision?',
  Subtract: 'subtract+',
  Sign: 'sign',
  Sqrt: 'sqrt',
  Trunc: 'trunc precision?',
  Acos: 'acos',
  Asin: 'asin',
  Atan: 'atan',
  Cos: 'cos',
  Cosh: 'cosh',
  Degrees: 'degrees',
  Exp: 'exp',
  Hypot: 'hypot b?',
  Ln: 'ln',
  Log: 'log',
  Pow: 'pow exp?',
  Radians: 'radians',
  Sin: 'sin',
  Sinh: 'sinh',
  Tan: 'tan',
  Tanh: 'tanh',

  // Conversions
  ToString: 'to_string',
  ToNumber: 'to_number',
  ToDouble: 'to_double',
  ToInteger: 'to_integer',
};

const SPECIAL: Readonly<Record<string, { special: SpecialForm; min: number; max: number }>> = {
  Ref: { special: 'ref', min: 1, max: 2 },
  Bytes: { special: 'bytes', min: 1, max: 1 },
  Let: { special: 'let', min: 2, max: 2 },
  Lambda: { special: 'lambda', min: 1, max: 2 },
  Object: { special: 'object', min: 1, max: 1 },
  Paginate: { special: 'paginate', min: 1, max: 2 },
};

function compile(name: string, text: string): FnSpec {
  const slots: Slot[] = [];
  let position = 0;
  let min = 0;
  let max = 0;
  for (const token of text.split(' ')) {
    const m = /^(@?[a-z_]+)(?:@(\d+))?(\?|!|\^|\*|\+|\[\]|\(\))?$/.exec(token);
    if (!m) throw new Error(`Bad catalogue entry for ${name}: ${token}`);
    const key = m[1]!;
    const arg = m[2] !== undefined ? Number(m[2]) : position;
    const suffix = m[3] ?? '';
    let mode: SlotMode;
    switch (suffix) {
      case '?': mode = 'optional'; break;
      case '!': mode = 'keep'; break;
      case '^': mode = 'defaultNull'; break;
      case '*': mode = 'rest'; break;
      case '+': mode = 'restMin1'; break;
      case '[]': mode = 'array'; break;
      case '()': mode = 'nullary'; break;
      default: mode = 'required';
    }
    slots.push({ key, arg, mode });
    if (mode === 'nullary') continue;
    position++;
    if (mode === 'required') min++;
    if (mode === 'restMin1' || mode === 'array') {
      min++;
      max = Infinity;
    } else if (mode === 'rest') max = Infinity;
    else max = Math.max(max, arg + 1);
  }
  const special = SPECIAL[name];
  return {
    name,
    head: slots[0]!.key,
    slots,
    keys: new Set(slots.map((s) => s.key)),
    minArgs: special ? special.min : min,
    maxArgs: special ? special.max : max,
    ...(special ? { special: special.special } : {}),
  };
}

/** Every function of the shell syntax, by its name (`Create`, `Paginate`, ...). */
export const FQL_FUNCTIONS: ReadonlyMap<string, FnSpec> = new Map(
  Object.entries(TABLE).map(([name, text]) => [name, compile(name, text)]),
);

/** Specs by the wire key that identifies them (`create`, `map`, ...). */
export const FQL_FUNCTIONS_BY_HEAD: ReadonlyMap<string, FnSpec> = (() => {
  const out = new Map<string, FnSpec>();
  for (const spec of FQL_FUNCTIONS.values()) {
    if (out.has(spec.head)) throw new Error(`Duplicate head key ${spec.head}`);
    out.set(spec.head, spec);
  }
  return out;
})();

/** Looks a function up by name; `Object.prototype` names are not functions. */
export function lookupFqlFunction(name: string): FnSpec | undefined {
  return FQL_FUNCTIONS.get(name);
}

/** Native collections: ref id -> the function that names it. */
export const NATIVE_COLLECTION_FUNCTIONS: Readonly<Record<string, string>> = {
  collections: 'Collections',
  indexes: 'Indexes',
  functions: 'Functions',
  databases: 'Databases',
  keys: 'Keys',
  tokens: 'Tokens',
  credentials: 'Credentials',
  roles: 'Roles',
  access_providers: 'AccessProviders',
  classes: 'Classes',
};

/** Schema documents printed as `Collection("x")` and the like: native collection id -> function. */
export const SCHEMA_REF_FUNCTIONS: Readonly<Record<string, string>> = {
  collections: 'Collection',
  indexes: 'Index',
  functions: 'Function',
  roles: 'Role',
  databases: 'Database',
  classes: 'Class',
};
