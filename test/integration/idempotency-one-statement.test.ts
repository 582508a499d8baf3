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

// POST /v1/customers and /v1/invoiceitems do not claim a new key up front: their one statement
// inserts it, already answered (api/stripe/idempotency.ts, DEFERRED_CLAIM).
describe('the deferred claim of a plain write', () => {
  async function statementsDuring(action: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listener = (query: { sql: string }) => seen.push(query.sql);
    stack.db.on('query', listener);
    try {
      await action();
    } finally {
      stack.db.removeListener('query', listener);
    }
    // The event dispatcher shares this pool: only the request's own statements.
    return seen.filter((sql) => /idempotency_keys|"customers"|"invoice_items"/.test(sql));
  }

  it('writes a new key, the customer and the answer in one statement', async () => {
    const key = newKey();
    let answer: Awaited<ReturnType<typeof post>> | undefined;
    const statements = await statementsDuring(async () => {
      answer = await post('/v1/customers', { email: 'deferred@example.com' }, key);
    });
    expect(answer?.status).toBe(200);
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/insert into "idempotency_keys".*insert into "customers"/s);
    expect(await keyRow(key)).toMatchObject({ status: 'complete', response_body: answer?.text });
  });

  it('a pending item: the customer lookup, then one statement', async () => {
    const customer = await stack.stripe.customers.create({});
    const statements = await statementsDuring(() =>
      post('/v1/invoiceitems', { customer: customer.id, amount: '300', currency: 'usd' }, newKey()),
    );
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/^select \* from "customers"/);
    expect(statements[1]).toMatch(/insert into "idempotency_keys".*insert into "invoice_items"/s);
  });

  it('the same key sent five times at once makes one customer, and every answer is its bytes', async () => {
    const key = newKey();
    const email = `race-${randomUUID()}@example.com`;
    const answers = await Promise.all(Array.from({ length: 5 }, () => post('/v1/customers', { email }, key)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.text)).size).toBe(1);
    expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
    expect(await stack.db('customers').where({ email }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('a key first used on another endpoint is refused, and nothing is written', async () => {
    const key = newKey();
    const email = `other-${randomUUID()}@example.com`;
    expect((await post('/v1/products', { name: 'Widget' }, key)).status).toBe(200);
    const refused = await post('/v1/customers', { email }, key);
    expect(refused.status).toBe(400);
    expect(refused.json.error.type).toBe('idempotency_error');
    expect(await stack.db('customers').where({ email }).count({ n: '*' })).toEqual([{ n: 0 }]);
  });

  it('a validation error stores nothing that binds the key; a refusal after the route ran is replayed', async () => {
    const key = newKey();
    const invalid = await post('/v1/customers', { balance: 'lots' }, key);
    expect(invalid.status).toBe(400);
    const missing = await post(
      '/v1/invoiceitems',
      { customer: 'cus_missing', amount: '1', currency: 'usd' },
      key,
    );
    expect(missing.status).toBe(404); // another endpoint than the key's released first use: allowed
    expect(missing.json.error.code).toBe('resource_missing');
    const replay = await post(
      '/v1/invoiceitems',
      { customer: 'cus_missing', amount: '1', currency: 'usd' },
      key,
    );
    expect(replay.text).toBe(missing.text);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('a customer with a starting balance (a transaction) claims the key first, and replays', async () => {
    const key = newKey();
    const email = `balance-${randomUUID()}@example.com`;
    const first = await post('/v1/customers', { email, balance: '500' }, key);
    expect(first.status).toBe(200);
    expect(first.json.balance).toBe(500);
    const replay = await post('/v1/customers', { email, balance: '500' }, key);
    expect(replay.text).toBe(first.text);
    expect(await stack.db('customers').where({ email }).count({ n: '*' })).toEqual([{ n: 1 }]);
    const transactions = await stack.stripe.customers.listBalanceTransactions(first.json.id as string);
    expect(transactions.data.map((transaction) => transaction.amount)).toEqual([500]);
  });

  it('a starting balance sent five times at once with one key: one customer, 200s of its bytes or 409s', async () => {
    const key = newKey();
    const email = `balance-race-${randomUUID()}@example.com`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post('/v1/customers', { email, balance: '250' }, key)),
    );
    const ok = answers.filter((answer) => answer.status === 200);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    expect(new Set(ok.map((answer) => answer.text)).size).toBe(1);
    for (const answer of answers.filter((candidate) => candidate.status !== 200)) {
      expect(answer.status).toBe(409);
      expect(answer.json.error.code).toBe('idempotency_key_in_use');
    }
    expect(await stack.db('customers').where({ email }).count({ n: '*' })).toEqual([{ n: 1 }]);
  });

  it('an item on a draft invoice (a workflow update) claims the key first, and replays', async () => {
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: customer.id, auto_advance: false });
    const key = newKey();
    const params = { customer: customer.id, invoice: invoice.id as string, amount: '900', currency: 'usd' };
    const first = await post('/v1/invoiceitems', params, key);
    expect(first.status).toBe(200);
    expect(first.json.invoice).toBe(invoice.id);
    const replay = await post('/v1/invoiceitems', params, key);
    expect(replay.text).toBe(first.text);
    const lines = await stack.stripe.invoices.listLineItems(invoice.id as string);
    expect(lines.data).toHaveLength(1);
  });

  it('a key reused after it expired makes a new customer under the next generation', async () => {
    const key = newKey();
    const first = await post('/v1/customers', { email: 'expired@example.com' }, key);
    await stack
      .db('idempotency_keys')
      .where({ idempotency_key: key })
      .update({ created: stack.db.raw(`now() - interval '25 hours'`) });
    const second = await post('/v1/customers', { email: 'expired@example.com' }, key);
    expect(second.status).toBe(200);
    expect(second.json.id).not.toBe(first.json.id);
    expect(await stack.db('idempotency_keys').where({ idempotency_key: key }).first()).toMatchObject({
      generation: 1,
      status: 'complete',
      response_body: second.text,
    });
  });
});
