/**
 * Checkers: pure functions from a history (and the workload's parameters) to
 * a verdict. Each one is unit-tested with hand-made bad histories in
 * checkers.test.ts, so that a passing workload means something.
 */
import { isDeepStrictEqual } from 'node:util';
import { pairs, type Op, type OpError } from './history.js';

export interface CheckResult {
  valid: boolean;
  errors: string[];
  stats: Record<string, number>;
}

function result(errors: string[], stats: Record<string, number> = {}): CheckResult {
  return { valid: errors.length === 0, errors, stats };
}

/** Shortens a long error list for assertion messages. */
export function describeResult(r: CheckResult, max = 20): string {
  const more = r.errors.length > max ? `\n... and ${r.errors.length - max} more` : '';
  return `${r.errors.slice(0, max).join('\n')}${more}\nstats: ${JSON.stringify(r.stats)}`;
}

const show = (v: unknown): string => JSON.stringify(v);

/** The description of an Abort, at the top level or as the cause of a call error; null for any other error. */
export function abortDescription(e: OpError | undefined): string | null {
  if (!e) return null;
  if (e.code === 'transaction aborted') return e.description;
  if (e.code === 'call error' && e.cause?.[0]?.code === 'transaction aborted') return e.cause[0].description;
  return null;
}

function errorText(e: OpError | undefined): string {
  return e ? `${e.code}: ${e.description}${e.cause ? ` (cause: ${e.cause.map((c) => `${c.code}: ${c.description}`).join('; ')})` : ''}` : 'no error';
}

// --- well-formedness ---------------------------------------------------------

/**
 * Every process is a single thread of operations: an invoke, then exactly one
 * completion of the same function, never earlier than the invoke; no
 * completion without an invoke. `allowOpen` lets invokes stay open at the end
 * (a killed process).
 */
export function checkWellFormed(ops: readonly Op[], options: { allowOpen?: boolean } = {}): CheckResult {
  const errors: string[] = [];
  const open = new Map<string, Op>();
  let maxConcurrency = 0;
  for (const op of ops) {
    const pending = open.get(op.process);
    if (op.type === 'invoke') {
      if (pending) errors.push(`process ${op.process}: invoke #${op.index} (${op.f}) while #${pending.index} (${pending.f}) is still open`);
      open.set(op.process, op);
      maxConcurrency = Math.max(maxConcurrency, open.size);
      continue;
    }
    if (!pending) {
      errors.push(`process ${op.process}: ${op.type} #${op.index} (${op.f}) without an invoke`);
      continue;
    }
    if (pending.f !== op.f) errors.push(`process ${op.process}: ${op.type} #${op.index} is for ${op.f}, but the open invoke #${pending.index} is ${pending.f}`);
    if (op.time < pending.time) errors.push(`process ${op.process}: completion #${op.index} is earlier than its invoke #${pending.index}`);
    open.delete(op.process);
  }
  if (!options.allowOpen) for (const op of open.values()) errors.push(`process ${op.process}: invoke #${op.index} (${op.f}) never completed`);
  return result(errors, { ops: ops.length, processes: new Set(ops.map((o) => o.process)).size, maxConcurrency });
}

// --- bank ----------------------------------------------------------------------

export interface BankOptions {
  accounts: number;
  /** Initial balance of each account, in account order. */
  initial: number[];
}

export interface BankRead {
  via: string;
  balances: number[];
}

export interface BankTransfer {
  from: number;
  to: number;
  amount: number;
}

/**
 * Every read (and the final read) sees every account, no negative balance, and
 * the balances sum to the total. A transfer only fails by the overdraft abort.
 * When no transfer is indeterminate, the final balances are exactly the
 * initial ones plus the successful transfers (addition commutes, so the order
 * does not matter — a lost or doubled transfer does).
 */
