/** Stores: each store with its address and how many products it has. */
import type { Address, Store } from '../../shared/api/contract.js';
import type { Json } from '../../shared/fql/json.js';
import type { Handlers } from './context.js';
import { count, get, index, lambda, let_, map, match, obj, paginate, ref, v } from './fql.js';
import { asArray, asNumber, asString, field, refId } from './wire.js';

export function addressOf(x: Json | undefined): Address {
  return {
    street: asString(field(x, 'street')),
    city: asString(field(x, 'city')),
    state: asString(field(x, 'state')),
    zipCode: asString(field(x, 'zipCode')),
  };
}

export const storeRef = (id: string): Json => ref('stores', id);

export const storeHandlers: Handlers<'stores.list'> = {
  async 'stores.list'(_args, ctx) {
    const result = await ctx.query(
      map(
        paginate(match(index('all_stores')), { size: 100_000 }),
        lambda(['name', 'ref'], let_({ doc: get(v('ref')) }, obj({ doc: v('doc'), productCount: count(match(index('products_by_store'), v('ref'))) }))),
      ),
      'stores.list',
    );
    return asArray(field(result, 'data')).map((row): Store => {
      const doc = field(row, 'doc');
      return {
        id: refId(field(doc, 'ref')) ?? '',
        name: asString(field(doc, 'data', 'name')),
        address: addressOf(field(doc, 'data', 'address')),
        productCount: asNumber(field(row, 'productCount')),
      };
    });
  },
};

