import type Stripe from 'stripe';
import { deletesAfter, type TestClockRecord } from '../test-clock';

export function renderTestClock(clock: TestClockRecord): Stripe.TestHelpers.TestClock {
  // Stripe names the target only while the clock is on its way there.
  const statusDetails: Stripe.TestHelpers.TestClock.StatusDetails =
    clock.status === 'advancing' && clock.targetFrozenTime !== null
      ? { advancing: { target_frozen_time: clock.targetFrozenTime } }
      : {};
  return {
    id: clock.id,
    object: 'test_helpers.test_clock',
    created: clock.created,
    deletes_after: deletesAfter(clock),
    frozen_time: clock.frozenTime,
    livemode: false,
    name: clock.name,
    status: clock.status,
    status_details: statusDetails,
  };
}

export function renderDeletedTestClock(id: string): Stripe.TestHelpers.DeletedTestClock {
  return { id, object: 'test_helpers.test_clock', deleted: true };
}