export function checkBank(ops: readonly Op[], o: BankOptions): CheckResult {
  const errors: string[] = [];
  const total = o.initial.reduce((a, b) => a + b, 0);
  const expected = [...o.initial];
  let reads = 0;
  let transfersOk = 0;
  let overdrafts = 0;
  let indeterminate = 0;
  const checkBalances = (op: Op, r: BankRead): void => {
    if (!Array.isArray(r.balances) || r.balances.length !== o.accounts) {
      errors.push(`#${op.index} ${op.f} via ${r.via}: saw ${Array.isArray(r.balances) ? r.balances.length : 'no'} accounts, expected ${o.accounts}: ${show(r.balances)}`);
      return;
    }
    const sum = r.balances.reduce((a, b) => a + b, 0);
    if (sum !== total) errors.push(`#${op.index} ${op.f} via ${r.via}: balances ${show(r.balances)} sum to ${sum}, not ${total}`);
    r.balances.forEach((b, i) => {
      if (b < 0) errors.push(`#${op.index} ${op.f} via ${r.via}: account ${i} is negative (${b})`);
    });
  };
  let final: BankRead | null = null;
  let finalOp: Op | null = null;
  for (const op of ops) {
    if (op.type === 'invoke') continue;
    if (op.f === 'read' || op.f === 'final') {
      if (op.type !== 'ok') {
        errors.push(`#${op.index} ${op.f} did not succeed: ${errorText(op.error)}`);
        continue;
      }
      reads++;
      checkBalances(op, op.value as BankRead);
      if (op.f === 'final') {
        final = op.value as BankRead;
        finalOp = op;
      }
    } else if (op.f === 'transfer') {
      const t = op.value as BankTransfer;
      if (op.type === 'ok') {
        transfersOk++;
        expected[t.from]! -= t.amount;
        expected[t.to]! += t.amount;
      } else if (op.type === 'fail') {
        const d = abortDescription(op.error);
        if (d === null || !d.includes('overdraft')) errors.push(`#${op.index} transfer failed for a reason other than an overdraft: ${errorText(op.error)}`);
        else overdrafts++;
      } else {
        indeterminate++;
      }
    }
  }
  if (final === null) errors.push('no final read');
  else if (indeterminate === 0 && !isDeepStrictEqual(final.balances, expected)) {
    errors.push(`#${finalOp!.index} final balances ${show(final.balances)} differ from the initial balances plus the ${transfersOk} successful transfers: ${show(expected)}`);
  }
  if (indeterminate > 0) errors.push(`${indeterminate} transfers have an unknown outcome`);
  return result(errors, { reads, transfersOk, overdrafts, indeterminate });
}

// --- oversell ------------------------------------------------------------------

export interface OversellOptions {
  /** Stock of each product before the run, by product id. */
  initial: Record<string, number>;
}

export interface OrderValue {
  product: string;
  quantity: number;
}

export interface OversellFinal {
  stock: Record<string, number>;
  sold: Record<string, number>;
}

/**
 * Orders of one unit each: per product, the number accepted is exactly
 * min(stock, demand); every refusal is the out-of-stock abort for that
 * product; finally stock is never negative and stock + sold = initial, where
 * sold is what the orders in the database add up to and equals what was
 * accepted.
 */
export function checkOversell(ops: readonly Op[], o: OversellOptions): CheckResult {
  const errors: string[] = [];
  const demand: Record<string, number> = {};
  const accepted: Record<string, number> = {};
  let refused = 0;
  let final: OversellFinal | null = null;
  for (const p of pairs(ops)) {
    if (p.invoke.f === 'final') {
      if (p.complete?.type === 'ok') final = p.complete.value as OversellFinal;
      else errors.push(`final read did not succeed: ${errorText(p.complete?.error)}`);
      continue;
    }
    if (p.invoke.f !== 'order') continue;
    const v = p.invoke.value as OrderValue;
    if (v.quantity !== 1) errors.push(`#${p.invoke.index}: order of ${v.quantity} units; this checker expects one-unit orders`);
    demand[v.product] = (demand[v.product] ?? 0) + v.quantity;
    const c = p.complete;
    if (c === null || c.type === 'info') {
      errors.push(`#${p.invoke.index}: order for ${v.product} has an unknown outcome`);
    } else if (c.type === 'ok') {
      accepted[v.product] = (accepted[v.product] ?? 0) + v.quantity;
    } else {
      refused++;
      const d = abortDescription(c.error);
      if (d === null || !d.startsWith(`Stock quantity for Product [${v.product}] not enough`)) {
        errors.push(`#${c.index}: order for ${v.product} refused for a reason other than its stock: ${errorText(c.error)}`);
      }
    }
  }
  for (const [product, stock] of Object.entries(o.initial)) {
    const want = Math.min(stock, demand[product] ?? 0);
    const got = accepted[product] ?? 0;
    if (got !== want) errors.push(`product ${product}: ${got} orders accepted, expected min(stock ${stock}, demand ${demand[product] ?? 0}) = ${want}`);
  }
  for (const product of Object.keys(demand)) if (!(product in o.initial)) errors.push(`orders for unknown product ${product}`);
  if (final === null) errors.push('no final read');
  else {
    for (const [product, initial] of Object.entries(o.initial)) {
      const stock = final.stock[product];
      const sold = final.sold[product] ?? 0;
      if (stock === undefined) {
        errors.push(`product ${product} missing from the final read`);
        continue;
      }
      if (stock < 0) errors.push(`product ${product}: stock is ${stock}`);
      if (stock + sold !== initial) errors.push(`product ${product}: stock ${stock} + sold ${sold} = ${stock + sold}, not the initial ${initial}`);
      if (sold !== (accepted[product] ?? 0)) errors.push(`product ${product}: orders in the database add up to ${sold}, but ${accepted[product] ?? 0} were accepted`);
    }
  }
  const sum = (r: Record<string, number>): number => Object.values(r).reduce((a, b) => a + b, 0);
  return result(errors, { orders: sum(demand), accepted: sum(accepted), refused, products: Object.keys(o.initial).length });
}

