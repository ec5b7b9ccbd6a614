/** Previous/next through cursor pages; going back re-reads from the remembered cursor. Resets when the query changes. */
import { useEffect, useState } from 'react';

export function usePager(resetKey: string) {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  useEffect(() => setStack([undefined]), [resetKey]);
  const page = stack.length - 1;
  return {
    page,
    after: stack[page],
    next(cursor: string | null) {
      if (cursor) setStack((s) => [...s, cursor]);
    },
    previous() {
      setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
    },
  };
}
