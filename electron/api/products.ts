/**
 * Products: list (search by name/description, filter by store and by the
 * backordered flag, paged), get, create, update, delete and restock. A
 * product's `backordered` flag is kept true exactly when its stock is at or
 * below its backorder limit whenever the app itself sets stock or the limit
 * (submit_order sets it too, when stock falls to the limit).
 */
import type { ApiArgsOf, Product } from '../../shared/api/contract.js';
import type { Json } from '../../shared/fql/json.js';
import type { Handlers } from './context.js';
import { decodeCursor, encodeCursor } from './cursor.js';
import {
  abort,
  add,
  and,
  collection,
  containsStr,
  create,
  dataParams,
  dbl,
  del,
  equals,
  exists,
  filter,
  get,
  if_,
  ifLive,
  index,
  int,
  lambda,
  let_,
  lowerCase,
  lte,
  map,
  match,
  obj,
  or,
  paginate,
  ref,
  select,
  update,
  v,
  type Expr,
} from './fql.js';
import { storeRef } from './stores.js';
import { asArray, asBoolean, asNumber, asString, field, refId, tsText } from './wire.js';

export const productRef = (id: string): Expr => ref('products', id);

/** The product document with its store's name, read in the same transaction. */
export function productView(refExpr: Expr): Expr {
  return let_(
    { doc: get(refExpr), store: select(['data', 'store'], v('doc'), null) },
    obj({ doc: v('doc'), storeName: ifLive(v('store'), select(['data', 'name'], get(v('store')), ''), '') }),
  );
}

export function toProduct(view: Json): Product {
  const doc = field(view, 'doc');
  const data = field(doc, 'data');
  return {
    id: refId(field(doc, 'ref')) ?? '',
    name: asString(field(data, 'name')),
    description: asString(field(data, 'description')),
    price: asNumber(field(data, 'price')),
    quantity: asNumber(field(data, 'quantity')),
    storeId: refId(field(data, 'store')) ?? '',
    storeName: asString(field(view, 'storeName')),
    backorderLimit: asNumber(field(data, 'backorderLimit')),
    backordered: asBoolean(field(data, 'backordered')),
    ts: tsText(field(doc, 'ts')),
  };
}

/** Aborts unless the store exists, then evaluates `then`. */
function withStore(storeId: string, then: Expr): Expr {
  return if_(exists(storeRef(storeId)), then, abort(`Store [${storeId}] does not exist.`));
}

/** The search predicate over a product document: name or description contains the text, ignoring case. */
function matchesSearch(doc: Expr, search: string): Expr {
  const needle = lowerCase(search);
  return or(
    containsStr(lowerCase(select(['data', 'name'], doc, '')), needle),
    containsStr(lowerCase(select(['data', 'description'], doc, '')), needle),
  );
}

function listQuery(args: ApiArgsOf<'products.list'>): Expr {
  let set = args.storeId === undefined ? match(index('all_products')) : match(index('products_by_store'), storeRef(args.storeId));
  const search = args.search?.trim() ?? '';
  const conditions: ((doc: Expr) => Expr)[] = [];
  if (search !== '') conditions.push((doc) => matchesSearch(doc, search));
  if (args.backordered !== undefined) conditions.push((doc) => equals(select(['data', 'backordered'], doc, false), args.backordered!));
  if (conditions.length > 0) {
    const test = (doc: Expr): Expr => (conditions.length === 1 ? conditions[0]!(doc) : and(...conditions.map((c) => c(doc))));
    // Filter over the index set (lazy): pages come out full and the cursor stays an index cursor.
    set = filter(set, lambda(['name', 'ref'], let_({ doc: get(v('ref')) }, test(v('doc')))));
  }
  const page = paginate(set, { size: args.size ?? 50, ...(args.after !== undefined ? { after: decodeCursor(args.after) } : {}) });
  return map(page, lambda(['name', 'ref'], productView(v('ref'))));
}

export const productHandlers: Handlers<'products.list' | 'products.get' | 'products.create' | 'products.update' | 'products.delete' | 'products.restock'> = {
  async 'products.list'(args, ctx) {
    const page = await ctx.query(listQuery(args), 'products.list');
    return { items: asArray(field(page, 'data')).map(toProduct), after: encodeCursor(field(page, 'after')) };
  },

  async 'products.get'({ id }, ctx) {
    return toProduct(await ctx.query(productView(productRef(id)), 'products.get'));
  },

  async 'products.create'({ product: p }, ctx) {
    const created = create(
      collection('products'),
      dataParams({
        name: p.name,
        description: p.description,
        price: dbl(p.price),
        quantity: int(p.quantity),
        store: storeRef(p.storeId),
        backorderLimit: int(p.backorderLimit),
        backordered: p.quantity <= p.backorderLimit,
      }),
    );
    const result = await ctx.query(withStore(p.storeId, let_({ created }, productView(select('ref', v('created'))))));
    return toProduct(result);
  },

  async 'products.update'({ id, product: p }, ctx) {
    const r = productRef(id);
    const patch: Record<string, Expr | undefined> = {
      name: p.name,
      description: p.description,
      price: p.price === undefined ? undefined : dbl(p.price),
      quantity: p.quantity === undefined ? undefined : int(p.quantity),
      store: p.storeId === undefined ? undefined : storeRef(p.storeId),
      backorderLimit: p.backorderLimit === undefined ? undefined : int(p.backorderLimit),
    };
    if (Object.values(patch).every((x) => x === undefined)) return toProduct(await ctx.query(productView(r), 'products.get'));
    if (p.quantity !== undefined || p.backorderLimit !== undefined) {
      // Stock or limit changed: the flag follows the new values, computed in the same transaction.
      patch.backordered = let_(
        {
          current: get(r),
          q: p.quantity === undefined ? select(['data', 'quantity'], v('current'), int(0)) : int(p.quantity),
          limit: p.backorderLimit === undefined ? select(['data', 'backorderLimit'], v('current'), int(0)) : int(p.backorderLimit),
        },
        lte(v('q'), v('limit')),
      );
    }
    const write = let_({ updated: update(r, dataParams(patch)) }, productView(r));
    return toProduct(await ctx.query(p.storeId === undefined ? write : withStore(p.storeId, write)));
  },

  async 'products.delete'({ id }, ctx) {
    await ctx.query(del(productRef(id)));
    return { id };
  },

  async 'products.restock'({ id, quantity }, ctx) {
    const r = productRef(id);
    const expr = let_(
      {
        current: get(r),
        q: add(select(['data', 'quantity'], v('current'), int(0)), int(quantity)),
        limit: select(['data', 'backorderLimit'], v('current'), int(0)),
        updated: update(r, dataParams({ quantity: v('q'), backordered: lte(v('q'), v('limit')) })),
      },
      productView(r),
    );
    return toProduct(await ctx.query(expr));
  },
};
