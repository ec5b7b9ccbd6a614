import { create } from 'zustand';

interface PaletteState {
  isOpen: boolean;
  open(): void;
  close(): void;
  toggle(): void;
}

export const usePalette = create<PaletteState>((set) => ({
  isOpen: false,
  open: () => set({ isOpen: true }),
  close: () => set({ isOpen: false }),
  toggle: () => set((s) => ({ isOpen: !s.isOpen })),
}));
