import { attemptOffsets, DEFAULT_DELIVERY_SCHEDULE } from '../../../workflows/domain/webhook-retry';

describe('attemptOffsets', () => {
  it('retries on a doubling, capped schedule and makes the last attempt at the end of the window', () => {
    expect(attemptOffsets({ initialDelayMs: 1000, maxDelayMs: 2000, windowMs: 8000 })).toEqual([
      0, 1000, 3000, 5000, 7000, 8000,
    ]);
  });

  it('spreads the default schedule over three days, starting an hour after the first attempt', () => {
    const offsets = attemptOffsets(DEFAULT_DELIVERY_SCHEDULE);
    const hour = 60 * 60 * 1000;
    expect(offsets.slice(0, 3)).toEqual([0, hour, 3 * hour]);
    expect(offsets.at(-1)).toBe(72 * hour);
    for (let i = 1; i < offsets.length; i++) {
      expect(offsets[i] - offsets[i - 1]).toBeLessThanOrEqual(12 * hour);
    }
  });

  it('attempts once when there is no window, and never loops on a zero delay', () => {
    expect(attemptOffsets({ initialDelayMs: 1000, maxDelayMs: 1000, windowMs: 0 })).toEqual([0]);
    expect(attemptOffsets({ initialDelayMs: 0, maxDelayMs: 0, windowMs: 3 })).toEqual([0, 1, 2, 3]);
  });
});
