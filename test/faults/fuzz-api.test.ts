// Bad input, generated with fast-check and sent as raw HTTP to the running API: random
// parameter names and nesting, wrong types, huge bodies, deep brackets, very long strings,
// invalid UTF-8 and SQL fragments, on every resource. Each answer must be a 4xx Stripe error
// (never a 5xx, never a hang), the server must keep serving, and the database must not change.
import fc from 'fast-check';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { snapshotDatabase, type DatabaseSnapshot } from './db-snapshot';
import { isStripeError, rawRequest, type RawResponse } from './raw-http';

jest.setTimeout(180_000);

type FormValue = string | FormValue[] | { [key: string]: FormValue };
type Kind = 'int' | 'bool' | 'string' | 'enum' | 'metadata' | 'array';
interface Endpoint {
  method: 'GET' | 'POST' | 'DELETE';
  path: string; // `{name}` stands for a fixture id
  params: Record<string, Kind>;
}

const ENDPOINTS: Endpoint[] = [
  { method: 'POST', path: '/v1/products', params: { name: 'string', active: 'bool', metadata: 'metadata' } },
  {
    method: 'POST',
    path: '/v1/products/{prod}',
    params: { name: 'string', active: 'bool', metadata: 'metadata' },
  },
  { method: 'DELETE', path: '/v1/products/{prod}', params: {} },
  { method: 'GET', path: '/v1/products', params: { limit: 'int', active: 'bool' } },
  {
    method: 'POST',
    path: '/v1/prices',
    params: { product: 'string', unit_amount: 'int', currency: 'string' },
  },
  {
    method: 'POST',
    path: '/v1/prices/{price}',
    params: { active: 'bool', nickname: 'string', metadata: 'metadata' },
  },
  { method: 'GET', path: '/v1/prices', params: { limit: 'int', product: 'string' } },
  {
    method: 'POST',
    path: '/v1/subscriptions',
    params: { customer: 'string', items: 'array', metadata: 'metadata' },
  },
  { method: 'GET', path: '/v1/subscriptions', params: { limit: 'int', customer: 'string' } },
  {
    method: 'POST',
    path: '/v1/customers',
    params: { balance: 'int', email: 'string', metadata: 'metadata', next_invoice_sequence: 'int' },
  },
  {
    method: 'POST',
    path: '/v1/customers/{cus}',
    params: { balance: 'int', name: 'string', metadata: 'metadata', tax_exempt: 'enum' },
  },
  { method: 'DELETE', path: '/v1/customers/{cus}', params: {} },
  { method: 'GET', path: '/v1/customers', params: { limit: 'int', email: 'string', expand: 'array' } },
  { method: 'GET', path: '/v1/customers/{cus}', params: { expand: 'array' } },
  { method: 'GET', path: '/v1/customers/search', params: { query: 'string', limit: 'int', page: 'string' } },
  {
    method: 'POST',
    path: '/v1/customers/{cus}/balance_transactions',
    params: { amount: 'int', metadata: 'metadata' },
  },
  {
    method: 'POST',
    path: '/v1/customers/{cus}/balance_transactions/{txn}',
    params: { metadata: 'metadata', description: 'string' },
  },
  { method: 'GET', path: '/v1/customers/{cus}/balance_transactions', params: { limit: 'int' } },
  {
    method: 'POST',
    path: '/v1/invoices',
    params: {
      customer: 'string',
      auto_advance: 'bool',
      days_until_due: 'int',
      collection_method: 'enum',
      metadata: 'metadata',
    },
  },
  {
    method: 'POST',
    path: '/v1/invoices/{draft}',
    params: { auto_advance: 'bool', description: 'string', due_date: 'int', metadata: 'metadata' },
  },
  { method: 'DELETE', path: '/v1/invoices/{draft}', params: {} },
  { method: 'GET', path: '/v1/invoices', params: { limit: 'int', status: 'enum', customer: 'string' } },
  { method: 'GET', path: '/v1/invoices/{draft}', params: { expand: 'array' } },
  { method: 'GET', path: '/v1/invoices/search', params: { query: 'string', limit: 'int' } },
  { method: 'GET', path: '/v1/invoices/{draft}/lines', params: { limit: 'int' } },
  {
    method: 'POST',
    path: '/v1/invoices/{draft}/add_lines',
    params: { lines: 'array', invoice_metadata: 'metadata' },
  },
  {
    method: 'POST',
    path: '/v1/invoices/{draft}/finalize',
    params: { auto_advance: 'bool', expand: 'array' },
  },
  {
    method: 'POST',
    path: '/v1/invoices/{open}/pay',
    params: { paid_out_of_band: 'bool', forgive: 'bool', payment_method: 'string' },
  },
  { method: 'POST', path: '/v1/invoices/{open}/void', params: { expand: 'array' } },
  { method: 'POST', path: '/v1/invoices/{open}/mark_uncollectible', params: { expand: 'array' } },
  { method: 'POST', path: '/v1/invoices/{open}/attach_payment', params: { payment_intent: 'string' } },
  {
    method: 'POST',
    path: '/v1/invoiceitems',
    params: { customer: 'string', amount: 'int', metadata: 'metadata' },
  },
  {
    method: 'POST',
    path: '/v1/invoiceitems/{ii}',
    params: { amount: 'int', description: 'string', metadata: 'metadata' },
  },
  { method: 'DELETE', path: '/v1/invoiceitems/{ii}', params: {} },
  { method: 'GET', path: '/v1/invoiceitems', params: { limit: 'int', customer: 'string' } },
  {
    method: 'POST',
    path: '/v1/payment_intents',
    params: { amount: 'int', confirm: 'bool', currency: 'string' },
  },
  { method: 'GET', path: '/v1/payment_intents/{pi}', params: { expand: 'array' } },
  {
    method: 'GET',
    path: '/v1/payment_intents',
    params: { limit: 'int', customer: 'string', created: 'int' },
  },
  // {pi} has succeeded: every step on it is refused, whatever the body.
  { method: 'POST', path: '/v1/payment_intents/{pi}/confirm', params: { payment_method: 'string' } },
  { method: 'POST', path: '/v1/payment_intents/{pi}/cancel', params: { cancellation_reason: 'string' } },
  { method: 'POST', path: '/v1/payment_intents/{pi}/capture', params: { amount_to_capture: 'int' } },
  {
    method: 'GET',
    path: '/v1/invoice_payments',
    params: { limit: 'int', invoice: 'string', status: 'string' },
  },
  { method: 'GET', path: '/v1/payment_methods', params: { customer: 'string', limit: 'int' } },
  { method: 'GET', path: '/v1/events', params: { limit: 'int', types: 'array' } },
  { method: 'GET', path: '/v1/events/{evt}', params: { expand: 'array' } },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints',
    params: { url: 'string', enabled_events: 'array', metadata: 'metadata' },
  },
  {
    method: 'POST',
    path: '/v1/webhook_endpoints/{we}',
    params: { disabled: 'bool', url: 'string', metadata: 'metadata' },
  },
  { method: 'DELETE', path: '/v1/webhook_endpoints/{we}', params: {} },
  { method: 'GET', path: '/v1/webhook_endpoints', params: { limit: 'int' } },
  { method: 'POST', path: '/v1/test_helpers/test_clocks', params: { frozen_time: 'int', name: 'string' } },
  { method: 'POST', path: '/v1/test_helpers/test_clocks/{clock}/advance', params: { frozen_time: 'int' } },
  { method: 'DELETE', path: '/v1/test_helpers/test_clocks/{clock}', params: {} },
  { method: 'GET', path: '/v1/test_helpers/test_clocks', params: { limit: 'int' } },
  {
    method: 'POST',
    path: '/v1/extensions/collection_settings',
    params: { finalization_delay: 'int', final_action: 'enum', payment_retry_schedule: 'array' },
  },
  { method: 'GET', path: '/v1/extensions/collection_settings', params: {} },
];