// --- lost update -----------------------------------------------------------------

export interface ListRead {
  items: unknown[];
}

/**
 * Read-modify-write appends to one array. In the final array every
 * acknowledged element appears exactly once, no failed or never-invoked
 * element appears, and nothing appears twice. Every read is a prefix of the
 * final array (appends only add at the end) and contains every element whose
 * append was acknowledged before the read began (more than `slackMs` earlier,
 * for clocks of different processes).
 */
export function checkLostUpdate(ops: readonly Op[], options: { slackMs?: number } = {}): CheckResult {
  const errors: string[] = [];
  const slack = options.slackMs ?? 0;
  const key = (v: unknown): string => JSON.stringify(v);
  const invoked = new Set<string>();
  const acked: { element: string; at: number; index: number }[] = [];
  const failed = new Set<string>();
  let final: unknown[] | null = null;
  const reads: { items: unknown[]; invokedAt: number; index: number }[] = [];
  let indeterminate = 0;
  for (const p of pairs(ops)) {
    const c = p.complete;
    if (p.invoke.f === 'append') {
      const el = key((p.invoke.value as { element: unknown }).element);
      invoked.add(el);
      if (c?.type === 'ok') acked.push({ element: el, at: c.time, index: c.index });
      else if (c?.type === 'fail') {
        failed.add(el);
        errors.push(`#${c.index}: append of ${el} failed: ${errorText(c.error)}`);
      } else indeterminate++;
    } else if (p.invoke.f === 'read' || p.invoke.f === 'final') {
      if (c?.type !== 'ok') {
        errors.push(`#${p.invoke.index} ${p.invoke.f} did not succeed: ${errorText(c?.error)}`);
        continue;
      }
      const items = (c.value as ListRead).items;
      if (p.invoke.f === 'final') final = items;
      else reads.push({ items, invokedAt: p.invoke.time, index: c.index });
    }
  }
  if (final === null) return result([...errors, 'no final read'], {});
  const finalKeys = final.map(key);
  const count = new Map<string, number>();
  for (const k of finalKeys) count.set(k, (count.get(k) ?? 0) + 1);
  for (const [k, n] of count) {
    if (n > 1) errors.push(`element ${k} appears ${n} times in the final array`);
    if (!invoked.has(k)) errors.push(`element ${k} is in the final array but was never appended`);
    if (failed.has(k)) errors.push(`element ${k} is in the final array although its append failed`);
  }
  for (const a of acked) if (!count.has(a.element)) errors.push(`lost update: element ${a.element} (acknowledged at #${a.index}) is missing from the final array`);
  for (const r of reads) {
    const ks = r.items.map(key);
    if (ks.length > finalKeys.length || ks.some((k, i) => k !== finalKeys[i])) errors.push(`#${r.index}: read ${show(r.items)} is not a prefix of the final array`);
    const seen = new Set(ks);
    for (const a of acked) {
      if (a.at + slack < r.invokedAt && !seen.has(a.element)) errors.push(`#${r.index}: stale read: misses ${a.element}, acknowledged at #${a.index} before the read began`);
    }
  }
  return result(errors, { appends: invoked.size, acked: acked.length, reads: reads.length, final: final.length, indeterminate });
}

// --- unique --------------------------------------------------------------------

export interface UniqueFinal {
  /** Ids of the documents holding each key. */
  docs: Record<string, string[]>;
}

/**
 * Concurrent get-or-create (`get-or-create`) and blind create (`create`) of one
 * key through a unique index: finally exactly one document per key; every
 * successful call returned that document; at most one blind create succeeds;
 * every failure is `instance not unique`.
 */
