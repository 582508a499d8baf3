// Boolean parameters on the wire, endpoint by endpoint, as Stripe's v1 API takes them: `true`
// and `false` in any letter case (stripe-python before 8 and stripe-dotnet send `True`/`False`),
// and 400 "Invalid boolean: 1" naming the parameter for anything else, `1` and `0` included.
// Every boolean goes through one parser (api/stripe/params.ts, unit-tested case by case); this
// proves each endpoint's boolean reaches it, in bodies and query strings, top level and nested.
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let customer: string;
let price: string;

beforeAll(async () => {
  stack = await startStack();
  customer = (await stack.stripe.customers.create({ email: 'bool@example.com' })).id;
  const product = await stack.stripe.products.create({ name: 'Seat' });
  price = (
    await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 500,
      recurring: { interval: 'month' },
    })
  ).id;
});
afterAll(async () => {
  await stack?.stop();
});

async function call(method: 'GET' | 'POST', path: string, params: Record<string, string>) {
  const form = new URLSearchParams(params).toString();
  const response = await fetch(`${stack.api.url}${method === 'GET' ? `${path}?${form}` : path}`, {
    method,
    headers: {
      Authorization: `Bearer ${stack.secretKey}`,
      ...(method === 'POST' ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: method === 'POST' ? form : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const draft = async () => (await stack.stripe.invoices.create({ customer, auto_advance: false })).id;

interface Case {
  endpoint: string;
  param: string;
  request(value: string): Promise<{ status: number; body: Record<string, unknown> }>;
}

const cases: Case[] = [
  {
    endpoint: 'POST /v1/invoices',
    param: 'auto_advance',
    request: (value) => call('POST', '/v1/invoices', { customer, auto_advance: value }),
  },
  {
    endpoint: 'POST /v1/invoices/:id',
    param: 'auto_advance',
    request: async (value) => call('POST', `/v1/invoices/${await draft()}`, { auto_advance: value }),
  },
  {
    endpoint: 'POST /v1/invoices/:id/add_lines',
    param: 'lines[0][discountable]',
    request: async (value) =>
      call('POST', `/v1/invoices/${await draft()}/add_lines`, {
        'lines[0][amount]': '100',
        'lines[0][discountable]': value,
      }),
  },
  {
    endpoint: 'POST /v1/invoices/:id/finalize',
    param: 'auto_advance',
    request: async (value) => {
      const id = await draft();
      await stack.stripe.invoices.addLines(id, { lines: [{ amount: 100 }] });
      return call('POST', `/v1/invoices/${id}/finalize`, { auto_advance: value });
    },
  },
  {
    endpoint: 'POST /v1/invoiceitems',
    param: 'discountable',
    request: (value) =>
      call('POST', '/v1/invoiceitems', { customer, amount: '100', currency: 'usd', discountable: value }),
  },
  {
    endpoint: 'GET /v1/invoiceitems',
    param: 'pending',
    request: (value) => call('GET', '/v1/invoiceitems', { pending: value }),
  },
  {
    endpoint: 'POST /v1/products',
    param: 'shippable',
    request: (value) => call('POST', '/v1/products', { name: 'Box', shippable: value }),
  },
  {
    endpoint: 'GET /v1/products',
    param: 'active',
    request: (value) => call('GET', '/v1/products', { active: value }),
  },
  {
    endpoint: 'GET /v1/prices',
    param: 'active',
    request: (value) => call('GET', '/v1/prices', { active: value }),
  },
  {
    endpoint: 'GET /v1/events',
    param: 'delivery_success',
    request: (value) => call('GET', '/v1/events', { delivery_success: value }),
  },
  {
    endpoint: 'POST /v1/webhook_endpoints/:id',
    param: 'disabled',
    request: async (value) => {
      const endpoint = await stack.stripe.webhookEndpoints.create({
        url: 'https://example.com/hook',
        enabled_events: ['*'],
      });
      return call('POST', `/v1/webhook_endpoints/${endpoint.id}`, { disabled: value });
    },
  },
  {
    endpoint: 'POST /v1/subscriptions',
    param: 'cancel_at_period_end',
    request: (value) =>
      call('POST', '/v1/subscriptions', {
        customer,
        'items[0][price]': price,
        cancel_at_period_end: value,
      }),
  },
];

describe.each(cases)('$endpoint $param', ({ param, request }) => {
  it.each(['False', 'TRUE', 'tRuE', 'false'])('accepts %s', async (value) => {
    const { status, body } = await request(value);
    expect({ status, error: body.error }).toEqual({ status: 200, error: undefined });
  });

  it.each(['1', '0', 'yes'])('refuses %s, naming the parameter', async (value) => {
    const { status, body } = await request(value);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({
      type: 'invalid_request_error',
      param,
      message: `Invalid boolean: ${value}`,
    });
  });
});
