import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { sleep } from '../src/fleet/submit';

describe("the fleet submitter's poll", () => {
  it('leaves no abort listener behind on the sweep\'s signal (they once piled up: MaxListenersExceededWarning)', async () => {
    const controller = new AbortController();
    for (let i = 0; i < 15; i++) await sleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    // And an abort still ends a wait at once.
    const started = Date.now();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    await waiting;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
