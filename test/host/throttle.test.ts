/**
 * The throttle that keeps another process's maintenance steps from
 * refreshing every view at every step (electron/host/throttle.ts): at most
 * one run per interval, the first at once, and always a run after the last
 * call.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { throttled } from '../../electron/host/throttle.js';

describe('throttled', () => {
  test('runs at once after a quiet spell, folds calls within the interval into one run at its end, and never drops the last', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    let clock = 0;
    let runs = 0;
    const call = throttled(() => runs++, 1000, () => clock);
    call();
    assert.equal(runs, 1, 'the first call runs at once');
    for (const at of [100, 300, 900]) {
      clock = at;
      call();
    }
    assert.equal(runs, 1, 'calls within the interval wait');
    clock = 1000;
    t.mock.timers.tick(900);
    assert.equal(runs, 2, 'one more run at the end of the interval, for all of them');
    clock = 1500;
    t.mock.timers.tick(500);
    assert.equal(runs, 2, 'nothing more without calls');
    clock = 3000;
    call();
    assert.equal(runs, 3, 'after a quiet spell a call runs at once again');
  });
});
