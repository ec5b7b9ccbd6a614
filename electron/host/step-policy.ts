/**
 * How much background work (index builds, history trimming) the writer does
 * per step, and the loop that runs it. Each step is one write transaction
 * run between requests, so a request that arrives meanwhile waits for the
 * step under way. While clients are writing, steps stay near BUSY_STEP_MS;
 * once the writer has had no request for QUIET_MS, steps grow to
 * IDLE_STEP_MS, because a build's steps each rewrite index pages the steps
 * before them wrote, and fewer, larger steps rewrite fewer
 * (docs/performance.md: a 1 M-document build takes about a seventh of the
 * time in idle steps).
 */
export const BUSY_STEP_MS = 40;
export const IDLE_STEP_MS = 500;
export const QUIET_MS = 1000;
export const FIRST_BATCH = 2000;
export const MIN_BATCH = 500;
export const MAX_BATCH = 200_000;

export class StepPolicy {
  private lastRequestAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Notes that a request arrived. */
  noteRequest(): void {
    this.lastRequestAt = this.now();
  }

  /** How long the next step should take, in ms. */
  targetMs(): number {
    return this.now() - this.lastRequestAt < QUIET_MS ? BUSY_STEP_MS : IDLE_STEP_MS;
  }
}

/**
 * The next step's batch: as many items as the last step's rate says fit in
 * `targetMs`, at most twice the last batch (costs per item change as a
 * build goes on), within [MIN_BATCH, MAX_BATCH].
 */
export function nextBatch(lastBatch: number, lastElapsedMs: number, targetMs: number): number {
  const fits = Math.floor((lastBatch * targetMs) / Math.max(lastElapsedMs, 1));
  return Math.max(MIN_BATCH, Math.min(fits, lastBatch * 2, MAX_BATCH));
}

/**
 * Runs `step(batch)` repeatedly, one step per turn of the event loop, until
 * it reports no more, then calls `done` (with whether any step had work to
 * do). Requests waiting to run go first: a step due while some are queued
 * waits for the next turn, once (so that a steady stream of requests cannot
 * hold the work back for ever). A step that throws ends the run (the next
 * schedule tries again).
 */
export function runInSteps(step: (batch: number) => boolean, context: { policy: StepPolicy; requestsQueued: () => boolean }, done: (worked: boolean) => void): void {
  let batch = FIRST_BATCH;
  let lastElapsed: number | null = null;
  let postponed = false;
  let worked = false;
  const next = (): void => {
    if (context.requestsQueued() && !postponed) {
      postponed = true;
      setImmediate(next);
      return;
    }
    postponed = false;
    // Sized as it starts: a request that arrived during the last step makes this one short.
    if (lastElapsed !== null) batch = nextBatch(batch, lastElapsed, context.policy.targetMs());
    let more = false;
    const started = performance.now();
    try {
      more = step(batch);
    } catch {
      more = false;
    }
    lastElapsed = performance.now() - started;
    worked ||= more;
    if (more) setImmediate(next);
    else done(worked);
  };
  setImmediate(next);
}
