/** The Shell of this window: the editor's text, the runs so far, and the query history (kept across sessions). */
import { create } from 'zustand';
import type { ShellResult } from '../../shared/api/contract.js';

export interface ShellRun {
  id: number;
  /** The text as submitted (error locations refer to it). */
  text: string;
  at: number;
  results: ShellResult[] | null;
  /** A failure of the call itself (not of a statement). */
  failure?: string;
}

const HISTORY_KEY = 'stockroom.shell.history';
const HISTORY_MAX = 100;

function loadHistory(): string[] {
  try {
    const raw = localStorage.getItem(HISTORY_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string').slice(0, HISTORY_MAX) : [];
  } catch {
    return [];
  }
}

interface ShellState {
  text: string;
  runs: ShellRun[];
  history: string[];
  setText(text: string): void;
  startRun(text: string): number;
  finishRun(id: number, results: ShellResult[] | null, failure?: string): void;
  clearRuns(): void;
  clearHistory(): void;
}

let nextRun = 1;

export const useShell = create<ShellState>((set) => ({
  text: 'Paginate(Documents(Collection("products")));\nGet(Ref(Collection("products"), "201"))',
  runs: [],
  history: loadHistory(),
  setText: (text) => set({ text }),
  startRun: (text) => {
    const id = nextRun++;
    set((s) => {
      const history = [text, ...s.history.filter((h) => h !== text)].slice(0, HISTORY_MAX);
      try {
        localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
      } catch {
        // storage full or unavailable: history stays in memory
      }
      return { history, runs: [{ id, text, at: Date.now(), results: null }, ...s.runs].slice(0, 50) };
    });
    return id;
  },
  finishRun: (id, results, failure) => set((s) => ({ runs: s.runs.map((r) => (r.id === id ? { ...r, results, ...(failure ? { failure } : {}) } : r)) })),
  clearRuns: () => set({ runs: [] }),
  clearHistory: () => {
    try {
      localStorage.removeItem(HISTORY_KEY);
    } catch {
      // ignore
    }
    set({ history: [] });
  },
}));
