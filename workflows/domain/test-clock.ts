// A test clock (Stripe's /v1/test_helpers/test_clocks): simulated time that customers, and
// through them invoices, live in. Only moves forward, and only while nothing else moves it.
import { invalidRequest } from './errors';

export type TestClockStatus = 'ready' | 'advancing' | 'internal_failure';

export interface TestClockRecord {
  id: string; // clock_...
  accountId: string;
  created: number;
  frozenTime: number;
  name: string | null;
  status: TestClockStatus;
  // Set while advancing: where the clock is going, and which advance takes it there.
  targetFrozenTime: number | null;
  advanceId: string | null;
  deleted: boolean;
}

// Stripe deletes a clock, and everything attached to it, 30 days after its creation.
export const TEST_CLOCK_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export function deletesAfter(clock: Pick<TestClockRecord, 'created'>): number {
  return clock.created + TEST_CLOCK_LIFETIME_SECONDS;
}

export function newTestClock(input: {
  id: string;
  accountId: string;
  created: number;
  frozenTime: number;
  name?: string | null;
}): TestClockRecord {
  return {
    id: input.id,
    accountId: input.accountId,
    created: input.created,
    frozenTime: input.frozenTime,
    name: input.name ?? null,
    status: 'ready',
    targetFrozenTime: null,
    advanceId: null,
    deleted: false,
  };
}

// Without subscriptions Stripe lets a clock move at most two years per advance.
export function maximumAdvance(frozenTime: number): number {
  const date = new Date(frozenTime * 1000);
  date.setUTCFullYear(date.getUTCFullYear() + 2);
  return Math.floor(date.getTime() / 1000);
}

// What Stripe refuses when asked to advance a clock to `target`.
export function assertCanAdvance(
  clock: Pick<TestClockRecord, 'frozenTime' | 'status'>,
  target: number,
): void {
  if (clock.status === 'advancing') {
    throw invalidRequest(
      'The test clock is already advancing. Wait until its status is ready before advancing it again.',
    );
  }
  if (clock.status === 'internal_failure') {
    throw invalidRequest(
      'The test clock failed to advance and can no longer be used. Delete it and create a new one.',
    );
  }
  if (target <= clock.frozenTime) {
    throw invalidRequest(
      `The frozen_time (${target}) must be after the test clock's current frozen_time (${clock.frozenTime}).`,
      undefined,
      'frozen_time',
    );
  }
  if (target > maximumAdvance(clock.frozenTime)) {
    throw invalidRequest(
      'A test clock without subscriptions cannot be advanced more than two years at a time.',
      undefined,
      'frozen_time',
    );
  }
}
