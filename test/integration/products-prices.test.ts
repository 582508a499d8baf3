// /v1/products and /v1/prices through the official stripe client: each account's catalogue,
// Stripe's shapes, filters and pagination, its refusals (with the parameter they name) and the
// events every change records.
import Stripe from 'stripe';
import { expectStripeShape } from '../support/stripe-shape';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, stripeError } from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

// The body as it was on the wire: the client turns decimal strings into Decimal objects.
function wire(body: unknown): unknown {
  return JSON.parse(JSON.stringify(body));
}

async function catalogueCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of ['products', 'prices', 'events']) {
    const [{ count }] = await stack.db(table).count({ count: '*' });
    counts[table] = Number(count);
  }
  return counts;
}

// Every refusal must leave the catalogue (and the event log) as it was.
async function refusedWithoutChange(request: () => Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const before = await catalogueCounts();
  const error = await stripeError(request());
  expect(await catalogueCounts()).toEqual(before);
  return error;
}

async function newProduct(stripe: Stripe = stack.stripe, params: Partial<Stripe.ProductCreateParams> = {}) {
  return stripe.products.create({ name: 'Widget', ...params });
}

describe('products', () => {
  it('creates, retrieves, updates, lists and deletes a product in Stripe shape', async () => {
    const created = await stack.stripe.products.create({
      name: 'Gold plan',
      description: 'The best plan',
      metadata: { tier: 'gold', region: 'eu' },
      unit_label: 'seat',
      images: ['https://example.com/gold.png'],
      marketing_features: [{ name: 'Priority support' }],
    });
    expect(created.id).toMatch(/^prod_[0-9A-Za-z]{24}$/);
    expect(created).toMatchObject({
      object: 'product',
      name: 'Gold plan',
      active: true,
      description: 'The best plan',
      default_price: null,
      metadata: { tier: 'gold', region: 'eu' },
      unit_label: 'seat',
      images: ['https://example.com/gold.png'],
      marketing_features: [{ name: 'Priority support' }],
      livemode: false,
      type: 'service',
      url: null,
    });
    expect(created.updated).toBe(created.created);
    expectStripeShape(wire(created));
    expect(await stack.stripe.products.retrieve(created.id)).toEqual(created);

    const updated = await stack.stripe.products.update(created.id, {
      name: 'Gold plan (2026)',
      description: '',
      metadata: { region: '', seats: '10' },
      active: false,
    });
    expect(updated).toMatchObject({
      name: 'Gold plan (2026)',
      description: null,
      active: false,
      metadata: { tier: 'gold', seats: '10' },
    });
    expect(await stack.stripe.products.retrieve(created.id)).toEqual(updated);

    const listed = await stack.stripe.products.list({ limit: 100 });
    expect(listed.data.find((p) => p.id === created.id)).toEqual(updated);

    const deleted = await stack.stripe.products.del(created.id);
    expect(deleted).toEqual({ id: created.id, object: 'product', deleted: true });
    const gone = await stripeError(stack.stripe.products.retrieve(created.id));
    expect(gone).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    expect(await eventTypes(stack, created.id)).toEqual([
      'product.created',
      'product.updated',
      'product.deleted',
    ]);
  });

  it('records what an update changed in previous_attributes', async () => {
    const product = await newProduct(stack.stripe, { metadata: { a: '1' } });
    await stack.stripe.products.update(product.id, { name: 'Renamed', metadata: { b: '2' } });
    const row = (await stack
      .db('events')
      .where({ object_id: product.id, type: 'product.updated' })
      .first()) as {
      body: Stripe.Event;
    };
    expect(row.body.data.object).toMatchObject({ name: 'Renamed', metadata: { a: '1', b: '2' } });
    expect(row.body.data.previous_attributes).toMatchObject({ name: 'Widget', metadata: { a: '1' } });
  });

  it('takes the caller’s own id, once per account', async () => {
    const product = await newProduct(stack.stripe, { id: 'gold-plan_1' });
    expect(product.id).toBe('gold-plan_1');
    const again = await refusedWithoutChange(() => newProduct(stack.stripe, { id: 'gold-plan_1' }));
    expect(again).toMatchObject({ statusCode: 400, code: 'resource_already_exists', param: 'id' });
    // Another account's catalogue is its own: the same id is free there.
    const other = await stack.newAccount();
    expect((await newProduct(other.stripe, { id: 'gold-plan_1', name: 'Other' })).name).toBe('Other');
    expect((await stack.stripe.products.retrieve('gold-plan_1')).name).toBe('Widget');
    const bad = await refusedWithoutChange(() => newProduct(stack.stripe, { id: 'has spaces' }));
    expect(bad).toMatchObject({ statusCode: 400, param: 'id' });
  });

  it('creates the default price with default_price_data and expands it', async () => {
    const product = await stack.stripe.products.create({
      name: 'Pro',
      default_price_data: { currency: 'usd', unit_amount: 1500, recurring: { interval: 'month' } },
      expand: ['default_price'],
    });
    const price = product.default_price as Stripe.Price;
    expect(price).toMatchObject({
      object: 'price',
      product: product.id,
      unit_amount: 1500,
      currency: 'usd',
      type: 'recurring',
      recurring: { interval: 'month', interval_count: 1, usage_type: 'licensed' },
    });
    expect((await stack.stripe.products.retrieve(product.id)).default_price).toBe(price.id);
    expect(await eventTypes(stack, price.id)).toEqual(['price.created']);

    // Its default price cannot be archived; another active price of the product can replace it.
    const archive = await refusedWithoutChange(() => stack.stripe.prices.update(price.id, { active: false }));
    expect(archive).toMatchObject({ statusCode: 400, param: 'active' });
    const yearly = await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 15000,
      recurring: { interval: 'year' },
    });
    const switched = await stack.stripe.products.update(product.id, { default_price: yearly.id });
    expect(switched.default_price).toBe(yearly.id);
    expect((await stack.stripe.prices.update(price.id, { active: false })).active).toBe(false);
  });

  it('refuses a bad default price, naming default_price', async () => {
    const product = await newProduct();
    const elsewhere = await stack.stripe.prices.create({
      product_data: { name: 'Elsewhere' },
      currency: 'usd',
      unit_amount: 100,
    });
    const missing = await refusedWithoutChange(() =>
      stack.stripe.products.update(product.id, { default_price: 'price_nope' }),
    );
    expect(missing).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'default_price' });
    const foreign = await refusedWithoutChange(() =>
      stack.stripe.products.update(product.id, { default_price: elsewhere.id }),
    );
    expect(foreign).toMatchObject({ statusCode: 400, param: 'default_price' });
  });

  it('refuses a bad default_price_data and creates nothing', async () => {
    const error = await refusedWithoutChange(() =>
      stack.stripe.products.create({
        name: 'Broken',
        default_price_data: {
          currency: 'usd',
          unit_amount: 100,
          recurring: { interval: 'month', interval_count: 37 },
        },
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'recurring[interval_count]' });
  });

  it('deletes only products without prices', async () => {
    const product = await newProduct();
    await stack.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    const error = await refusedWithoutChange(() => stack.stripe.products.del(product.id));
    expect(error).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' });
    expect((await stack.stripe.products.retrieve(product.id)).id).toBe(product.id);
  });

  it('refuses bad parameters, naming them', async () => {
    const product = await newProduct();
    const cases: Array<[() => Promise<unknown>, string, string?]> = [
      [() => stack.stripe.products.create({} as Stripe.ProductCreateParams), 'name', 'parameter_missing'],
      [() => stack.stripe.products.create({ name: '' }), 'name', 'parameter_invalid_empty'],
      [
        () => stack.stripe.products.create({ name: 'x', statement_descriptor: 'x'.repeat(23) }),
        'statement_descriptor',
      ],
      [() => stack.stripe.products.create({ name: 'x', type: 'gadget' }), 'type'],
      [() => stack.stripe.products.create({ name: 'x', bogus: 1 } as never), 'bogus', 'parameter_unknown'],
      [() => stack.stripe.products.update(product.id, { active: 'maybe' as never }), 'active'],
      [() => stack.stripe.products.list({ limit: 101 }), 'limit'],
      [() => stack.stripe.products.list({ created: { gte: -1 } }), 'created[gte]'],
    ];
    for (const [request, param, code] of cases) {
      const error = await refusedWithoutChange(request);
      expect({ status: error.statusCode, param: error.param }).toEqual({ status: 400, param });
      if (code) expect(error.code).toBe(code);
    }
  });

  it('lists newest first with active, ids and created filters and cursor pagination', async () => {
    const { stripe } = await stack.newAccount();
    const made: Stripe.Product[] = [];
    for (let i = 0; i < 7; i++) made.push(await newProduct(stripe, { name: `P${i}`, active: i % 2 === 0 }));
    const newestFirst = [...made].reverse().map((p) => p.id);

    const all = await stripe.products.list({ limit: 100 });
    expect(all.data.map((p) => p.id)).toEqual(newestFirst);
    expect(all).toMatchObject({ object: 'list', has_more: false, url: '/v1/products' });

    const first = await stripe.products.list({ limit: 3 });
    expect(first.data.map((p) => p.id)).toEqual(newestFirst.slice(0, 3));
    expect(first.has_more).toBe(true);
    const second = await stripe.products.list({ limit: 3, starting_after: first.data[2].id });
    expect(second.data.map((p) => p.id)).toEqual(newestFirst.slice(3, 6));
    const back = await stripe.products.list({ limit: 2, ending_before: second.data[0].id });
    expect(back.data.map((p) => p.id)).toEqual(newestFirst.slice(1, 3));
    expect(back.has_more).toBe(true);
    const paged = await stripe.products.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
    expect(paged.map((p) => p.id)).toEqual(newestFirst);

    const active = await stripe.products.list({ active: true });
    expect(active.data.map((p) => p.name)).toEqual(['P6', 'P4', 'P2', 'P0']);
    const inactive = await stripe.products.list({ active: false });
    expect(inactive.data.map((p) => p.name)).toEqual(['P5', 'P3', 'P1']);
    const byIds = await stripe.products.list({ ids: [made[1].id, made[4].id] });
    expect(byIds.data.map((p) => p.id)).toEqual([made[4].id, made[1].id]);
    const created = made[0].created;
    expect((await stripe.products.list({ created: { lt: created } })).data).toEqual([]);
    expect((await stripe.products.list({ created: { gte: created }, limit: 100 })).data).toHaveLength(7);
  });
});

