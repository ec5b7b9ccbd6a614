/**
 * A document's history: its versions (create, updates, delete), newest first.
 * Read with FQL `Paginate(ref, {events: true})`; where the engine cannot read
 * events (older engines), rebuilt from the ledger, which records every write's
 * before and after. Card numbers are masked.
 */
import { ApiError, type HistoryEvent } from '../../shared/api/contract.js';
import { parseJson, stringifyJson, type Json } from '../../shared/fql/json.js';
import { maskCards } from './cards.js';
import type { CallContext, Handlers } from './context.js';
import { at, equals, get, if_, lambda, map, obj, paginate, ref, select, v } from './fql.js';
import { asArray, asString, field, microsToIso, tsText } from './wire.js';

/** Most versions returned (the newest ones). */
const MAX_EVENTS = 1000;

function actionOf(x: Json | undefined): HistoryEvent['action'] {
  return x === 'create' || x === 'delete' ? x : 'update';
}

/**
 * The newest MAX_EVENTS versions, from the engine's document history. An
 * update event carries only what changed (as in Fauna), so an update's whole
 * data is read with At(event ts, Get(ref)) in the same query. A create event
 * carries the whole data: it is taken as it is, since the history may start
 * with the version live at the retention floor, at a time At refuses.
 */
async function fromEvents(collection: string, id: string, ctx: CallContext): Promise<HistoryEvent[]> {
  const r = ref(collection, id);
  const version = lambda(
    'e',
    obj({
      ts: select('ts', v('e')),
      action: select('action', v('e')),
      data: if_(
        equals(select('action', v('e')), 'delete'),
        null,
        if_(equals(select('action', v('e')), 'create'), select('data', v('e'), null), select('data', at(select('ts', v('e')), get(r)), null)),
      ),
    }),
  );
  const page = await ctx.query(map(paginate(r, { events: true, before: null, size: MAX_EVENTS }), version), 'history.of');
  return asArray(field(page, 'data'))
    .map((e): HistoryEvent => {
      const ts = tsText(field(e, 'ts'));
      const action = actionOf(field(e, 'action'));
      const data = field(e, 'data');
      return { ts, time: microsToIso(BigInt(ts)), action, data: action === 'delete' || data === undefined || data === null ? null : stringifyJson(maskCards(data)) };
    })
    .reverse();
}

/** The same history rebuilt from the ledger's before/after records (exported for tests). */
export async function historyFromLedger(collection: string, id: string, ctx: CallContext): Promise<HistoryEvent[]> {
  const rows = await ctx.host.ledger({ beforeTs: null, limit: MAX_EVENTS, collection, documentId: id });
  const out: HistoryEvent[] = [];
  for (const row of rows) {
    for (const w of asArray(parseJson(row.writes))) {
      if (asString(field(w, 'collection')) !== collection || asString(field(w, 'id')) !== id) continue;
      const action = actionOf(field(w, 'action'));
      const data = field(w, 'after', 'data');
      out.push({ ts: row.ts, time: microsToIso(BigInt(row.ts)), action, data: action === 'delete' || data === undefined ? null : stringifyJson(maskCards(data)) });
    }
  }
  return out;
}

/** True when the engine says it cannot read event sets (so the ledger is the history's source). */
function eventsUnsupported(err: unknown): boolean {
  return err instanceof ApiError && /events/i.test(err.error.description) && (err.error.code === 'invalid argument' || err.error.code === 'invalid expression');
}

export const historyHandlers: Handlers<'history.of'> = {
  async 'history.of'({ collection, id }, ctx) {
    try {
      return await fromEvents(collection, id, ctx);
    } catch (err) {
      if (eventsUnsupported(err)) return historyFromLedger(collection, id, ctx);
      throw err;
    }
  },
};