// Resources with ids, for ids full of SQL, bad bytes or thousands of characters.
const BY_ID = [
  '/v1/customers/%s',
  '/v1/invoices/%s',
  '/v1/invoices/%s/lines',
  '/v1/invoices/%s/finalize',
  '/v1/invoiceitems/%s',
  '/v1/payment_intents/%s',
  '/v1/invoice_payments/%s',
  '/v1/payment_methods/%s',
  '/v1/events/%s',
  '/v1/webhook_endpoints/%s',
  '/v1/test_helpers/test_clocks/%s',
  '/v1/customers/cus_missing/balance_transactions/%s',
  '/v1/products/%s',
  '/v1/prices/%s',
  '/v1/subscriptions/%s',
];

const SQL = [
  "' OR '1'='1",
  "'; DROP TABLE customers; --",
  '" OR 1=1 --',
  "x' UNION SELECT id, secret FROM webhook_endpoints --",
  '1); DELETE FROM invoices WHERE (1=1',
  "%' OR account_id LIKE '%",
  "\\'; TRUNCATE events CASCADE; --",
  '$1',
  '?',
  "'; SELECT pg_sleep(30); --",
  '/**/OR/**/1=1',
  "') OR ('a'='a",
];

// Raw byte sequences that are never UTF-8, and their percent-encoded twins.
const BAD_BYTES = [
  [0xff],
  [0xc3, 0x28],
  [0xed, 0xa0, 0x80],
  [0xe2, 0x82],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0x80],
];
const BAD_ESCAPES = [
  '%FF',
  '%C3%28',
  '%ED%A0%80',
  '%E2%82',
  '%F8%88%80%80%80',
  '%80',
  '%00',
  '%',
  '%G1',
  '%E0%A4%A',
];

