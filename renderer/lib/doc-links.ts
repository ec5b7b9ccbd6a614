import { href } from '../state/router';

/** Where a document is shown in the app, if it has a screen. */
export function docHref(collection: string, id: string): string | null {
  switch (collection) {
    case 'products':
      return href('products', id);
    case 'customers':
      return href('customers', id);
    case 'orders':
      return href('orders', id);
    case 'stores':
      return href('stores', id);
    default:
      return null;
  }
}
