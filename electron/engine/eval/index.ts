/**
 * Loads every function family so that its forms are registered, and exports
 * the compiler.
 */
import './forms/basic.js';
import './forms/refs.js';
import './forms/documents.js';
import './forms/call.js';
import './forms/paginate.js';
import './forms/history.js';
import './forms/ledger.js';
import './schema/collections.js';
import './schema/functions.js';
import './schema/constraints.js';
import './sets/documents.js';
import './sets/native.js';
import './sets/combinators.js';
import './families.js';

export { compile, compileSized, ROOT_SCOPE } from './compile.js';
export { EMPTY_ENV } from './types.js';
export { EvalContext, DEFAULT_LIMITS, type Limits } from './context.js';
export { formNames } from './registry.js';
import './indexes/kind.js';
import './indexes/match.js';
import { EntryMaintainer } from './indexes/maintainer.js';
import { installIndexMaintainer } from '../engine-hooks.js';
installIndexMaintainer(() => new EntryMaintainer());
