// The per-account rate limiter, on a stack with a tiny limit (2 per second, burst 2).
import Stripe from 'stripe';
import { stripeError } from '../support/stripe-helpers';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ rateLimit: { perSecond: 2, burst: 2 } });
});
afterAll(async () => {
  await stack?.stop();
});

async function rawList(secretKey: string): Promise<Response> {
  return fetch(`${stack.api.url}/v1/customers`, { headers: { Authorization: `Bearer ${secretKey}` } });
}

describe('rate limiting', () => {
  it("answers the request past the burst 429 in Stripe's shape, then recovers once the bucket refills", async () => {
    // Three at once: a burst of 2 lets two through, whatever order they arrive in.
    const responses = await Promise.all([1, 2, 3].map(() => rawList(stack.secretKey)));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 200, 429]);
    const limited = responses.find((response) => response.status === 429)!;
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('request-id')).toMatch(/^req_/);
    const body = (await limited.json()) as { error: Record<string, unknown> };
    expect(body.error).toEqual({
      type: 'rate_limit_error',
      code: 'rate_limit',
      message: expect.stringContaining('Too many requests') as unknown,
    });

    // The official client raises its rate-limit error (polled: the bucket refills meanwhile).
    const error = await waitFor(async () => {
      const outcome = await stack.stripe.customers.list().catch((failure: unknown) => failure);
      return outcome instanceof Stripe.errors.StripeRateLimitError && outcome;
    }, 5_000);
    expect(error.code).toBe('rate_limit');

    // Refill is 2 per second: a request gets through again well within the deadline.
    const recovered = await waitFor(async () => (await rawList(stack.secretKey)).status === 200, 5_000);
    expect(recovered).toBe(true);
  });

  it('keeps a bucket per account', async () => {
    const other = await stack.newAccount();
    await waitFor(
      async () => (await rawList(stack.secretKey)).status === 429,
      5_000,
      'the first account to be limited',
    );
    expect((await rawList(other.secretKey)).status).toBe(200);
  });

  it('never spends an idempotency key on a rate-limited request', async () => {
    // A bucket of one that refills once a minute: the second request is limited however slow
    // the machine is between the two.
    const slow = await startStack({ rateLimit: { perSecond: 1 / 60, burst: 1 } });
    try {
      const idempotencyKey = `rate-${Date.now()}`;
      expect(
        (
          await fetch(`${slow.api.url}/v1/customers`, {
            headers: { Authorization: `Bearer ${slow.secretKey}` },
          })
        ).status,
      ).toBe(200);
      const refusal = await stripeError(
        slow.stripe.customers.create({ email: 'later@example.com' }, { idempotencyKey }),
      );
      expect(refusal.statusCode).toBe(429);
      expect(await slow.db('idempotency_keys').where({ idempotency_key: idempotencyKey })).toHaveLength(0);
    } finally {
      await slow.stop();
    }
  });
});
