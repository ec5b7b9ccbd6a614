/** Short notices at the bottom of the window; one may carry a link. */
import { create } from 'zustand';

export interface Toast {
  id: number;
  message: string;
  tone: 'success' | 'critical' | 'info';
  link?: { label: string; href: string };
}

interface ToastState {
  toasts: Toast[];
  dismiss(id: number): void;
}

let nextId = 1;

export const useToasts = create<ToastState>((set) => ({
  toasts: [],
  dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
}));

export function toast(message: string, options: { tone?: Toast['tone']; link?: Toast['link']; ms?: number } = {}): void {
  const t: Toast = { id: nextId++, message, tone: options.tone ?? 'success', ...(options.link ? { link: options.link } : {}) };
  useToasts.setState((s) => ({ toasts: [...s.toasts.slice(-3), t] }));
  setTimeout(() => useToasts.getState().dismiss(t.id), options.ms ?? 6000);
}