let stack: Stack;
let ids: Record<string, string>;
let before: DatabaseSnapshot;
const tally: Record<string, number> = {};

function fill(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name]);
}

function encodeForm(value: FormValue, prefix: string, out: string[]): void {
  if (typeof value === 'string') {
    out.push(`${prefix}=${encodeURIComponent(value)}`);
    return;
  }
  if (prefix && Object.keys(value).length === 0) {
    out.push(`${prefix}=`); // an empty array or object still sends its name
    return;
  }
  const entries = Array.isArray(value)
    ? value.map((item, index) => [String(index), item] as const)
    : Object.entries(value);
  for (const [key, item] of entries) {
    encodeForm(item, prefix ? `${prefix}[${encodeURIComponent(key)}]` : encodeURIComponent(key), out);
  }
}

function formOf(params: Record<string, FormValue>): string {
  const out: string[] = [];
  encodeForm(params, '', out);
  return out.join('&');
}

// GET and DELETE carry parameters in the query string (as the official client sends them),
// POST in the body.
async function send(endpoint: { method: string; path: string }, form: string | Buffer): Promise<RawResponse> {
  if (endpoint.method === 'POST') {
    return rawRequest(stack.api.url, {
      method: 'POST',
      path: endpoint.path,
      body: form,
      key: stack.secretKey,
    });
  }
  const query = Buffer.isBuffer(form) ? form.toString('latin1') : form;
  return rawRequest(stack.api.url, {
    method: endpoint.method,
    path: query ? `${endpoint.path}?${query}` : endpoint.path,
    key: stack.secretKey,
  });
}

function expectRefused(response: RawResponse, what: string): void {
  if (response.status < 400 || response.status >= 500 || !isStripeError(response.json)) {
    throw new Error(`${what}: answered ${response.status} ${response.text.slice(0, 300)}`);
  }
  expect(response.headers['request-id']).toMatch(/^req_/);
}

async function check(label: string, endpoint: { method: string; path: string }, form: string | Buffer) {
  tally[label] = (tally[label] ?? 0) + 1;
  const response = await send(endpoint, form);
  expectRefused(
    response,
    `${label}: ${endpoint.method} ${endpoint.path.slice(0, 100)} ${String(form).slice(0, 200)}`,
  );
}

async function stillServing(): Promise<void> {
  const response = await rawRequest(stack.api.url, {
    method: 'GET',
    path: `/v1/customers/${ids.cus}`,
    key: stack.secretKey,
  });
  expect(response.status).toBe(200);
}

const endpointArb = fc.constantFrom(...ENDPOINTS);
const withParams = ENDPOINTS.filter((endpoint) => Object.keys(endpoint.params).length > 0);
const keyArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' }),
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'hasOwnProperty',
    'toString',
    '[',
    ']',
    '[]',
    '0',
    '-1',
    'a]b[c',
  ),
);
const { tree: nestedArb } = fc.letrec<{ tree: FormValue }>((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 20, unit: 'grapheme' }),
    fc.array(tie('tree'), { maxLength: 3 }),
    fc.dictionary(keyArb, tie('tree'), { maxKeys: 3 }),
  ),
}));
// A parameter name no endpoint knows, always present, so every request is certainly invalid.
const unknownKeyArb = fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme-ascii' }).map((s) => `zz${s}`);
const notEmpty = (values: string[]) => (s: string) => s !== '' && !values.includes(s);