describe('prices', () => {
  it('creates, retrieves, updates and lists a price in Stripe shape', async () => {
    const product = await newProduct();
    const price = await stack.stripe.prices.create({
      product: product.id,
      currency: 'EUR',
      unit_amount: 2000,
      recurring: { interval: 'month', interval_count: 3 },
      nickname: 'Quarterly',
      lookup_key: `quarterly_${product.id}`,
      metadata: { plan: 'q' },
      tax_behavior: 'exclusive',
    });
    expect(price.id).toMatch(/^price_[0-9A-Za-z]{24}$/);
    expect(wire(price)).toMatchObject({
      object: 'price',
      active: true,
      billing_scheme: 'per_unit',
      currency: 'eur',
      product: product.id,
      type: 'recurring',
      unit_amount: 2000,
      unit_amount_decimal: '2000',
      recurring: {
        interval: 'month',
        interval_count: 3,
        usage_type: 'licensed',
        meter: null,
        trial_period_days: null,
      },
      nickname: 'Quarterly',
      lookup_key: `quarterly_${product.id}`,
      metadata: { plan: 'q' },
      tax_behavior: 'exclusive',
      livemode: false,
      custom_unit_amount: null,
      tiers_mode: null,
      transform_quantity: null,
    });
    expectStripeShape(wire(price));
    expect(wire(await stack.stripe.prices.retrieve(price.id))).toEqual(wire(price));

    const updated = await stack.stripe.prices.update(price.id, {
      active: false,
      nickname: 'Quarterly (old)',
      metadata: { plan: '', note: 'x' },
    });
    expect(updated).toMatchObject({ active: false, nickname: 'Quarterly (old)', metadata: { note: 'x' } });
    expect(updated.unit_amount).toBe(2000);
    expect(wire(await stack.stripe.prices.retrieve(price.id))).toEqual(wire(updated));
    expect(await eventTypes(stack, price.id)).toEqual(['price.created', 'price.updated']);

    const expanded = await stack.stripe.prices.retrieve(price.id, { expand: ['product'] });
    expect((expanded.product as Stripe.Product).name).toBe('Widget');
    const listedExpanded = await stack.stripe.prices.list({ product: product.id, expand: ['data.product'] });
    expect((listedExpanded.data[0].product as Stripe.Product).id).toBe(product.id);
  });

  it('takes unit_amount_decimal with up to twelve places', async () => {
    const price = await stack.stripe.prices.create({
      product_data: { name: 'Metered-ish', metadata: { via: 'product_data' } },
      currency: 'usd',
      unit_amount_decimal: Stripe.Decimal.from('12.500000000001'),
    });
    expect(wire(price)).toMatchObject({
      unit_amount: null,
      unit_amount_decimal: '12.500000000001',
      type: 'one_time',
    });
    const product = await stack.stripe.products.retrieve(price.product as string);
    expect(product).toMatchObject({ name: 'Metered-ish', metadata: { via: 'product_data' } });

    const whole = await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount_decimal: Stripe.Decimal.from('150.00'),
    });
    expect(wire(whole)).toMatchObject({ unit_amount: 150, unit_amount_decimal: '150' });
  });

  it('refuses bad parameters, naming them, and changes nothing', async () => {
    const product = await newProduct();
    const base = { product: product.id, currency: 'usd' };
    const cases: Array<[Record<string, unknown>, string, string?]> = [
      [{ ...base }, 'unit_amount', 'parameter_missing'],
      [{ ...base, unit_amount: 1, unit_amount_decimal: '1' }, 'unit_amount', 'parameters_exclusive'],
      [{ ...base, unit_amount_decimal: '1.0000000000001' }, 'unit_amount_decimal'],
      [{ ...base, unit_amount_decimal: '-5' }, 'unit_amount_decimal'],
      [{ ...base, unit_amount: -1 }, 'unit_amount', 'parameter_invalid_integer'],
      [{ ...base, unit_amount: 100_000_000 }, 'unit_amount', 'amount_too_large'],
      [{ ...base, unit_amount: 1, currency: 'xyz' }, 'currency'],
      [{ product: product.id, unit_amount: 1 }, 'currency', 'parameter_missing'],
      [{ currency: 'usd', unit_amount: 1 }, 'product', 'parameter_missing'],
      [{ ...base, unit_amount: 1, product_data: { name: 'x' } }, 'product', 'parameters_exclusive'],
      [{ ...base, product: 'prod_nope', unit_amount: 1 }, 'product', 'resource_missing'],
      [
        { currency: 'usd', unit_amount: 1, product_data: { unit_label: 'seat' } },
        'product_data[name]',
        'parameter_missing',
      ],
      [{ ...base, unit_amount: 1, recurring: { interval: 'fortnight' } }, 'recurring[interval]'],
      [
        { ...base, unit_amount: 1, recurring: { interval_count: 2 } },
        'recurring[interval]',
        'parameter_missing',
      ],
      [
        { ...base, unit_amount: 1, recurring: { interval: 'month', interval_count: 37 } },
        'recurring[interval_count]',
      ],
      [
        { ...base, unit_amount: 1, recurring: { interval: 'year', interval_count: 4 } },
        'recurring[interval_count]',
      ],
      [
        { ...base, unit_amount: 1, recurring: { interval: 'week', interval_count: 0 } },
        'recurring[interval_count]',
      ],
      [
        { ...base, unit_amount: 1, recurring: { interval: 'month', usage_type: 'metered' } },
        'recurring[usage_type]',
      ],
      [{ ...base, unit_amount: 1, billing_scheme: 'tiered' }, 'billing_scheme'],
      [{ ...base, unit_amount: 1, tax_behavior: 'sometimes' }, 'tax_behavior'],
      [{ ...base, unit_amount: 1, tiers_mode: 'volume' }, 'tiers_mode', 'parameter_unknown'],
    ];
    for (const [params, param, code] of cases) {
      const error = await refusedWithoutChange(() =>
        stack.stripe.prices.create(params as unknown as Stripe.PriceCreateParams),
      );
      expect({ params, status: error.statusCode, param: error.param }).toEqual({
        params,
        status: 400,
        param,
      });
      if (code) expect({ params, code: error.code }).toEqual({ params, code });
    }

    const price = await stack.stripe.prices.create({ ...base, unit_amount: 500, tax_behavior: 'inclusive' });
    const immutable = await refusedWithoutChange(() =>
      stack.stripe.prices.update(price.id, { unit_amount: 600 } as never),
    );
    expect(immutable).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'unit_amount' });
    const taxFixed = await refusedWithoutChange(() =>
      stack.stripe.prices.update(price.id, { tax_behavior: 'exclusive' }),
    );
    expect(taxFixed).toMatchObject({ statusCode: 400, param: 'tax_behavior' });
    expect((await stack.stripe.prices.retrieve(price.id)).unit_amount).toBe(500);
  });

  it('keeps lookup keys unique per account and transfers them on request', async () => {
    const product = await newProduct();
    const key = `standard_${product.id}`;
    const first = await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      lookup_key: key,
    });
    const taken = await refusedWithoutChange(() =>
      stack.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 200, lookup_key: key }),
    );
    expect(taken).toMatchObject({ statusCode: 400, param: 'lookup_key' });
    expect(taken.message).toContain(first.id);

    const second = await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 200,
      lookup_key: key,
      transfer_lookup_key: true,
    });
    expect(second.lookup_key).toBe(key);
    expect((await stack.stripe.prices.retrieve(first.id)).lookup_key).toBeNull();
    expect((await stack.stripe.prices.list({ lookup_keys: [key] })).data.map((p) => p.id)).toEqual([
      second.id,
    ]);

    // An update moves it back the same way; the key can also be cleared.
    const back = await stack.stripe.prices.update(first.id, { lookup_key: key, transfer_lookup_key: true });
    expect(back.lookup_key).toBe(key);
    expect((await stack.stripe.prices.retrieve(second.id)).lookup_key).toBeNull();

    // Lookup keys are per account.
    const other = await stack.newAccount();
    const theirs = await other.stripe.prices.create({
      product_data: { name: 'Theirs' },
      currency: 'usd',
      unit_amount: 100,
      lookup_key: key,
    });
    expect(theirs.lookup_key).toBe(key);
  });

  it('lists with active, currency, product, type and recurring[interval] filters and pagination', async () => {
    const { stripe } = await stack.newAccount();
    const a = await newProduct(stripe, { name: 'A' });
    const b = await newProduct(stripe, { name: 'B' });
    const specs: Stripe.PriceCreateParams[] = [
      { product: a.id, currency: 'usd', unit_amount: 100 },
      { product: a.id, currency: 'usd', unit_amount: 1000, recurring: { interval: 'month' } },
      { product: a.id, currency: 'eur', unit_amount: 900, recurring: { interval: 'month' } },
      { product: b.id, currency: 'usd', unit_amount: 10000, recurring: { interval: 'year' } },
      { product: b.id, currency: 'usd', unit_amount: 50, active: false },
    ];
    const made: Stripe.Price[] = [];
    for (const spec of specs) made.push(await stripe.prices.create(spec));
    const ids = (list: Stripe.ApiList<Stripe.Price>) => list.data.map((p) => p.id);
    const newestFirst = [...made].reverse().map((p) => p.id);

    expect(ids(await stripe.prices.list())).toEqual(newestFirst);
    expect(ids(await stripe.prices.list({ active: true }))).toEqual(newestFirst.slice(1));
    expect(ids(await stripe.prices.list({ active: false }))).toEqual([made[4].id]);
    expect(ids(await stripe.prices.list({ currency: 'eur' }))).toEqual([made[2].id]);
    expect(ids(await stripe.prices.list({ product: a.id }))).toEqual([made[2].id, made[1].id, made[0].id]);
    expect(ids(await stripe.prices.list({ type: 'one_time' }))).toEqual([made[4].id, made[0].id]);
    expect(ids(await stripe.prices.list({ type: 'recurring', recurring: { interval: 'month' } }))).toEqual([
      made[2].id,
      made[1].id,
    ]);
    expect(ids(await stripe.prices.list({ recurring: { interval: 'year' } }))).toEqual([made[3].id]);
    expect(ids(await stripe.prices.list({ recurring: { usage_type: 'metered' } }))).toEqual([]);
    expect(ids(await stripe.prices.list({ created: { lt: made[0].created } }))).toEqual([]);
    expect(ids(await stripe.prices.list({ created: made[0].created, limit: 100 }))).toEqual(
      newestFirst.filter((id) => made.find((p) => p.id === id)?.created === made[0].created),
    );
    expect(ids(await stripe.prices.list({ product: b.id, currency: 'usd', active: true }))).toEqual([
      made[3].id,
    ]);

    const page1 = await stripe.prices.list({ limit: 2 });
    expect(ids(page1)).toEqual(newestFirst.slice(0, 2));
    expect(page1.has_more).toBe(true);
    const page2 = await stripe.prices.list({ limit: 2, starting_after: page1.data[1].id });
    expect(ids(page2)).toEqual(newestFirst.slice(2, 4));
    const before = await stripe.prices.list({ limit: 10, ending_before: page2.data[0].id });
    expect(ids(before)).toEqual(newestFirst.slice(0, 2));
    expect(
      (await stripe.prices.list({ limit: 2 }).autoPagingToArray({ limit: 100 })).map((p) => p.id),
    ).toEqual(newestFirst);

    const badFilter = await stripeError(stripe.prices.list({ type: 'metered' as never }));
    expect(badFilter).toMatchObject({ statusCode: 400, param: 'type' });
    const badInterval = await stripeError(stripe.prices.list({ recurring: { interval: 'hour' as never } }));
    expect(badInterval).toMatchObject({ statusCode: 400, param: 'recurring[interval]' });
  });

  it('answers 404 resource_missing with param id for unknown ids', async () => {
    const price = await stripeError(stack.stripe.prices.retrieve('price_unknown'));
    expect(price).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    const update = await stripeError(stack.stripe.prices.update('price_unknown', { active: false }));
    expect(update).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' });
    for (const request of [
      () => stack.stripe.products.retrieve('prod_unknown'),
      () => stack.stripe.products.update('prod_unknown', { name: 'x' }),
      () => stack.stripe.products.del('prod_unknown'),
    ]) {
      expect(await stripeError(request())).toMatchObject({
        statusCode: 404,
        code: 'resource_missing',
        param: 'id',
      });
    }
  });
});