export function checkUnique(ops: readonly Op[]): CheckResult {
  const errors: string[] = [];
  let final: UniqueFinal | null = null;
  const returned = new Map<string, { id: string; index: number }[]>();
  const createdOk = new Map<string, number>();
  let failures = 0;
  const keys = new Set<string>();
  for (const p of pairs(ops)) {
    const c = p.complete;
    if (p.invoke.f === 'final') {
      if (c?.type === 'ok') final = c.value as UniqueFinal;
      else errors.push(`final read did not succeed: ${errorText(c?.error)}`);
      continue;
    }
    const k = (p.invoke.value as { key: string }).key;
    keys.add(k);
    if (c === null || c.type === 'info') errors.push(`#${p.invoke.index} ${p.invoke.f} of ${k} has an unknown outcome`);
    else if (c.type === 'fail') {
      failures++;
      if (c.error?.code !== 'instance not unique') errors.push(`#${c.index} ${p.invoke.f} of ${k} failed with something other than 'instance not unique': ${errorText(c.error)}`);
    } else {
      const id = (c.value as { id: string }).id;
      returned.set(k, [...(returned.get(k) ?? []), { id, index: c.index }]);
      if (p.invoke.f === 'create') createdOk.set(k, (createdOk.get(k) ?? 0) + 1);
    }
  }
  for (const [k, n] of createdOk) if (n > 1) errors.push(`key ${k}: ${n} blind creates succeeded`);
  if (final === null) errors.push('no final read');
  else {
    for (const k of keys) {
      const docs = final.docs[k] ?? [];
      if (docs.length !== 1) {
        errors.push(`key ${k}: ${docs.length} documents (${docs.join(', ')}), expected exactly one`);
        continue;
      }
      for (const r of returned.get(k) ?? []) if (r.id !== docs[0]) errors.push(`#${r.index}: returned document ${r.id} for ${k}, but the one document is ${docs[0]}`);
    }
  }
  return result(errors, { calls: [...returned.values()].reduce((a, b) => a + b.length, 0) + failures, failures, keys: keys.size });
}

// --- internal (read your own writes inside one query) ------------------------------

export type Step =
  | { k: 'create'; key: string; val: number }
  | { k: 'update'; target: number; val: number }
  | { k: 'delete'; target: number }
  | { k: 'get'; target: number }
  | { k: 'match'; key: string }
  | { k: 'count'; key: string };

export const isRead = (s: Step): boolean => s.k === 'get' || s.k === 'match' || s.k === 'count';

interface Cell {
  key: string;
  val: number;
  alive: boolean;
}

/** Runs the steps of one query against a model; returns what each read step must see and the final cells. */
export function modelSteps(steps: readonly Step[]): { reads: unknown[]; cells: Map<string, number[]> } {
  const docs = new Map<number, Cell>();
  const reads: unknown[] = [];
  const alive = (key: string): number[] =>
    [...docs.values()]
      .filter((d) => d.alive && d.key === key)
      .map((d) => d.val)
      .sort((a, b) => a - b);
  steps.forEach((s, i) => {
    switch (s.k) {
      case 'create':
        docs.set(i, { key: s.key, val: s.val, alive: true });
        break;
      case 'update': {
        const d = docs.get(s.target);
        if (d?.alive) d.val = s.val;
        break;
      }
      case 'delete': {
        const d = docs.get(s.target);
        if (d) d.alive = false;
        break;
      }
      case 'get': {
        const d = docs.get(s.target);
        reads.push(d?.alive ? d.val : null);
        break;
      }
      case 'match':
        reads.push(alive(s.key));
        break;
      case 'count':
        reads.push(alive(s.key).length);
        break;
    }
  });
  const cells = new Map<string, number[]>();
  for (const d of docs.values()) if (!cells.has(d.key)) cells.set(d.key, alive(d.key));
  return { reads, cells };
}

export interface InternalValue {
  steps: Step[];
  /** The results of the read steps, in order (on ok). */
  observed?: unknown[];
}

export interface InternalFinal {
  /** Every cell in the database: [key, val]. */
  cells: [string, number][];
}

/**
 * Inside one query, every read step sees exactly the writes of the steps
 * before it (by ref and through the index); afterwards, the database holds
 * exactly the cells of the successful queries and none of the failed ones.
 */
