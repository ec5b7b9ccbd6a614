/**
 * A call made at most once per `intervalMs`: the first call of a quiet spell
 * runs at once; calls within the interval after it are folded into one more
 * run at the interval's end, so that the last call is always followed by a
 * run.
 */
export function throttled(fn: () => void, intervalMs: number, now: () => number = () => performance.now()): () => void {
  let lastRun = Number.NEGATIVE_INFINITY;
  let pending: ReturnType<typeof setTimeout> | null = null;
  const run = (): void => {
    lastRun = now();
    fn();
  };
  return () => {
    if (pending !== null) return;
    const wait = lastRun + intervalMs - now();
    if (wait <= 0) {
      run();
      return;
    }
    pending = setTimeout(() => {
      pending = null;
      run();
    }, wait);
    pending.unref?.();
  };
}