describe('another account', () => {
  it('never reaches, lists or uses the first account’s products and prices', async () => {
    const product = await newProduct(stack.stripe, { name: 'Private' });
    const price = await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 700,
    });
    const other = await stack.newAccount();
    const missing = { statusCode: 404, code: 'resource_missing', param: 'id' };

    expect(await stripeError(other.stripe.products.retrieve(product.id))).toMatchObject(missing);
    expect(await stripeError(other.stripe.products.update(product.id, { name: 'Mine' }))).toMatchObject(
      missing,
    );
    expect(await stripeError(other.stripe.products.del(product.id))).toMatchObject(missing);
    expect(await stripeError(other.stripe.prices.retrieve(price.id))).toMatchObject(missing);
    expect(await stripeError(other.stripe.prices.update(price.id, { active: false }))).toMatchObject(missing);

    const used = await stripeError(
      other.stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1 }),
    );
    expect(used).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'product' });
    const cursor = await stripeError(other.stripe.products.list({ starting_after: product.id }));
    expect(cursor).toMatchObject({ statusCode: 404, param: 'starting_after' });

    expect((await other.stripe.products.list({ limit: 100 })).data).toEqual([]);
    expect((await other.stripe.prices.list({ limit: 100 })).data).toEqual([]);
    expect((await other.stripe.prices.list({ product: product.id })).data).toEqual([]);
    expect((await other.stripe.products.list({ ids: [product.id] })).data).toEqual([]);

    // Untouched for its owner.
    expect((await stack.stripe.products.retrieve(product.id)).name).toBe('Private');
    expect((await stack.stripe.prices.retrieve(price.id)).active).toBe(true);
  });
});
