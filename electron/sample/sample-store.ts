/**
 * The sample store: the e-commerce schema (collections, the indexes the
 * screens use, the `submit_order` function) and its sample data, provisioned
 * in ONE transaction so a new workspace never appears half-made.
 */
import type { Engine, QueryResult } from '../engine/engine.js';
import { parseFql } from '../engine/parse/index.js';
import { SUBMIT_ORDER_BODY } from './submit-order.fql.js';

interface StoreRow { id: string; name: string; street: string; city: string; state: string; zip: string }
interface ProductRow { id: string; name: string; description: string; price: number; quantity: number; store: string; backorderLimit: number }
interface CustomerRow { id: string; first: string; last: string; street: string; zip: string; telephone: string; card: string }

export const SAMPLE_STORES: StoreRow[] = [
  { id: '301', name: 'DC Fruits', street: '13 Pierstorff Drive', city: 'Washington', state: 'DC', zip: '20220' },
  { id: '302', name: 'Party Supplies', street: '7529 Capitalsaurus Court', city: 'Washington', state: 'DC', zip: '20002' },
  { id: '303', name: 'Foggy Bottom Market', street: '4 Floride Ave', city: 'Washington', state: 'DC', zip: '20037' },
];

export const SAMPLE_PRODUCTS: ProductRow[] = [
  { id: '201', name: 'cups', description: 'Translucent 9 Oz, 100 ct', price: 6.98, quantity: 100, store: '302', backorderLimit: 5 },
  { id: '202', name: 'pinata', description: 'Original Class Donkey Pinata', price: 24.99, quantity: 20, store: '303', backorderLimit: 10 },
  { id: '203', name: 'pizza', description: 'Frozen Cheese', price: 4.99, quantity: 100, store: '303', backorderLimit: 15 },
  { id: '204', name: 'avocados', description: 'Conventional Hass, 4ct bag', price: 3.99, quantity: 1000, store: '301', backorderLimit: 15 },
  { id: '205', name: 'limes', description: 'Conventional, 1 ct', price: 0.35, quantity: 1000, store: '301', backorderLimit: 15 },
  { id: '206', name: 'limes', description: 'Organic, 16 oz bag', price: 3.49, quantity: 50, store: '301', backorderLimit: 15 },
  { id: '207', name: 'limes', description: 'Conventional, 16 oz bag', price: 2.99, quantity: 30, store: '303', backorderLimit: 15 },
  { id: '208', name: 'cilantro', description: 'Organic, 1 bunch', price: 1.49, quantity: 100, store: '301', backorderLimit: 15 },
  { id: '209', name: 'pinata', description: 'Giant Taco Pinata', price: 23.99, quantity: 10, store: '302', backorderLimit: 10 },
];

export const SAMPLE_CUSTOMERS: CustomerRow[] = [
  { id: '101', first: 'Alice', last: 'Appleseed', street: '87856 Mendota Court', zip: '20220', telephone: '208-346-0715', card: '4556781272473393' },
  { id: '102', first: 'Bob', last: 'Brown', street: '72 Waxwing Terrace', zip: '20002', telephone: '719-872-8799', card: '4916112310613672' },
  { id: '103', first: 'Carol', last: 'Clark', street: '5 Troy Trail', zip: '20220', telephone: '907-949-4470', card: '4532636730015542' },
];

const str = (s: string): string => JSON.stringify(s);
/** A price as an FQL double literal (always with a fraction). */
const dbl = (n: number): string => (Number.isInteger(n) ? `${n}.0` : String(n));