// Names inside wrong values stay plain, so that brackets in them cannot make a valid shape.
const plainKey = (min: number, max: number) => fc.stringMatching(new RegExp(`^[a-z0-9_]{${min},${max}}$`));

function wrongValue(kind: Kind): fc.Arbitrary<FormValue> {
  const nested = fc.oneof(
    fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 }),
    fc.dictionary(plainKey(1, 5), fc.string({ maxLength: 5 }), {
      minKeys: 1,
      maxKeys: 3,
    }),
  );
  switch (kind) {
    case 'int':
      return fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }).filter((s) => !/^-?\d{1,16}$/.test(s)),
        fc.constantFrom('1.5', '1e3', ' 1', '0x10', '99999999999999999', 'NaN', 'Infinity', '-', '1_000'),
        nested,
      );
    case 'bool':
      return fc.oneof(
        // `true`/`false` in any letter case are booleans (stripe-python sends `True`).
        fc.string({ maxLength: 10 }).filter((s) => notEmpty(['true', 'false'])(s.toLowerCase())),
        fc.constantFrom('1', '0', 'yes', 'on'),
        nested,
      );
    case 'enum':
      return fc.oneof(
        fc.string({ minLength: 1, maxLength: 30 }).map((s) => `not-${s}`),
        nested,
      );
    case 'string':
      return nested;
    case 'metadata':
      return fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 3 }),
        plainKey(41, 80).map((key) => ({ [key]: 'v' })),
        fc.dictionary(
          plainKey(1, 10),
          fc.dictionary(plainKey(1, 5), fc.string(), { minKeys: 1, maxKeys: 2 }),
          { minKeys: 1, maxKeys: 2 },
        ),
      );
    case 'array':
      return fc.oneof(
        fc.string({ minLength: 1, maxLength: 20 }),
        fc.dictionary(
          plainKey(1, 5).map((s) => `k${s}`),
          fc.string({ maxLength: 5 }),
          { minKeys: 1, maxKeys: 3 },
        ),
        fc.array(
          fc.dictionary(
            plainKey(1, 5).map((s) => `q${s}`),
            fc.string(),
            { minKeys: 1, maxKeys: 2 },
          ),
          { minLength: 1, maxLength: 2 },
        ),
      );
  }
}

// Every (endpoint, parameter) pair, each with its kind's wrong values (built once: arbitraries
// built inside a chain would be rebuilt on every run).
const WRONG: Record<Kind, fc.Arbitrary<FormValue>> = {
  int: wrongValue('int'),
  bool: wrongValue('bool'),
  string: wrongValue('string'),
  enum: wrongValue('enum'),
  metadata: wrongValue('metadata'),
  array: wrongValue('array'),
};
const wrongTypeArb = fc
  .constantFrom(
    ...withParams.flatMap((endpoint) => Object.keys(endpoint.params).map((param) => ({ endpoint, param }))),
  )
  .chain(({ endpoint, param }) =>
    WRONG[endpoint.params[param]].map((value) => ({ endpoint, params: { [param]: value } })),
  );

