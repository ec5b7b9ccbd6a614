/**
 * A separate OS process placing one order: opens the database file, waits for
 * the agreed start instant, calls submit_order, prints the outcome as JSON.
 * Usage: order-client.ts FILE CUSTOMER PRODUCT QUANTITY START_EPOCH_MS
 */
import { Engine } from '../../electron/engine/engine.js';
import { stringifyJson } from '../../shared/fql/json.js';

const [file, customer, product, quantity, startAt] = process.argv.slice(2);
const engine = Engine.open(file!);
const expr = { call: { function: 'submit_order' }, arguments: [customer!, [{ object: { productId: product!, quantity: BigInt(quantity!) } }]] };
// Both processes are ready; spin until the shared start instant so the calls race.
while (Date.now() < Number(startAt)) {
  /* wait */
}
const r = engine.query(expr as never, { origin: `process:${process.pid}` });
engine.close();
process.stdout.write(r.ok ? stringifyJson({ ok: true, order: r.resource } as never) : JSON.stringify({ ok: false, error: r.error.toJSON() }));
