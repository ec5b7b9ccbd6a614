/**
 * Orders: list (by customer and/or status, newest first, paged), get, submit
 * (the stored function `submit_order`, whose abort message is shown to the
 * user verbatim) and ship.
 */
import { ApiError, type ApiArgsOf, type FqlError, type Order, type OrderLine, type OrderSummary } from '../../shared/api/contract.js';
import type { Json } from '../../shared/fql/json.js';
import { printExpr } from '../../shared/fql/print.js';
import { cardOf } from './cards.js';
import type { Handlers } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { customerRef } from './customers.js';
import {
  abort,
  call,
  dataParams,
  equals,
  fn,
  get,
  if_,
  ifLive,
  index,
  int,
  intersection,
  lambda,
  let_,
  map,
  match,
  now,
  obj,
  paginate,
  ref,
  select,
  update,
  v,
  type Expr,
} from './fql.js';
import { addressOf } from './stores.js';
import { asArray, asNumber, asString, field, refId, timeText, tsText } from './wire.js';

export const orderRef = (id: string): Expr => ref('orders', id);

/** The customer's name fields (not the card) when the customer still exists. */
function customerNameOf(orderDoc: Expr): Expr {
  return let_(
    { c: select(['data', 'customer'], orderDoc, null) },
    ifLive(v('c'), let_({ cd: get(v('c')) }, obj({ first: select(['data', 'firstName'], v('cd'), ''), last: select(['data', 'lastName'], v('cd'), '') })), null),
  );
}

/** An order with its customer's name; with `withProducts`, each line's product name too. */
function orderView(refExpr: Expr, withProducts: boolean): Expr {
  const fields: Record<string, Expr> = { doc: v('doc'), customer: customerNameOf(v('doc')) };
  if (withProducts) {
    fields.productNames = map(
      select(['data', 'line'], v('doc'), []),
      lambda('line', let_({ p: select('product', v('line'), null) }, ifLive(v('p'), select(['data', 'name'], get(v('p')), ''), null))),
    );
  }
  return let_({ doc: get(refExpr) }, obj(fields));
}

const roundMoney = (x: number): number => Math.round(x * 100) / 100;

function linesOf(doc: Json | undefined, names: Json[]): OrderLine[] {
  return asArray(field(doc, 'data', 'line')).map((line, i) => {
    const name = names[i];
    return {
      productId: refId(field(line, 'product')) ?? '',
      productName: typeof name === 'string' ? name : '(deleted product)',
      quantity: asNumber(field(line, 'quantity')),
      price: asNumber(field(line, 'price')),
    };
  });
}

function toSummary(view: Json, lines: OrderLine[]): OrderSummary {
  const doc = field(view, 'doc');
  const customer = field(view, 'customer');
  const name = customer === null || customer === undefined ? '(deleted customer)' : `${asString(field(customer, 'first'))} ${asString(field(customer, 'last'))}`.trim();
  return {
    id: refId(field(doc, 'ref')) ?? '',
    creationDate: timeText(field(doc, 'data', 'creationDate')) ?? '',
    customerId: refId(field(doc, 'data', 'customer')) ?? '',
    customerName: name,
    itemCount: lines.reduce((n, l) => n + l.quantity, 0),
    total: roundMoney(lines.reduce((sum, l) => sum + l.quantity * l.price, 0)),
    status: asString(field(doc, 'data', 'status')),
  };
}

export function toOrder(view: Json): Order {
  const doc = field(view, 'doc');
  const data = field(doc, 'data');
  const lines = linesOf(doc, asArray(field(view, 'productNames')));
  const shipAddress = field(data, 'shipAddress');
  return {
    ...toSummary(view, lines),
    lines,
    shipDate: timeText(field(data, 'shipDate')),
    shipAddress: shipAddress === undefined || shipAddress === null ? null : addressOf(shipAddress),
    card: cardOf(field(data, 'creditCard')),
    ts: tsText(field(doc, 'ts')),
  };
}

function listSet(args: ApiArgsOf<'orders.list'>): Expr {
  const byCustomer = args.customerId === undefined ? null : match(index('orders_by_customer'), customerRef(args.customerId));
  const byStatus = args.status === undefined ? null : match(index('orders_by_status'), args.status);
  if (byCustomer && byStatus) return intersection(byCustomer, byStatus);
  return byCustomer ?? byStatus ?? match(index('all_orders'));
}

/** The abort inside a failed submit_order call (`call error` → `transaction aborted`), if that is what happened. */
export function abortOf(error: FqlError): FqlError | null {
  if (error.code === 'transaction aborted') return error;
  if (error.code !== 'call error') return null;
  for (const cause of error.cause ?? []) {
    const found = abortOf(cause);
    if (found) return found;
  }
  return null;
}

export const orderHandlers: Handlers<'orders.list' | 'orders.get' | 'orders.submit' | 'orders.ship'> = {
  async 'orders.list'(args, ctx) {
    const page = await ctx.query(
      map(paginate(listSet(args), { size: args.size ?? 50, ...(args.after !== undefined ? { after: decodeCursor(args.after) } : {}) }), lambda(['date', 'ref'], orderView(v('ref'), false))),
      'orders.list',
    );
    return {
      items: asArray(field(page, 'data')).map((view) => toSummary(view, linesOf(field(view, 'doc'), []))),
      after: encodeCursor(field(page, 'after')),
    };
  },

  async 'orders.get'({ id }, ctx) {
    return toOrder(await ctx.query(orderView(orderRef(id), true), 'orders.get'));
  },

  async 'orders.submit'({ customerId, lines }, ctx) {
    const submit = call(fn('submit_order'), customerId, lines.map((l) => obj({ productId: l.productId, quantity: int(l.quantity) })));
    try {
      // The order and the names shown with it are read in the same transaction that created it.
      const view = await ctx.query(let_({ created: submit }, orderView(select('ref', v('created')), true)), printExpr(submit));
      return { ok: true, order: toOrder(view) };
    } catch (err) {
      const aborted = err instanceof ApiError ? abortOf(err.error) : null;
      if (!aborted || !(err instanceof ApiError)) throw err;
      return { ok: false, message: aborted.description, error: err.error };
    }
  },

  async 'orders.ship'({ id }, ctx) {
    const r = orderRef(id);
    const status = select(['data', 'status'], v('current'), null);
    const expr = let_(
      {
        current: get(r),
        shipped: if_(
          equals(status, 'processing'),
          update(r, dataParams({ status: 'shipped', shipDate: now() })),
          if_(equals(status, 'shipped'), abort(`Order [${id}] has already been shipped.`), abort(`Order [${id}] cannot be shipped: it is not being processed.`)),
        ),
      },
      orderView(r, true),
    );
    return toOrder(await ctx.query(expr));
  },
};