beforeAll(async () => {
  stack = await startStack();
  const { stripe } = stack;
  const customer = await stripe.customers.create({ email: 'fuzz@example.com', metadata: { tier: 'gold' } });
  const txn = await stripe.customers.createBalanceTransaction(customer.id, { amount: -100, currency: 'usd' });
  const draft = await stripe.invoices.create({ customer: customer.id });
  await stripe.invoices.addLines(draft.id, { lines: [{ amount: 1000 }] });
  const open = await stripe.invoices.create({
    customer: customer.id,
    collection_method: 'send_invoice',
    days_until_due: 30,
  });
  await stripe.invoices.addLines(open.id, { lines: [{ amount: 2000 }] });
  await stripe.invoices.finalizeInvoice(open.id, { auto_advance: false });
  const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 300, currency: 'usd' });
  const intent = await stripe.paymentIntents.create({
    amount: 500,
    currency: 'usd',
    confirm: true,
    payment_method: 'pm_card_visa',
    customer: customer.id,
  });
  // An endpoint for an event that nothing here emits: no delivery moves the database.
  const endpoint = await stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/never',
    enabled_events: ['invoice.voided'],
  });
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: 1_893_456_000 });
  const [event] = (await stack.db('events').where({ account_id: stack.accountId }).limit(1)) as Array<{
    id: string;
  }>;
  // A product without prices (it could be deleted) and one with a price.
  const product = await stripe.products.create({ name: 'Fuzz' });
  const priced = await stripe.products.create({ name: 'Priced' });
  const price = await stripe.prices.create({ product: priced.id, currency: 'usd', unit_amount: 100 });
  ids = {
    prod: product.id,
    price: price.id,
    cus: customer.id,
    txn: txn.id,
    draft: draft.id,
    open: open.id,
    ii: item.id,
    pi: intent.id,
    we: endpoint.id,
    clock: clock.id,
    evt: event.id,
  };
  // Quiet before the snapshot: every event dispatched and planned (nothing left to deliver).
  await waitFor(
    async () => {
      const [{ busy }] = (await stack
        .db('events')
        .whereNull('webhooks_delivered_at')
        .count({ busy: '*' })) as Array<{ busy: string }>;
      return Number(busy) === 0;
    },
    30_000,
    'every event to be dispatched',
  );
  before = await snapshotDatabase(stack.db);
});

afterAll(async () => {
  await stack?.stop();
  // The figures the README quotes.
  console.log(`fuzz requests per category: ${JSON.stringify(tally)}`);
});

afterEach(async () => {
  await stillServing();
  // `__proto__[x]=1`, `constructor[prototype][x]=1`...: nothing leaked into shared prototypes.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(await snapshotDatabase(stack.db)).toEqual(before);
});