/** The collections, with the constraints a real store wants on its data. */
export const SAMPLE_COLLECTIONS = `
CreateCollection({ name: "stores", constraints: { schema: {
  type: "object", required: ["name", "address"],
  properties: { name: { type: "string", minLength: 1 }, address: { type: "object", required: ["street", "city", "state", "zipCode"] } }
} } }),
CreateCollection({ name: "products", constraints: { schema: {
  type: "object", required: ["name", "price", "quantity", "store", "backorderLimit"],
  properties: {
    name: { type: "string", minLength: 1 },
    description: { type: "string" },
    price: { type: "number", minimum: 0 },
    quantity: { type: "integer", minimum: 0 },
    backorderLimit: { type: "integer", minimum: 0 },
    backordered: { type: "boolean" }
  }
} } }),
CreateCollection({ name: "customers", constraints: { schema: {
  type: "object", required: ["firstName", "lastName", "address", "telephone", "creditCard"],
  properties: {
    firstName: { type: "string", minLength: 1 },
    lastName: { type: "string", minLength: 1 },
    address: { type: "object", required: ["street", "city", "state", "zipCode"] },
    creditCard: { type: "object", required: ["network", "number"] }
  }
} } }),
CreateCollection({ name: "orders", constraints: { schema: {
  type: "object", required: ["customer", "line", "status", "creationDate"],
  properties: {
    status: { enum: ["processing", "shipped"] },
    line: { type: "array", minItems: 1, items: { type: "object", required: ["product", "quantity", "price"],
      properties: { quantity: { type: "integer", minimum: 1 }, price: { type: "number", minimum: 0 } } } }
  }
} } })`;

/** The indexes the screens read through. */
export const SAMPLE_INDEXES = `
CreateIndex({ name: "all_stores", source: Collection("stores"), values: [{ field: ["data", "name"] }, { field: ["ref"] }] }),
CreateIndex({ name: "all_products", source: Collection("products"), values: [{ field: ["data", "name"] }, { field: ["ref"] }] }),
CreateIndex({ name: "products_by_store", source: Collection("products"), terms: [{ field: ["data", "store"] }], values: [{ field: ["data", "name"] }, { field: ["ref"] }] }),
CreateIndex({ name: "all_customers", source: Collection("customers"), values: [{ field: ["data", "lastName"] }, { field: ["data", "firstName"] }, { field: ["ref"] }] }),
CreateIndex({ name: "all_orders", source: Collection("orders"), values: [{ field: ["data", "creationDate"], reverse: true }, { field: ["ref"] }] }),
CreateIndex({ name: "orders_by_customer", source: Collection("orders"), terms: [{ field: ["data", "customer"] }], values: [{ field: ["data", "creationDate"], reverse: true }, { field: ["ref"] }] }),
CreateIndex({ name: "orders_by_status", source: Collection("orders"), terms: [{ field: ["data", "status"] }], values: [{ field: ["data", "creationDate"], reverse: true }, { field: ["ref"] }] })`;

export function sampleStoreFql(): string {
  const stores = SAMPLE_STORES.map(
    (s) => `Create(Ref(Collection("stores"), ${str(s.id)}), { data: { name: ${str(s.name)}, address: { street: ${str(s.street)}, city: ${str(s.city)}, state: ${str(s.state)}, zipCode: ${str(s.zip)} } } })`,
  );
  const products = SAMPLE_PRODUCTS.map(
    (p) =>
      `Create(Ref(Collection("products"), ${str(p.id)}), { data: { name: ${str(p.name)}, description: ${str(p.description)}, price: ${dbl(p.price)}, quantity: ${p.quantity}, store: Ref(Collection("stores"), ${str(p.store)}), backorderLimit: ${p.backorderLimit}, backordered: false } })`,
  );
  const customers = SAMPLE_CUSTOMERS.map(
    (c) =>
      `Create(Ref(Collection("customers"), ${str(c.id)}), { data: { firstName: ${str(c.first)}, lastName: ${str(c.last)}, address: { street: ${str(c.street)}, city: "Washington", state: "DC", zipCode: ${str(c.zip)} }, telephone: ${str(c.telephone)}, creditCard: { network: "Visa", number: ${str(c.card)} } } })`,
  );
  return `Do(
${SAMPLE_COLLECTIONS.trim()},
${SAMPLE_INDEXES.trim()},
CreateFunction({ name: "submit_order", body: ${SUBMIT_ORDER_BODY.trim()} }),
${[...stores, ...products, ...customers].join(',\n')},
"sample store ready"
)`;
}

/** Provisions the sample store in one transaction. Fails (changing nothing) if the schema exists. */
export function provisionSampleStore(engine: Engine, origin = 'sample'): QueryResult {
  const [statement] = parseFql(sampleStoreFql());
  return engine.query(statement!.expr, { origin, summary: 'provision the sample store' });
}

/** True when the database already holds the sample schema. */
export function hasSampleStore(engine: Engine): boolean {
  const r = engine.query({ exists: { collection: 'orders' } } as never);
  return r.ok && r.resource === true;
}