export function checkInternal(ops: readonly Op[]): CheckResult {
  const errors: string[] = [];
  let final: InternalFinal | null = null;
  const committed = new Map<string, number[]>();
  const notCommitted = new Set<string>();
  let queries = 0;
  let readSteps = 0;
  for (const p of pairs(ops)) {
    const c = p.complete;
    if (p.invoke.f === 'final') {
      if (c?.type === 'ok') final = c.value as InternalFinal;
      else errors.push(`final read did not succeed: ${errorText(c?.error)}`);
      continue;
    }
    const { steps } = p.invoke.value as InternalValue;
    const model = modelSteps(steps);
    if (c?.type === 'ok') {
      queries++;
      const observed = (c.value as InternalValue).observed ?? [];
      readSteps += observed.length;
      if (observed.length !== model.reads.length) errors.push(`#${c.index}: ${observed.length} read results for ${model.reads.length} read steps`);
      const readIdx = steps.map((s, i) => (isRead(s) ? i : -1)).filter((i) => i >= 0);
      model.reads.forEach((want, j) => {
        if (!isDeepStrictEqual(observed[j], want)) {
          errors.push(`#${c.index}: step ${readIdx[j]} ${show(steps[readIdx[j]!])} saw ${show(observed[j])}, expected ${show(want)} (steps: ${show(steps)})`);
        }
      });
      for (const [k, vals] of model.cells) committed.set(k, vals);
    } else {
      if (c?.type === 'fail') errors.push(`#${c.index}: query failed: ${errorText(c.error)}`);
      if (c?.type !== 'info') for (const k of model.cells.keys()) notCommitted.add(k);
    }
  }
  if (final === null) errors.push('no final read');
  else {
    const actual = new Map<string, number[]>();
    for (const [k, v] of final.cells) actual.set(k, [...(actual.get(k) ?? []), v]);
    for (const vals of actual.values()) vals.sort((a, b) => a - b);
    for (const [k, want] of committed) {
      const got = actual.get(k) ?? [];
      if (!isDeepStrictEqual(got, want)) errors.push(`key ${k}: the database holds ${show(got)}, the committed query left ${show(want)}`);
    }
    for (const k of notCommitted) if (actual.has(k)) errors.push(`key ${k}: written by a query that failed`);
  }
  return result(errors, { queries, readSteps });
}

// --- crash ---------------------------------------------------------------------------

export interface CrashTxnValue {
  txn: number;
  size: number;
}

export interface RecoverValue {
  round: number;
  integrity: string[];
  problems: string[];
  counter: number;
  /** [txn, documents found, group size they claim] for every group in the database. */
  groups: [number, number, number][];
}

/**
 * Kill -9 rounds on one file. A writer commits transaction i (a group of
 * `size` documents and the counter set to i) and acknowledges it; after each
 * kill the file is reopened (`recover`). Then: integrity_check is ok, the
 * index verifier finds nothing; every acknowledged transaction is present and
 * whole; every present group is whole; the groups are exactly 1..counter; at
 * most one transaction per round is present without an acknowledgement (the
 * one in flight when the process died); and the counter never goes back.
 */
export interface ObserveValue {
  counter: number;
  groups: [number, number, number][];
}

