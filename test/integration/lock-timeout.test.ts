// A write that waits for its invoice longer than the API's wait (UPDATE_WAIT_MS, 150 ms here) is
// answered as Stripe answers contention on one object: 429 lock_timeout with
// `Stripe-Should-Retry: true`. It changed nothing, and its Idempotency-Key is free for the retry.
import { randomUUID } from 'node:crypto';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ updateWaitMs: 150 });
});
afterAll(async () => {
  await stack?.stop();
});

async function addItem(invoice: string, customer: string, amount: number, idempotencyKey: string) {
  return fetch(`${stack.api.url}/v1/invoiceitems`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${stack.secretKey}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Idempotency-Key': idempotencyKey,
    },
    body: new URLSearchParams({ customer, invoice, amount: String(amount), currency: 'usd' }),
  });
}

describe('a write that waits past UPDATE_WAIT_MS', () => {
  it('gets 429 lock_timeout, changes nothing, and succeeds when retried with its key', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: customer.id, auto_advance: false });
    // 40 at once on one draft: the API lets them through one at a time, so the later ones wait
    // far longer than 150 ms for their turn.
    const keys = Array.from({ length: 40 }, () => randomUUID());
    const replies = await Promise.all(keys.map((key, i) => addItem(invoice.id, customer.id, 100 + i, key)));
    const bodies = (await Promise.all(replies.map((reply) => reply.json()))) as Array<{
      id?: string;
      error?: { type: string; code: string };
    }>;
    const refused = replies.flatMap((reply, i) => (reply.status === 429 ? [i] : []));
    const done = replies.flatMap((reply, i) => (reply.status === 200 ? [i] : []));
    expect(refused.length + done.length).toBe(40); // nothing else, no 500
    expect(refused.length).toBeGreaterThan(0);
    for (const i of refused) {
      expect(bodies[i].error).toMatchObject({ type: 'invalid_request_error', code: 'lock_timeout' });
      expect(replies[i].headers.get('stripe-should-retry')).toBe('true');
    }
    const amounts = async () => {
      const lines = await stack.stripe.invoices.listLineItems(invoice.id, { limit: 100 });
      return lines.data.map((line) => line.amount).sort((a, b) => a - b);
    };
    // Exactly the writes answered 200 are on the invoice.
    expect(await amounts()).toEqual(done.map((i) => 100 + i).sort((a, b) => a - b));

    // Each refused write, sent again one at a time with its own key, is taken once.
    for (const i of refused) {
      const retried = await addItem(invoice.id, customer.id, 100 + i, keys[i]);
      expect(retried.status).toBe(200);
    }
    expect(await amounts()).toEqual(keys.map((_, i) => 100 + i));
    // A replay of a key that succeeded the first time answers the same item, adding nothing.
    const replay = await addItem(invoice.id, customer.id, 100 + done[0], keys[done[0]]);
    expect(((await replay.json()) as { id: string }).id).toBe(bodies[done[0]].id);
    expect(await amounts()).toHaveLength(40);
  });
});
