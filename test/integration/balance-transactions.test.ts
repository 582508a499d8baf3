// Customer balance transactions through the official stripe client: the ledger, the balance it
// moves, pagination, refusals, and the repository's idempotency against the real database.
import type Stripe from 'stripe';
import { recordBalanceTransaction } from '../../db/repositories/balance-transactions';
import { newId } from '../../db/random-ids';
import { expectStripeShape } from '../support/stripe-shape';
import { stripeError } from '../support/stripe-helpers';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

// What a refused request must leave untouched: the ledger and every customer's balance.
async function ledgerSnapshot(): Promise<{ transactions: number; balances: unknown[] }> {
  const [{ count }] = await stack.db('customer_balance_transactions').count({ count: '*' });
  const balances = await stack.db('customers').orderBy('seq').select('id', 'balance', 'currency');
  return { transactions: Number(count), balances };
}

describe('create', () => {
  it('records an adjustment and moves the balance by exactly its amount', async () => {
    const customer = await stack.stripe.customers.create({});
    const credit = await stack.stripe.customers.createBalanceTransaction(customer.id, {
      amount: -500,
      currency: 'usd',
      description: 'Goodwill credit',
      metadata: { ticket: 'T-1' },
    });
    expect(credit.id).toMatch(/^cbtxn_[0-9A-Za-z]{24}$/);
    expect(credit).toMatchObject({
      object: 'customer_balance_transaction',
      amount: -500,
      currency: 'usd',
      customer: customer.id,
      description: 'Goodwill credit',
      ending_balance: -500,
      invoice: null,
      livemode: false,
      metadata: { ticket: 'T-1' },
      type: 'adjustment',
    });
    expectStripeShape(credit);
    const debit = await stack.stripe.customers.createBalanceTransaction(customer.id, {
      amount: 200,
      currency: 'usd',
    });
    expect(debit).toMatchObject({ ending_balance: -300, description: null, metadata: {} });
    const after = (await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    expect(after.balance).toBe(-300);
    expect(after.currency).toBe('usd');
  });

  it("sets the customer's currency from the first transaction and refuses another, writing nothing", async () => {
    const customer = await stack.stripe.customers.create({});
    await stack.stripe.customers.createBalanceTransaction(customer.id, { amount: 1000, currency: 'EUR' });
    expect(((await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer).currency).toBe('eur');
    const before = await ledgerSnapshot();
    const error = await stripeError(
      stack.stripe.customers.createBalanceTransaction(customer.id, { amount: 1000, currency: 'usd' }),
    );
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(error.param).toBe('currency');
    expect(await ledgerSnapshot()).toEqual(before);
  });

  it('expands the customer on request', async () => {
    const customer = await stack.stripe.customers.create({ name: 'Expanded' });
    const txn = await stack.stripe.customers.createBalanceTransaction(customer.id, {
      amount: -1,
      currency: 'usd',
      expand: ['customer'],
    });
    expect((txn.customer as Stripe.Customer).balance).toBe(-1);
  });
});

describe('retrieve and update', () => {
  it('retrieves a transaction and updates only its description and metadata', async () => {
    const customer = await stack.stripe.customers.create({});
    const created = await stack.stripe.customers.createBalanceTransaction(customer.id, {
      amount: -700,
      currency: 'usd',
      description: 'First',
      metadata: { a: '1', b: '2' },
    });
    expect(await stack.stripe.customers.retrieveBalanceTransaction(customer.id, created.id)).toEqual(created);
    const updated = await stack.stripe.customers.updateBalanceTransaction(customer.id, created.id, {
      description: 'Second',
      metadata: { a: '', c: '3' },
    });
    expect(updated).toEqual({ ...created, description: 'Second', metadata: { b: '2', c: '3' } });
    expect(await stack.stripe.customers.retrieveBalanceTransaction(customer.id, created.id)).toEqual(updated);
    const cleared = await stack.stripe.customers.updateBalanceTransaction(customer.id, created.id, {
      metadata: '',
    });
    expect(cleared.metadata).toEqual({});
    expect(((await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(-700);
  });

  it('answers 404 for an unknown transaction or one of another customer', async () => {
    const customer = await stack.stripe.customers.create({});
    const other = await stack.stripe.customers.create({});
    const txn = await stack.stripe.customers.createBalanceTransaction(other.id, {
      amount: 5,
      currency: 'usd',
    });
    for (const id of ['cbtxn_missing', txn.id]) {
      const error = await stripeError(stack.stripe.customers.retrieveBalanceTransaction(customer.id, id));
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('resource_missing');
      const updateError = await stripeError(
        stack.stripe.customers.updateBalanceTransaction(customer.id, id, { description: 'x' }),
      );
      expect(updateError.statusCode).toBe(404);
    }
  });
});

describe('list', () => {
  let customer: Stripe.Customer;
  let ids: string[]; // newest first
  beforeAll(async () => {
    customer = await stack.stripe.customers.create({});
    const created: string[] = [];
    for (const amount of [100, 200, 300, 400, 500]) {
      created.push(
        (await stack.stripe.customers.createBalanceTransaction(customer.id, { amount, currency: 'usd' })).id,
      );
    }
    ids = created.reverse();
  });

  it('lists newest first with running ending balances', async () => {
    const list = await stack.stripe.customers.listBalanceTransactions(customer.id);
    expect(list.object).toBe('list');
    expect(list.url).toBe(`/v1/customers/${customer.id}/balance_transactions`);
    expect(list.has_more).toBe(false);
    expect(list.data.map((txn) => txn.id)).toEqual(ids);
    expect(list.data.map((txn) => txn.ending_balance)).toEqual([1500, 1000, 600, 300, 100]);
  });

  it('pages with starting_after and ending_before', async () => {
    const first = await stack.stripe.customers.listBalanceTransactions(customer.id, { limit: 2 });
    expect(first.data.map((txn) => txn.id)).toEqual(ids.slice(0, 2));
    expect(first.has_more).toBe(true);
    const second = await stack.stripe.customers.listBalanceTransactions(customer.id, {
      limit: 2,
      starting_after: ids[1],
    });
    expect(second.data.map((txn) => txn.id)).toEqual(ids.slice(2, 4));
    expect(second.has_more).toBe(true);
    const last = await stack.stripe.customers.listBalanceTransactions(customer.id, {
      limit: 2,
      starting_after: ids[3],
    });
    expect(last.data.map((txn) => txn.id)).toEqual([ids[4]]);
    expect(last.has_more).toBe(false);
    const back = await stack.stripe.customers.listBalanceTransactions(customer.id, {
      limit: 2,
      ending_before: ids[4],
    });
    expect(back.data.map((txn) => txn.id)).toEqual(ids.slice(2, 4));
    expect(back.has_more).toBe(true);
    const all: string[] = [];
    for await (const txn of stack.stripe.customers.listBalanceTransactions(customer.id, { limit: 2 })) {
      all.push(txn.id);
    }
    expect(all).toEqual(ids);
  });

  it('filters by created', async () => {
    const list = await stack.stripe.customers.listBalanceTransactions(customer.id, {
      created: { gt: Math.floor(Date.now() / 1000) + 60 },
    });
    expect(list.data).toEqual([]);
    const all = await stack.stripe.customers.listBalanceTransactions(customer.id, { created: { gte: 0 } });
    expect(all.data).toHaveLength(5);
  });

  it('answers 404 for a cursor that is not in the list', async () => {
    const error = await stripeError(
      stack.stripe.customers.listBalanceTransactions(customer.id, { starting_after: 'cbtxn_missing' }),
    );
    expect(error.statusCode).toBe(404);
    expect(error.param).toBe('starting_after');
  });
});

describe("the customer's balance parameter", () => {
  it("records a starting balance as an 'initial' transaction", async () => {
    const customer = await stack.stripe.customers.create({ balance: 1000 });
    expect(customer).toMatchObject({ balance: 1000, currency: 'usd' });
    const list = await stack.stripe.customers.listBalanceTransactions(customer.id);
    expect(list.data).toHaveLength(1);
    expect(list.data[0]).toMatchObject({
      type: 'initial',
      amount: 1000,
      ending_balance: 1000,
      currency: 'usd',
    });
  });

  it("records a changed balance as an 'adjustment' of the difference, and nothing when unchanged", async () => {
    const customer = await stack.stripe.customers.create({});
    expect((await stack.stripe.customers.listBalanceTransactions(customer.id)).data).toEqual([]);
    const updated = await stack.stripe.customers.update(customer.id, { balance: -250 });
    expect(updated.balance).toBe(-250);
    await stack.stripe.customers.update(customer.id, { balance: -250, name: 'Same balance' });
    await stack.stripe.customers.update(customer.id, { balance: 100 });
    const list = await stack.stripe.customers.listBalanceTransactions(customer.id);
    expect(list.data.map((txn) => [txn.type, txn.amount, txn.ending_balance])).toEqual([
      ['adjustment', 350, 100],
      ['adjustment', -250, -250],
    ]);
  });
});

describe('bad input', () => {
  let customer: Stripe.Customer;
  beforeAll(async () => {
    customer = await stack.stripe.customers.create({});
  });

  const cases: Array<[string, Record<string, unknown>, string | undefined, string]> = [
    ['a missing amount', { currency: 'usd' }, 'parameter_missing', 'amount'],
    ['a missing currency', { amount: 100 }, 'parameter_missing', 'currency'],
    ['a non-integer amount', { amount: 'abc', currency: 'usd' }, 'parameter_invalid_integer', 'amount'],
    ['a fractional amount', { amount: '1.5', currency: 'usd' }, 'parameter_invalid_integer', 'amount'],
    ['a zero amount', { amount: 0, currency: 'usd' }, 'parameter_invalid_integer', 'amount'],
    [
      'an amount too large',
      { amount: 100_000_000_000, currency: 'usd' },
      'parameter_invalid_integer',
      'amount',
    ],
    ['an unsupported currency', { amount: 100, currency: 'xyz' }, undefined, 'currency'],
    ['an unknown parameter', { amount: 100, currency: 'usd', bogus: 'x' }, 'parameter_unknown', 'bogus'],
  ];

  it.each(cases)(
    'refuses %s with 400 naming the parameter, writing nothing',
    async (_name, params, code, param) => {
      const before = await ledgerSnapshot();
      const error = await stripeError(
        stack.stripe.customers.createBalanceTransaction(
          customer.id,
          params as unknown as Stripe.CustomerCreateBalanceTransactionParams,
        ),
      );
      expect(error.statusCode).toBe(400);
      expect(error.type).toBe('StripeInvalidRequestError');
      expect(error.code).toBe(code);
      expect(error.param).toBe(param);
      expect(await ledgerSnapshot()).toEqual(before);
    },
  );

  it("answers 404 for an unknown, deleted or another account's customer, writing nothing", async () => {
    const deleted = await stack.stripe.customers.create({});
    await stack.stripe.customers.del(deleted.id);
    const other = await stack.newAccount();
    const before = await ledgerSnapshot();
    const attempts = [
      stack.stripe.customers.createBalanceTransaction('cus_missing', { amount: 1, currency: 'usd' }),
      stack.stripe.customers.createBalanceTransaction(deleted.id, { amount: 1, currency: 'usd' }),
      other.stripe.customers.createBalanceTransaction(customer.id, { amount: 1, currency: 'usd' }),
      other.stripe.customers.listBalanceTransactions(customer.id),
    ];
    for (const attempt of attempts) {
      const error = await stripeError(attempt);
      expect(error.statusCode).toBe(404);
      expect(error.code).toBe('resource_missing');
      expect(error.param).toBe('id');
    }
    expect(await ledgerSnapshot()).toEqual(before);
  });

  it("hides another account's transactions", async () => {
    const txn = await stack.stripe.customers.createBalanceTransaction(customer.id, {
      amount: 3,
      currency: 'usd',
    });
    const other = await stack.newAccount();
    const error = await stripeError(other.stripe.customers.retrieveBalanceTransaction(customer.id, txn.id));
    expect(error.statusCode).toBe(404);
  });
});

describe('recordBalanceTransaction', () => {
  async function record(customerId: string, id: string, amount: number) {
    return stack.db.transaction((trx) =>
      recordBalanceTransaction(trx, {
        accountId: stack.accountId,
        customerId,
        id,
        amount,
        currency: 'usd',
        type: 'invoice_too_small',
        invoiceId: 'in_test',
        description: null,
        metadata: {},
        created: 1_700_000_000,
      }),
    );
  }

  it('moves the balance once when called again with the same id', async () => {
    const customer = await stack.stripe.customers.create({});
    const id = newId('cbtxn');
    const first = await record(customer.id, id, 40);
    const retry = await record(customer.id, id, 40);
    expect(first.inserted).toBe(true);
    expect(retry.inserted).toBe(false);
    expect(retry.record).toEqual(first.record);
    expect(first.record).toMatchObject({
      endingBalance: 40,
      invoiceId: 'in_test',
      type: 'invoice_too_small',
    });
    expect(((await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(40);
    const rows = await stack.db('customer_balance_transactions').where({ id });
    expect(rows).toHaveLength(1);
  });

  it('moves the balance once when two writers race with the same id', async () => {
    const customer = await stack.stripe.customers.create({});
    const id = newId('cbtxn');
    const results = await Promise.all([record(customer.id, id, 25), record(customer.id, id, 25)]);
    expect(results.map((result) => result.inserted).sort()).toEqual([false, true]);
    expect(((await stack.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance).toBe(25);
  });

  it('chains ending balances across distinct ids', async () => {
    const customer = await stack.stripe.customers.create({});
    await record(customer.id, newId('cbtxn'), 10);
    const second = await record(customer.id, newId('cbtxn'), -30);
    expect(second.record.endingBalance).toBe(-20);
    const list = await stack.stripe.customers.listBalanceTransactions(customer.id);
    expect(list.data[0]).toMatchObject({ invoice: 'in_test', ending_balance: -20 });
  });
});