describe('the API refuses bad input with a 4xx Stripe error and changes nothing', () => {
  it('random parameter names and nesting, on every endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(
        endpointArb,
        unknownKeyArb,
        nestedArb,
        fc.dictionary(keyArb, nestedArb, { maxKeys: 3 }),
        async (endpoint, unknown, value, extra) => {
          await check(
            'random names and nesting',
            { ...endpoint, path: fill(endpoint.path) },
            formOf({ ...extra, [unknown]: value }),
          );
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('wrong types for known parameters', async () => {
    await fc.assert(
      fc.asyncProperty(wrongTypeArb, async ({ endpoint, params }) => {
        await check('wrong types', { ...endpoint, path: fill(endpoint.path) }, formOf(params));
      }),
      { numRuns: 1000 },
    );
  });

  it('bodies over the size limit get 413', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS.filter((endpoint) => endpoint.method === 'POST')),
        fc.integer({ min: 1024 * 1024 + 1, max: 3 * 1024 * 1024 }),
        async (endpoint, size) => {
          tally['huge bodies'] = (tally['huge bodies'] ?? 0) + 1;
          const body = Buffer.alloc(size, 'a');
          body.write('name=');
          const response = await rawRequest(stack.api.url, {
            method: 'POST',
            path: fill(endpoint.path),
            body,
            key: stack.secretKey,
          });
          expect(response.status).toBe(413);
          expect(isStripeError(response.json)).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('brackets nested deeper than any Stripe parameter, and unbalanced ones', async () => {
    const known = fc.constantFrom('metadata', 'expand', 'lines', 'created', 'invoice_settings', 'zz');
    const deep = fc
      .tuple(known, fc.integer({ min: 9, max: 400 }), fc.constantFrom('[a]', '[]', '[0]', '[b%5D]'))
      .map(([name, depth, bracket]) => `${name}${bracket.repeat(depth)}=x`);
    const unbalanced = fc
      .tuple(known, fc.integer({ min: 1, max: 300 }), fc.constantFrom('[', ']', '][', '[[]', '[%5B]'))
      .map(([name, n, piece]) => `${name}${piece.repeat(n)}=x&zz=1`);
    await fc.assert(
      fc.asyncProperty(endpointArb, fc.oneof(deep, unbalanced), async (endpoint, form) => {
        await check('deep or unbalanced brackets', { ...endpoint, path: fill(endpoint.path) }, form);
      }),
      { numRuns: 300 },
    );
  });

  it('very long strings: values, metadata, ids and search queries', async () => {
    const long = (min: number, max: number) => fc.integer({ min, max }).map((n) => 'x'.repeat(n));
    const cases = fc.oneof(
      fc
        .tuple(
          fc.constantFrom(...withParams.filter((e) => Object.values(e.params).includes('metadata'))),
          long(501, 20_000),
        )
        .map(([endpoint, value]) => {
          const param = Object.keys(endpoint.params).find((name) => endpoint.params[name] === 'metadata')!;
          return { endpoint, form: formOf({ [param]: { note: value } }) };
        }),
      fc
        .constantFrom(...withParams.filter((e) => Object.values(e.params).includes('string')))
        // A URL stays under Node's 16 KB header limit (beyond it: the 431 below).
        .chain((endpoint) =>
          fc.tuple(fc.constant(endpoint), long(5001, endpoint.method === 'GET' ? 14_000 : 50_000)),
        )
        .map(([endpoint, value]) => {
          const param = Object.keys(endpoint.params).find((name) => endpoint.params[name] === 'string')!;
          return { endpoint, form: formOf({ [param]: value }) };
        }),
      fc
        .tuple(fc.constantFrom('/v1/invoices/search', '/v1/customers/search'), long(5001, 12_000))
        .map(([path, value]) => ({
          endpoint: { method: 'GET' as const, path, params: {} },
          form: formOf({ query: `email:"${value}"` }),
        })),
      fc.tuple(fc.constantFrom(...BY_ID), fc.integer({ min: 256, max: 8000 })).map(([path, n]) => ({
        endpoint: { method: 'GET' as const, path: path.replace('%s', `cus_${'9'.repeat(n)}`), params: {} },
        form: '',
      })),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ endpoint, form }) => {
        await check('very long strings', { ...endpoint, path: fill(endpoint.path) }, form);
      }),
      { numRuns: 200 },
    );
    // A URL longer than Node's header limit is answered 431 by Node itself, before the API.
    const response = await rawRequest(stack.api.url, {
      method: 'GET',
      path: `/v1/customers?email=${'x'.repeat(20_000)}`,
      key: stack.secretKey,
    });
    expect(response.status).toBe(431);
  });

  it('invalid UTF-8, raw and percent-encoded, in names and values', async () => {
    const raw = fc
      .tuple(
        fc.constantFrom(...BAD_BYTES),
        fc.boolean(),
        fc.string({ maxLength: 10, unit: 'grapheme-ascii' }),
      )
      .map(([bytes, inKey, text]) => {
        const bad = Buffer.from(bytes);
        const safe = Buffer.from(encodeURIComponent(text));
        return inKey
          ? Buffer.concat([Buffer.from('name'), bad, safe, Buffer.from('=x')])
          : Buffer.concat([Buffer.from('name='), safe, bad, safe]);
      });
    const escaped = fc
      .tuple(
        fc.constantFrom(...BAD_ESCAPES),
        fc.constantFrom('name', 'description', 'metadata[note]', 'email', 'query', 'customer'),
        fc.boolean(),
      )
      .map(([escape, param, inKey]) => (inKey ? `${param}${escape}=x` : `${param}=ok${escape}`));
    const postOnly = ENDPOINTS.filter((endpoint) => endpoint.method === 'POST');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...postOnly), fc.oneof(raw, escaped), async (endpoint, form) => {
        await check('invalid UTF-8', { ...endpoint, path: fill(endpoint.path) }, form);
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ENDPOINTS.filter((e) => e.method !== 'POST')),
        fc.constantFrom(...BAD_ESCAPES),
        async (endpoint, escape) => {
          await check('invalid UTF-8', { ...endpoint, path: fill(endpoint.path) }, `email=a${escape}`);
        },
      ),
      { numRuns: 100 },
    );
    // Percent-encoded non-UTF-8 inside ids in the path.
    for (const path of BY_ID) {
      for (const escape of BAD_ESCAPES.filter((e) => e !== '%')) {
        await check('invalid UTF-8', { method: 'GET', path: path.replace('%s', `cus_${escape}`) }, '');
      }
    }
    // Raw non-UTF-8 bytes in a URL never reach the API: Node's HTTP parser answers 400 itself.
    for (const bytes of BAD_BYTES) {
      tally['invalid UTF-8'] += 1;
      const path = `/v1/customers/cus_${Buffer.from(bytes).toString('latin1')}`;
      const response = await rawRequest(stack.api.url, { method: 'GET', path, key: stack.secretKey });
      expect(response.status).toBe(400);
    }
  });

  it('SQL fragments in ids, as any method, answer 404', async () => {
    const sqlId = fc
      .tuple(
        fc.constantFrom('', 'cus_', 'in_', 'ii_', 'evt_', 'we_', 'clock_', 'pi_', 'cbtxn_'),
        fc.constantFrom(...SQL),
        fc.string({ maxLength: 8 }),
      )
      .map(([prefix, sql, tail]) => `${prefix}${sql}${tail}`);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...BY_ID),
        fc.constantFrom('GET', 'POST', 'DELETE'),
        sqlId,
        async (path, method, id) => {
          tally['SQL in ids'] = (tally['SQL in ids'] ?? 0) + 1;
          const response = await send({ method, path: path.replace('%s', encodeURIComponent(id)) }, '');
          expectRefused(response, `SQL in id ${method} ${path} ${id}`);
          // No such object, or no such route for that method: never a 5xx, never someone's data.
          expect([400, 404]).toContain(response.status);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('SQL fragments in search queries and list filters refuse or match nothing', async () => {
    const bareSql = fc
      .tuple(
        fc.constantFrom('email', 'name', 'status', 'metadata["tier"]', 'total', ''),
        fc.constantFrom(':', '>', '~', ''),
        fc.constantFrom(...SQL),
      )
      .map(([field, op, sql]) => `${field}${op}${sql}`);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/v1/invoices/search', '/v1/customers/search'),
        bareSql,
        async (path, query) => {
          await check('SQL in search queries', { method: 'GET', path }, formOf({ query }));
        },
      ),
      { numRuns: 300 },
    );
    // Quoted, the same text is only a value: searched for, found nowhere, nothing run.
    for (const sql of SQL) {
      for (const [path, query] of [
        ['/v1/customers/search', `email:"${sql.replace(/["\\]/g, '\\$&')}"`],
        ['/v1/customers/search', `metadata["${sql.replace(/["\\]/g, '\\$&')}"]:"gold"`],
        ['/v1/invoices/search', `number:"${sql.replace(/["\\]/g, '\\$&')}"`],
      ]) {
        tally['SQL in search queries'] = (tally['SQL in search queries'] ?? 0) + 1;
        const response = await send({ method: 'GET', path }, formOf({ query }));
        if (response.status !== 200) expectRefused(response, `quoted SQL ${query}`);
        else expect((response.json as { data: unknown[] }).data).toEqual([]);
      }
    }
  });
});

