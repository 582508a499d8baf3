// When a webhook delivery is attempted: at once, then after an exponentially growing delay
// (doubling from `initialDelayMs`, capped at `maxDelayMs`), until `windowMs` after the first
// attempt, when a last attempt is made. Stripe retries for up to three days the same way.
export interface DeliverySchedule {
  initialDelayMs: number;
  maxDelayMs: number;
  windowMs: number;
}

const HOUR_MS = 60 * 60 * 1000;

export const DEFAULT_DELIVERY_SCHEDULE: DeliverySchedule = {
  initialDelayMs: HOUR_MS,
  maxDelayMs: 12 * HOUR_MS,
  windowMs: 72 * HOUR_MS,
};

// Offsets from the first attempt, in milliseconds, of every attempt: [0, d, 3d, 7d, ..., window].
// Absolute offsets (not delays after each attempt) keep the window exact however long each
// attempt itself takes.
export function attemptOffsets(schedule: DeliverySchedule): number[] {
  const initial = Math.max(1, schedule.initialDelayMs); // a zero delay would never end
  const cap = Math.max(initial, schedule.maxDelayMs);
  const window = Math.max(0, schedule.windowMs);
  const offsets = [0];
  let delay = initial;
  let at = 0;
  while (at < window) {
    at = Math.min(window, at + delay);
    offsets.push(at);
    delay = Math.min(cap, delay * 2);
  }
  return offsets;
}
