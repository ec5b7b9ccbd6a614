/**
 * The app's API, defined once: every method the renderer may call, its
 * argument schema (validated on arrival, in the Electron main process and in
 * the web server alike) and its result type, and the events it receives.
 *
 * Domain results are plain data shaped for screens. Where a result carries
 * arbitrary FQL values (the Shell, the ledger, history) they travel as
 * wire-format JSON text, which keeps integers and doubles apart.
 */
import { z } from 'zod';

const id = z.string().regex(/^\d{1,19}$/, 'must be a document id (digits)');
const cursor = z.string().max(4096);
const pageSize = z.number().int().min(1).max(1000);
const money = z.number().finite().min(0).max(1e9);
const count = z.number().int().min(0).max(1e12);
const text = (max: number) => z.string().trim().min(1).max(max);

export const AddressSchema = z.strictObject({
  street: text(200),
  city: text(100),
  state: text(50),
  zipCode: text(20),
});

export const ProductInputSchema = z.strictObject({
  name: text(200),
  description: z.string().max(2000),
  price: money,
  quantity: count,
  storeId: id,
  backorderLimit: count,
});

export const CustomerInputSchema = z.strictObject({
  firstName: text(100),
  lastName: text(100),
  address: AddressSchema,
  telephone: text(50),
  /** A new card number; omitted on update to keep the current card. */
  creditCard: z.strictObject({ network: text(50), number: z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits') }).optional(),
});

export const OrderLineSchema = z.strictObject({ productId: id, quantity: z.number().int().min(1).max(1e9) });

/** Argument schemas, by method name. */
export const ApiArgs = {
  'app.info': z.strictObject({}),
  'stores.list': z.strictObject({}),
  'products.list': z.strictObject({ storeId: id.optional(), search: z.string().max(200).optional(), backordered: z.boolean().optional(), after: cursor.optional(), size: pageSize.optional() }),
  'products.get': z.strictObject({ id }),
  'products.create': z.strictObject({ product: ProductInputSchema }),
  'products.update': z.strictObject({ id, product: ProductInputSchema.partial() }),
  'products.delete': z.strictObject({ id }),
  'products.restock': z.strictObject({ id, quantity: z.number().int().min(1).max(1e9) }),
  'customers.list': z.strictObject({ search: z.string().max(200).optional(), after: cursor.optional(), size: pageSize.optional() }),
  'customers.get': z.strictObject({ id }),
  'customers.create': z.strictObject({ customer: CustomerInputSchema.required({ creditCard: true }) }),
  'customers.update': z.strictObject({ id, customer: CustomerInputSchema.partial() }),
  'orders.list': z.strictObject({ customerId: id.optional(), status: z.enum(['processing', 'shipped']).optional(), after: cursor.optional(), size: pageSize.optional() }),
  'orders.get': z.strictObject({ id }),
  'orders.submit': z.strictObject({ customerId: id, lines: z.array(OrderLineSchema).min(1).max(100) }),
  'orders.ship': z.strictObject({ id }),
  'fql.query': z.strictObject({ text: z.string().min(1).max(1_000_000) }),
  'ledger.list': z.strictObject({ before: z.string().regex(/^\d+$/).optional(), limit: z.number().int().min(1).max(500).optional(), collection: z.string().max(200).optional(), documentId: id.optional() }),
  'schema.describe': z.strictObject({}),
  'history.of': z.strictObject({ collection: z.string().min(1).max(200), id }),
} as const;

export type ApiMethod = keyof typeof ApiArgs;
export type ApiArgsOf<M extends ApiMethod> = z.infer<(typeof ApiArgs)[M]>;

export interface Address {
  street: string;
  city: string;
  state: string;
  zipCode: string;
}

export interface Store {
  id: string;
  name: string;
  address: Address;
  productCount: number;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  price: number;
  quantity: number;
  storeId: string;
  storeName: string;
  backorderLimit: number;
  backordered: boolean;
  /** Last write, microseconds since the epoch (as text). */
  ts: string;
}

export interface Customer {
  id: string;
  firstName: string;
  lastName: string;
  address: Address;
  telephone: string;
  /** The card is never sent whole: network and last four digits only. */
  card: { network: string; last4: string };
  ts: string;
}

export interface OrderLine {
  productId: string;
  productName: string;
  quantity: number;
  price: number;
}

export interface OrderSummary {
  id: string;
  /** ISO-8601 instant. */
  creationDate: string;
  customerId: string;
  customerName: string;
  itemCount: number;
  total: number;
  status: string;
}

export interface Order extends OrderSummary {
  lines: OrderLine[];
  shipDate: string | null;
  shipAddress: Address | null;
  card: { network: string; last4: string } | null;
  ts: string;
}

export interface PageOf<T> {
  items: T[];
  /** Cursor for the next page (opaque), or null at the end. */
  after: string | null;
}

/** An FQL error as the engine reports it. */
export interface FqlError {
  code: string;
  description: string;
  position?: (string | number)[];
  cause?: FqlError[];
  failures?: { field: (string | number)[]; code: string; description: string }[];
}

export interface ShellResult {
  ok: boolean;
  /** The statement's text. */
  text: string;
  /** Wire-format JSON of the result. */
  resource?: string;
  /** The result in FQL's printed form. */
  printed?: string;
  error?: FqlError;
  /** Where in the text the error is, 1-based. */
  location?: { line: number; column: number };
  ts: string | null;
}

export interface LedgerWrite {
  collection: string;
  id: string;
  action: 'create' | 'update' | 'delete';
  /** Wire JSON of the document fields before / after (null when absent). */
  before: string | null;
  after: string | null;
  /** Top-level data fields that changed (updates). */
  changedFields: string[];
}

export interface LedgerEntry {
  ts: string;
  /** ISO-8601 instant of ts. */
  time: string;
  origin: string;
  query: string;
  writes: LedgerWrite[];
}

export interface SchemaDescription {
  collections: { name: string; historyDays: number | null; documents: number }[];
  indexes: { name: string; source: string; terms: string[]; values: string[]; unique: boolean; active: boolean }[];
  functions: { name: string; body: string }[];
}

export interface HistoryEvent {
  ts: string;
  time: string;
  action: 'create' | 'update' | 'delete';
  /** Wire JSON of the document's data at that version (null for delete). */
  data: string | null;
}

export type SubmitOrderResult = { ok: true; order: Order } | { ok: false; message: string; error: FqlError };

/** Result types, by method name. */
export interface ApiResults {
  'app.info': { database: string; version: string; transport: 'ipc' | 'websocket' };
  'stores.list': Store[];
  'products.list': PageOf<Product>;
  'products.get': Product;
  'products.create': Product;
  'products.update': Product;
  'products.delete': { id: string };
  'products.restock': Product;
  'customers.list': PageOf<Customer>;
  'customers.get': Customer;
  'customers.create': Customer;
  'customers.update': Customer;
  'orders.list': PageOf<OrderSummary>;
  'orders.get': Order;
  'orders.submit': SubmitOrderResult;
  'orders.ship': Order;
  'fql.query': ShellResult[];
  'ledger.list': { entries: LedgerEntry[]; next: string | null };
  'schema.describe': SchemaDescription;
  'history.of': HistoryEvent[];
}

/** Published after every commit (any window, the Shell, the CLI, another process). */
export interface ChangeEvent {
  ts: string;
  origin: string;
  changes: { collection: string; id: string; action: 'create' | 'update' | 'delete' }[];
}

/** The whole API as the renderer sees it, whatever the transport. */
export type StockroomApi = {
  call<M extends ApiMethod>(method: M, args: ApiArgsOf<M>): Promise<ApiResults[M]>;
  onChanges(listener: (event: ChangeEvent) => void): () => void;
};

/** Thrown (and rejected) when a call fails; `error` is the engine's or the validator's. */
export class ApiError extends Error {
  constructor(readonly error: FqlError) {
    super(error.description);
    this.name = 'ApiError';
  }
}

/** Validates a call's arguments; throws an FqlError-shaped error naming the bad field. */
export function validateArgs<M extends ApiMethod>(method: string, args: unknown): { method: M; args: ApiArgsOf<M> } {
  if (!Object.prototype.hasOwnProperty.call(ApiArgs, method)) {
    throw new ApiError({ code: 'invalid request', description: `Unknown method '${String(method).slice(0, 100)}'.` });
  }
  const parsed = ApiArgs[method as ApiMethod].safeParse(args);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ApiError({
      code: 'invalid request',
      description: `${method}: ${issue.path.join('.') || 'arguments'}: ${issue.message}`,
      failures: parsed.error.issues.map((i) => ({ field: i.path.map((p) => (typeof p === 'number' ? p : String(p))), code: i.code, description: i.message })),
    });
  }
  return { method: method as M, args: parsed.data as ApiArgsOf<M> };
}
