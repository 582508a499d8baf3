// Creates whose write is one statement store their idempotent answer in that statement
// (api/stripe/idempotency.ts writeWithAnswer): the object and the answer commit together.
import { randomUUID } from 'node:crypto';
import { writeAsOneStatement } from '../../db/connection';
import { insertCustomerQuery } from '../../db/repositories/customers';
import { EMPTY_ADDRESS, type CustomerRecord } from '../../workflows/domain/customer';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const newKey = () => `one-${randomUUID()}`;

async function post(path: string, params: Record<string, string>, key: string) {
  const response = await fetch(`${stack.api.url}${path}`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${stack.secretKey}`,
      'Content-Type': 'application/x-www-form-urlencoded',
      'Idempotency-Key': key,
    },
    body: new URLSearchParams(params).toString(),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

async function keyRow(key: string) {
  return (await stack.db('idempotency_keys').where({ idempotency_key: key }).first()) as {
    status: string;
    response_status: number | null;
    response_body: string | null;
  };
}

function customerRecord(id: string, invoicePrefix: string): CustomerRecord {
  return {
    id,
    accountId: stack.accountId,
    created: Math.floor(Date.now() / 1000),
    email: null,
    name: null,
    phone: null,
    description: null,
    balance: 0,
    currency: null,
    invoicePrefix,
    nextInvoiceSequence: 1,
    testClockId: null,
    deleted: false,
    metadata: {},
    address: { ...EMPTY_ADDRESS },
    shipping: null,
    invoiceSettings: { defaultPaymentMethod: null, footer: null, customFields: null },
    preferredLocales: [],
    taxExempt: 'none',
  };
}

describe('a customer created with an idempotency key', () => {
  it('stores, with the customer, exactly the bytes it answered', async () => {
    const key = newKey();
    const first = await post('/v1/customers', { email: 'one@example.com' }, key);
    expect(first.status).toBe(200);
    expect(await keyRow(key)).toMatchObject({
      status: 'complete',
      response_status: 200,
      response_body: first.text,
    });
    expect(await stack.db('customers').where({ id: first.json.id }).first()).toBeDefined();
    const replay = await post('/v1/customers', { email: 'one@example.com' }, key);
    expect(replay.text).toBe(first.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  describe('when the database refuses the write', () => {
    it('makes no customer and replays the refusal', async () => {
      const prefix = `P${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
      await post('/v1/customers', { invoice_prefix: prefix }, newKey());
      const key = newKey();
      const refused = await post('/v1/customers', { invoice_prefix: prefix, email: 'two@example.com' }, key);
      expect(refused.status).toBe(400);
      expect(refused.json.error.code).toBe('invoice_prefix_in_use');
      expect(await stack.db('customers').where({ invoice_prefix: prefix }).count({ n: '*' })).toEqual([
        { n: 1 },
      ]);
      const replay = await post('/v1/customers', { invoice_prefix: prefix, email: 'two@example.com' }, key);
      expect(replay.text).toBe(refused.text);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
    });
  });
});

describe('a pending invoice item created with an idempotency key', () => {
  it('writes the item, one invoiceitem.created event and the stored answer', async () => {
    const customer = await stack.stripe.customers.create({});
    const key = newKey();
    const item = await post(
      '/v1/invoiceitems',
      { customer: customer.id, amount: '700', currency: 'usd' },
      key,
    );
    expect(item.status).toBe(200);
    expect(await keyRow(key)).toMatchObject({ status: 'complete', response_body: item.text });
    const events = (await stack.db('events').where({ object_id: item.json.id })) as Array<{ type: string }>;
    expect(events.map((event) => event.type)).toEqual(['invoiceitem.created']);
    const replay = await post(
      '/v1/invoiceitems',
      { customer: customer.id, amount: '700', currency: 'usd' },
      key,
    );
    expect(replay.text).toBe(item.text);
    expect(await stack.db('events').where({ object_id: item.json.id }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });
});

describe('writeAsOneStatement', () => {
  it('writes all of its parts or none of them', async () => {
    const prefix = `Q${randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase()}`;
    const id = `cus_one${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const duplicate = customerRecord(`${id}x`, prefix); // same invoice prefix: unique violation
    await expect(
      writeAsOneStatement(stack.db, [
        insertCustomerQuery(stack.db, customerRecord(id, prefix)),
        insertCustomerQuery(stack.db, duplicate),
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await stack.db('customers').whereIn('id', [id, `${id}x`])).toEqual([]);
  });
});
