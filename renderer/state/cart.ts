/** The New order cart of this window: kept while the user visits other screens, cleared after a successful order. */
import { create } from 'zustand';
import type { Customer, Product } from '../../shared/api/contract.js';

export interface CartLine {
  product: Product;
  /** As typed. */
  quantity: string;
}

interface CartState {
  customer: Customer | null;
  lines: CartLine[];
  setCustomer(c: Customer | null): void;
  add(p: Product): void;
  setQuantity(productId: string, quantity: string): void;
  remove(productId: string): void;
  refreshProducts(products: Map<string, Product>): void;
  clear(): void;
}

export const useCart = create<CartState>((set) => ({
  customer: null,
  lines: [],
  setCustomer: (customer) => set({ customer }),
  add: (product) =>
    set((s) => {
      const existing = s.lines.find((l) => l.product.id === product.id);
      if (existing) {
        const n = Number(existing.quantity);
        return { lines: s.lines.map((l) => (l === existing ? { ...l, quantity: String(Number.isFinite(n) ? n + 1 : 1) } : l)) };
      }
      return { lines: [...s.lines, { product, quantity: '1' }] };
    }),
  setQuantity: (productId, quantity) => set((s) => ({ lines: s.lines.map((l) => (l.product.id === productId ? { ...l, quantity } : l)) })),
  remove: (productId) => set((s) => ({ lines: s.lines.filter((l) => l.product.id !== productId) })),
  refreshProducts: (products) =>
    set((s) => {
      let changed = false;
      const lines = s.lines.map((l) => {
        const p = products.get(l.product.id);
        if (!p || p.ts === l.product.ts) return l;
        changed = true;
        return { ...l, product: p };
      });
      return changed ? { lines } : s;
    }),
  clear: () => set({ customer: null, lines: [] }),
}));