export function checkCrash(ops: readonly Op[], options: { slackMs?: number } = {}): CheckResult {
  const errors: string[] = [];
  const slack = options.slackMs ?? 0;
  const acked = new Set<number>();
  const ackedAt: { txn: number; at: number }[] = [];
  const invokedAt = new Map<string, number>();
  let observed = 0;
  let lastCounter = 0;
  let rounds = 0;
  let ackedInRound = new Set<number>();
  let unackedPresent = 0;
  for (const op of ops) {
    if (op.f === 'txn' && op.type === 'ok') {
      const t = (op.value as CrashTxnValue).txn;
      acked.add(t);
      ackedInRound.add(t);
      ackedAt.push({ txn: t, at: op.time });
    }
    if (op.type === 'invoke') invokedAt.set(op.process, op.time);
    if (op.f === 'observe' && op.type === 'ok') {
      observed++;
      const v = op.value as ObserveValue;
      const present = new Map<number, number>();
      for (const [txn, count, size] of v.groups) {
        present.set(txn, count);
        if (count !== size) errors.push(`#${op.index} observe: partial transaction ${txn}: ${count} of ${size} documents`);
      }
      if (present.size !== v.counter || [...present.keys()].some((t) => t < 1 || t > v.counter)) errors.push(`#${op.index} observe: counter ${v.counter} but groups ${[...present.keys()].sort((a, b) => a - b).join(',')}`);
      const began = invokedAt.get(op.process) ?? op.time;
      for (const a of ackedAt) if (a.at + slack < began && !present.has(a.txn)) errors.push(`#${op.index} observe: misses transaction ${a.txn}, acknowledged before the read began`);
      continue;
    }
    if (op.f !== 'recover' || op.type !== 'ok') continue;
    rounds++;
    const r = op.value as RecoverValue;
    if (r.integrity.length !== 1 || r.integrity[0] !== 'ok') errors.push(`round ${r.round}: integrity_check: ${r.integrity.join('; ')}`);
    for (const p of r.problems) errors.push(`round ${r.round}: ${p}`);
    const present = new Map<number, { count: number; size: number }>();
    for (const [txn, count, size] of r.groups) present.set(txn, { count, size });
    for (const [txn, g] of present) if (g.count !== g.size) errors.push(`round ${r.round}: partial transaction ${txn}: ${g.count} of ${g.size} documents`);
    for (const t of acked) if (!present.has(t)) errors.push(`round ${r.round}: acknowledged transaction ${t} is missing`);
    if (r.counter < lastCounter) errors.push(`round ${r.round}: counter went back from ${lastCounter} to ${r.counter}`);
    const want = new Set(Array.from({ length: r.counter }, (_, i) => i + 1));
    for (const t of present.keys()) if (!want.has(t)) errors.push(`round ${r.round}: group ${t} present but the counter is ${r.counter}`);
    for (const t of want) if (!present.has(t)) errors.push(`round ${r.round}: counter is ${r.counter} but group ${t} is missing`);
    const extra = [...present.keys()].filter((t) => t > lastCounter && !ackedInRound.has(t));
    if (extra.length > 1) errors.push(`round ${r.round}: ${extra.length} transactions present without acknowledgement (${extra.join(', ')}); at most the one in flight may be`);
    unackedPresent += extra.length;
    lastCounter = Math.max(lastCounter, r.counter);
    ackedInRound = new Set();
  }
  if (rounds === 0) errors.push('no recovery in the history');
  return result(errors, { rounds, acked: acked.size, unackedPresent, counter: lastCounter, observed });
}

// --- transaction timestamps ------------------------------------------------------------

/**
 * Transaction times agree with real time: two writes never share a
 * timestamp, and when one operation completed before another began (by more
 * than `slackMs`), the later one's timestamp is not smaller — and is strictly
 * greater when the later one writes. Applies to ok ops whose value carries
 * `ts`; `isWrite` says which ops wrote.
 */
export function checkTimestamps(ops: readonly Op[], isWrite: (op: Op) => boolean, options: { slackMs?: number } = {}): CheckResult {
  const errors: string[] = [];
  const slack = options.slackMs ?? 0;
  const done: { invoke: Op; ok: Op; ts: number; write: boolean }[] = [];
  for (const p of pairs(ops)) {
    const ts = (p.complete?.value as { ts?: unknown } | undefined)?.ts;
    if (p.complete?.type === 'ok' && typeof ts === 'number') done.push({ invoke: p.invoke, ok: p.complete, ts, write: isWrite(p.complete) });
  }
  const writers = new Map<number, Op>();
  for (const d of done) {
    if (!d.write) continue;
    const other = writers.get(d.ts);
    if (other) errors.push(`#${d.ok.index} and #${other.index}: two writes committed at the same timestamp ${d.ts}`);
    writers.set(d.ts, d.ok);
  }
  // Walk operations by start time, keeping the largest timestamp among those that completed before.
  const byEnd = [...done].sort((a, b) => a.ok.time - b.ok.time);
  const byStart = [...done].sort((a, b) => a.invoke.time - b.invoke.time);
  let j = 0;
  let maxBefore: { ts: number; op: Op } | null = null;
  for (const d of byStart) {
    while (j < byEnd.length && byEnd[j]!.ok.time + slack < d.invoke.time) {
      const e = byEnd[j]!;
      if (maxBefore === null || e.ts > maxBefore.ts) maxBefore = { ts: e.ts, op: e.ok };
      j++;
    }
    if (maxBefore === null) continue;
    if (d.ts < maxBefore.ts || (d.write && d.ts === maxBefore.ts)) {
      errors.push(`#${d.ok.index} (${d.write ? 'write' : 'read'}) has timestamp ${d.ts}, ${maxBefore.ts - d.ts} µs before that of #${maxBefore.op.index}, which completed before it began`);
    }
  }
  return result(errors, { timestamped: done.length, writes: writers.size });
}
