// Moves a test clock and waits until every workflow living in its time has caught up (the
// clock turns 'ready' only then).
import type Stripe from 'stripe';
import { waitFor } from './wait-for';

export async function advanceClock(
  stripe: Stripe,
  clock: Pick<Stripe.TestHelpers.TestClock, 'id'>,
  to: number,
  timeoutMs = 30_000,
): Promise<void> {
  await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: to });
  await waitFor(
    async () => (await stripe.testHelpers.testClocks.retrieve(clock.id)).status === 'ready',
    timeoutMs,
    `clock ${clock.id} ready at ${to}`,
  );
}