describe('SQL fragments in metadata are stored as text', () => {
  it('round-trips them and finds them by search, and every table is still there', async () => {
    // Writes on purpose: its own snapshot afterwards is the new baseline.
    for (const sql of SQL) {
      const customer = await stack.stripe.customers.create({
        name: sql,
        metadata: { [sql.slice(0, 40)]: sql },
      });
      tally['SQL in metadata'] = (tally['SQL in metadata'] ?? 0) + 1;
      const back = await stack.stripe.customers.retrieve(customer.id);
      expect(back).toMatchObject({ name: sql, metadata: { [sql.slice(0, 40)]: sql } });
    }
    const escaped = SQL[1].replace(/["\\]/g, '\\$&');
    const found = await stack.stripe.customers.search({ query: `metadata["${escaped}"]:"${escaped}"` });
    expect(found.data.map((customer) => customer.name)).toEqual([SQL[1]]);
    expect(Number((await stack.db('customers').count({ n: '*' }))[0].n)).toBe(SQL.length + 1);
    // Their customer.created events are settled by the dispatcher (the account has an endpoint):
    // the baseline is taken once that is done.
    await waitFor(
      async () =>
        Number((await stack.db('events').whereNull('delivery_started_at').count({ n: '*' }))[0].n) === 0,
      20_000,
      'the customer events to be settled',
    );
    before = await snapshotDatabase(stack.db);
  });
});
