import type { ReactNode } from 'react';
import type { Product } from '../../shared/api/contract.js';

export type Tone = 'neutral' | 'attention' | 'critical' | 'success' | 'info';

export function Badge({ tone = 'neutral', children }: { tone?: Tone; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

/** Out of stock (critical) and/or Backordered (attention); nothing when all is well. */
export function StockBadges({ product }: { product: Pick<Product, 'quantity' | 'backordered'> }) {
  return (
    <span className="badges">
      {product.quantity === 0 && <Badge tone="critical">Out of stock</Badge>}
      {product.backordered && <Badge tone="attention">Backordered</Badge>}
    </span>
  );
}

export function OrderStatusBadge({ status }: { status: string }) {
  if (status === 'shipped') return <Badge tone="success">Shipped</Badge>;
  if (status === 'processing') return <Badge tone="info">Processing</Badge>;
  return <Badge>{status}</Badge>;
}
