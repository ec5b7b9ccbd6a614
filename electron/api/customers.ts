/**
 * Customers: list (search by name, paged), get, create, update. The card is
 * stored whole (submit_order copies it onto the order) but only its network
 * and last four digits ever leave through the API, and the ledger records a
 * customer write's query with the number masked.
 */
import type { Address, Customer } from '../../shared/api/contract.js';
import type { Json } from '../../shared/fql/json.js';
import { printExpr } from '../../shared/fql/print.js';
import { cardOf, maskedNumber } from './cards.js';
import type { Handlers } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import { collection, concat, containsStr, create, dataParams, filter, get, index, lambda, let_, lowerCase, map, match, obj, paginate, ref, select, update, v, type Expr } from './fql.js';
import { addressOf } from './stores.js';
import { asArray, asString, field, refId, tsText } from './wire.js';

export const customerRef = (id: string): Expr => ref('customers', id);

export function toCustomer(doc: Json): Customer {
  const data = field(doc, 'data');
  return {
    id: refId(field(doc, 'ref')) ?? '',
    firstName: asString(field(data, 'firstName')),
    lastName: asString(field(data, 'lastName')),
    address: addressOf(field(data, 'address')),
    telephone: asString(field(data, 'telephone')),
    card: cardOf(field(data, 'creditCard')) ?? { network: '', last4: '' },
    ts: tsText(field(doc, 'ts')),
  };
}

const addressExpr = (a: Address): Expr => obj({ street: a.street, city: a.city, state: a.state, zipCode: a.zipCode });

interface CustomerFields {
  firstName?: string | undefined;
  lastName?: string | undefined;
  address?: Address | undefined;
  telephone?: string | undefined;
  creditCard?: { network: string; number: string } | undefined;
}

/** The data object of a write; with `mask`, the card number as the ledger may show it. */
function customerData(c: CustomerFields, mask: boolean): Record<string, Expr | undefined> {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    address: c.address === undefined ? undefined : addressExpr(c.address),
    telephone: c.telephone,
    creditCard: c.creditCard === undefined ? undefined : obj({ network: c.creditCard.network, number: mask ? maskedNumber(c.creditCard.number) : c.creditCard.number }),
  };
}

export const customerHandlers: Handlers<'customers.list' | 'customers.get' | 'customers.create' | 'customers.update'> = {
  async 'customers.list'(args, ctx) {
    let set = match(index('all_customers'));
    const search = args.search?.trim() ?? '';
    if (search !== '') {
      // "first last", ignoring case; read from the document so a missing name cannot fail the scan.
      const fullName = concat([select(['data', 'firstName'], v('doc'), ''), select(['data', 'lastName'], v('doc'), '')], ' ');
      set = filter(set, lambda(['last', 'first', 'ref'], let_({ doc: get(v('ref')) }, containsStr(lowerCase(fullName), lowerCase(search)))));
    }
    const page = await ctx.query(
      map(paginate(set, { size: args.size ?? 50, ...(args.after !== undefined ? { after: decodeCursor(args.after) } : {}) }), lambda(['last', 'first', 'ref'], get(v('ref')))),
      'customers.list',
    );
    return { items: asArray(field(page, 'data')).map(toCustomer), after: encodeCursor(field(page, 'after')) };
  },

  async 'customers.get'({ id }, ctx) {
    return toCustomer(await ctx.query(get(customerRef(id)), 'customers.get'));
  },

  async 'customers.create'({ customer }, ctx) {
    const write = (mask: boolean): Expr => create(collection('customers'), dataParams(customerData(customer, mask)));
    return toCustomer(await ctx.query(write(false), printExpr(write(true))));
  },

  async 'customers.update'({ id, customer }, ctx) {
    const r = customerRef(id);
    const data = customerData(customer, false);
    if (Object.values(data).every((x) => x === undefined)) return toCustomer(await ctx.query(get(r), 'customers.get'));
    const write = (mask: boolean): Expr => let_({ updated: update(r, dataParams(customerData(customer, mask))) }, get(r));
    return toCustomer(await ctx.query(write(false), printExpr(update(r, dataParams(customerData(customer, true))))));
  },
};
