/**
 * The size of the writer's background steps (electron/host/step-policy.ts):
 * short while requests arrive, longer once the writer has been idle, and
 * batches that follow the measured rate toward the step length wanted.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BUSY_STEP_MS, FIRST_BATCH, IDLE_STEP_MS, MAX_BATCH, MIN_BATCH, QUIET_MS, StepPolicy, nextBatch, runInSteps } from '../../electron/host/step-policy.js';

describe('background step policy', () => {
  test('steps are long until a request arrives, short while requests arrive, long again after a quiet spell', () => {
    let clock = 10_000;
    const policy = new StepPolicy(() => clock);
    assert.equal(policy.targetMs(), IDLE_STEP_MS, 'no request yet');
    policy.noteRequest();
    assert.equal(policy.targetMs(), BUSY_STEP_MS);
    clock += QUIET_MS - 1;
    assert.equal(policy.targetMs(), BUSY_STEP_MS, 'still within the quiet spell');
    clock += 1;
    assert.equal(policy.targetMs(), IDLE_STEP_MS);
    policy.noteRequest();
    assert.equal(policy.targetMs(), BUSY_STEP_MS);
  });

  test('a batch fits the wanted step length at the last step\'s rate, grows at most twofold and stays within bounds', () => {
    // 10 000 items took 20 ms: 20 000 fit in 40 ms.
    assert.equal(nextBatch(10_000, 20, BUSY_STEP_MS), 20_000);
    // Quick steps grow twofold at most (the rate changes as a build goes on).
    assert.equal(nextBatch(10_000, 2, IDLE_STEP_MS), 20_000);
    // A long idle step followed by a request: the next step is short at once.
    assert.equal(nextBatch(100_000, 250, BUSY_STEP_MS), 16_000);
    // Slow steps shrink in proportion.
    assert.equal(nextBatch(8_000, 160, BUSY_STEP_MS), 2_000);
    assert.equal(nextBatch(600, 1000, BUSY_STEP_MS), MIN_BATCH);
    assert.equal(nextBatch(150_000, 1, IDLE_STEP_MS), MAX_BATCH);
    // A step too quick to time counts as 1 ms.
    assert.equal(nextBatch(1_000, 0, BUSY_STEP_MS), 2_000);
  });

  /** Runs steps to the end; rejects if they are not done within `ms`. */
  function runAll(step: (batch: number) => boolean, requestsQueued: () => boolean, ms = 5000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the steps were not done within ${ms} ms`)), ms);
      runInSteps(step, { policy: new StepPolicy(), requestsQueued }, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  test('steps run until one reports no more, the first with the first batch', async () => {
    const batches: number[] = [];
    await runAll((batch) => {
      batches.push(batch);
      return batches.length < 5;
    }, () => false);
    assert.equal(batches.length, 5);
    assert.equal(batches[0], FIRST_BATCH);
    for (const b of batches) assert.ok(b >= MIN_BATCH && b <= MAX_BATCH);
  });

  test('a step due while requests are queued waits for them', async () => {
    const order: string[] = [];
    let queued = false;
    const run = runAll(() => {
      order.push('step');
      return false;
    }, () => queued);
    // A request arrives before the first step runs: its drain is queued behind the step.
    queued = true;
    setImmediate(() => {
      order.push('drain');
      queued = false;
    });
    await run;
    assert.deepEqual(order, ['drain', 'step']);
  });

  test('a steady stream of queued requests does not hold the steps back for ever', async () => {
    let steps = 0;
    let asked = 0;
    await runAll(() => ++steps < 20, () => {
      asked++;
      return true;
    });
    assert.equal(steps, 20);
    assert.ok(asked >= 20, 'each step first let the queued requests go');
  });
});
