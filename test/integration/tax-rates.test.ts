// /v1/tax_rates and the taxes they put on invoices, through the official stripe client. Every
// invoice figure is worked out by hand in the comment beside it.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, stripeError, refusedWithoutChange as refusedUnchanged } from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const TABLES = ['tax_rates', 'invoices', 'invoice_items', 'events'];

function refusedWithoutChange(request: () => Promise<unknown>): Promise<Stripe.errors.StripeError> {
  return refusedUnchanged(stack, TABLES, request);
}

function salesTax(stripe: Stripe = stack.stripe) {
  return stripe.taxRates.create({
    display_name: 'Sales tax',
    percentage: 8.25,
    inclusive: false,
    state: 'CA',
  });
}

function vat(stripe: Stripe = stack.stripe) {
  return stripe.taxRates.create({
    display_name: 'VAT',
    percentage: 20,
    inclusive: true,
    country: 'DE',
    tax_type: 'vat',
  });
}

describe('tax rates', () => {
  it('creates, retrieves, updates and lists a rate in Stripe shape, with its events', async () => {
    const created = await stack.stripe.taxRates.create({
      display_name: 'VAT',
      description: 'VAT Germany',
      percentage: 19,
      inclusive: false,
      country: 'de',
      jurisdiction: 'DE',
      tax_type: 'vat',
      metadata: { region: 'eu' },
    });
    expect(created.id).toMatch(/^txr_/);
    expect(created).toMatchObject({
      object: 'tax_rate',
      active: true,
      country: 'DE',
      description: 'VAT Germany',
      display_name: 'VAT',
      inclusive: false,
      jurisdiction: 'DE',
      livemode: false,
      metadata: { region: 'eu' },
      percentage: 19,
      state: null,
      tax_type: 'vat',
    });
    expect(await stack.stripe.taxRates.retrieve(created.id)).toEqual(created);

    const updated = await stack.stripe.taxRates.update(created.id, {
      active: false,
      display_name: 'MwSt',
      metadata: { region: '', tier: 'standard' },
    });
    expect(updated).toMatchObject({ active: false, display_name: 'MwSt', metadata: { tier: 'standard' } });
    expect(updated.percentage).toBe(19);
    expect(await eventTypes(stack, created.id)).toEqual(['tax_rate.created', 'tax_rate.updated']);
    const [event] = (await stack.stripe.events.list({ type: 'tax_rate.updated', limit: 1 })).data;
    expect(event?.data.previous_attributes).toMatchObject({ active: true, display_name: 'VAT' });

    const inactive = await stack.stripe.taxRates.list({ active: false, limit: 100 });
    expect(inactive.data.map((rate) => rate.id)).toContain(created.id);
    const active = await stack.stripe.taxRates.list({ active: true, limit: 100 });
    expect(active.data.map((rate) => rate.id)).not.toContain(created.id);
  });

  it('keeps exact decimal percentages', async () => {
    const rate = await stack.stripe.taxRates.create({
      display_name: 'Tiny',
      percentage: 0.0625,
      inclusive: false,
    });
    expect(rate.percentage).toBe(0.0625);
  });

  it('pages the list newest first', async () => {
    const { stripe } = await stack.newAccount();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await salesTax(stripe)).id);
    const first = await stripe.taxRates.list({ limit: 2 });
    expect(first.data.map((rate) => rate.id)).toEqual([ids[2], ids[1]]);
    expect(first.has_more).toBe(true);
    const next = await stripe.taxRates.list({ limit: 2, starting_after: ids[1] });
    expect(next.data.map((rate) => rate.id)).toEqual([ids[0]]);
    expect(next.has_more).toBe(false);
  });

  it('refuses a bad percentage naming it, and changes nothing', async () => {
    for (const percentage of [-1, 100.5, 8.123456]) {
      const error = await refusedWithoutChange(() =>
        stack.stripe.taxRates.create({ display_name: 'Bad', percentage, inclusive: false }),
      );
      expect(error).toMatchObject({ statusCode: 400, param: 'percentage' });
    }
    const missing = await refusedWithoutChange(() =>
      stack.stripe.taxRates.create({ display_name: 'Bad', percentage: 5 } as Stripe.TaxRateCreateParams),
    );
    expect(missing).toMatchObject({ statusCode: 400, param: 'inclusive' });
  });

  it("never shows one account's rates to another", async () => {
    const rate = await salesTax();
    const other = await stack.newAccount();
    const error = await stripeError(other.stripe.taxRates.retrieve(rate.id));
    expect(error).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const update = await stripeError(other.stripe.taxRates.update(rate.id, { active: false }));
    expect(update).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    expect((await other.stripe.taxRates.list()).data).toEqual([]);
  });
});

describe('taxes on an invoice', () => {
  it('taxes each line with its own rates or the defaults, inclusive and exclusive, as worked out by hand', async () => {
    const sales = await salesTax();
    const included = await vat();
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({
      customer: customer.id,
      default_tax_rates: [sales.id],
    });
    expect(draft.default_tax_rates.map((rate) => rate.id)).toEqual([sales.id]);

    // An invoice item with its own rates (the inclusive VAT and the sales tax on top).
    await stack.stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      amount: 1200,
      tax_rates: [included.id, sales.id],
    });
    const invoice = await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 2500 }] });

    // Line 1 (the item): 1200 includes 20 %: 1200 × 20 / 120 = 200, 1000 taxable;
    //   8.25 % of 1000 = 82.5 -> 83.
    // Line 2: 2500 with the default 8.25 %: 206.25 -> 206.
    // subtotal 3700; exclusive tax 83 + 206 = 289; total 3989; inclusive tax 200;
    // total_excluding_tax 3989 - 289 - 200 = 3500; subtotal_excluding_tax 3700 - 200 = 3500.
    expect(invoice).toMatchObject({
      subtotal: 3700,
      subtotal_excluding_tax: 3500,
      total: 3989,
      total_excluding_tax: 3500,
      amount_due: 3989,
    });
    expect(invoice.total_taxes).toEqual([
      {
        amount: 200,
        tax_behavior: 'inclusive',
        tax_rate_details: { tax_rate: included.id },
        taxability_reason: 'not_available',
        taxable_amount: 1000,
        type: 'tax_rate_details',
      },
      {
        amount: 289,
        tax_behavior: 'exclusive',
        tax_rate_details: { tax_rate: sales.id },
        taxability_reason: 'not_available',
        taxable_amount: 3500,
        type: 'tax_rate_details',
      },
    ]);
    const lines = await stack.stripe.invoices.listLineItems(invoice.id);
    expect(
      lines.data.map((line) => line.taxes?.map((tax) => [tax.tax_rate_details?.tax_rate, tax.amount])),
    ).toEqual([
      [
        [included.id, 200],
        [sales.id, 83],
      ],
      [[sales.id, 206]],
    ]);
    const item = (await stack.stripe.invoiceItems.list({ invoice: invoice.id })).data.find(
      (candidate) => candidate.amount === 1200,
    );
    expect(item?.tax_rates?.map((rate) => rate.id)).toEqual([included.id, sales.id]);

    // The line drops its own rates and falls back to the default: 1200 × 8.25 % = 99;
    // total 2500 + 1200 + 206 + 99 = 4005.
    const lineId = lines.data[0]?.id as string;
    const relaxed = await stack.stripe.invoices.updateLines(invoice.id, {
      lines: [{ id: lineId, tax_rates: '' }],
    });
    expect(relaxed).toMatchObject({ subtotal: 3700, total: 4005, total_excluding_tax: 3700 });

    const finalized = await stack.stripe.invoices.finalizeInvoice(invoice.id);
    expect(finalized).toMatchObject({ status: 'open', total: 4005, amount_due: 4005 });
    const refused = await refusedWithoutChange(() =>
      stack.stripe.invoices.update(invoice.id, { default_tax_rates: [sales.id] }),
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'default_tax_rates' });
  });

  it('changes the default rates of a draft, or removes them', async () => {
    const sales = await salesTax();
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({ customer: customer.id });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 1000 }] });
    // 1000 × 8.25 % = 82.5 -> 83
    const taxed = await stack.stripe.invoices.update(draft.id, { default_tax_rates: [sales.id] });
    expect(taxed).toMatchObject({ total: 1083, amount_due: 1083 });
    const untaxed = await stack.stripe.invoices.update(draft.id, { default_tax_rates: '' });
    expect(untaxed).toMatchObject({ total: 1000, default_tax_rates: [], total_taxes: [] });
  });

  it("refuses an archived rate, an unknown one or another account's, naming the parameter, and changes nothing", async () => {
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({ customer: customer.id });
    const archived = await salesTax();
    await stack.stripe.taxRates.update(archived.id, { active: false });
    const foreign = await salesTax((await stack.newAccount()).stripe);

    const inactive = await refusedWithoutChange(() =>
      stack.stripe.invoices.update(draft.id, { default_tax_rates: [archived.id] }),
    );
    expect(inactive).toMatchObject({ statusCode: 400, param: 'default_tax_rates[0]' });
    const elsewhere = await refusedWithoutChange(() =>
      stack.stripe.invoices.create({ customer: customer.id, default_tax_rates: [foreign.id] }),
    );
    expect(elsewhere).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'default_tax_rates[0]',
    });
    const onLine = await refusedWithoutChange(() =>
      stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 100, tax_rates: ['txr_nope'] }] }),
    );
    expect(onLine).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'lines[0][tax_rates][0]',
    });
    const onItem = await refusedWithoutChange(() =>
      stack.stripe.invoiceItems.create({ customer: customer.id, amount: 100, tax_rates: [archived.id] }),
    );
    expect(onItem).toMatchObject({ statusCode: 400, param: 'tax_rates[0]' });
    expect((await stack.stripe.invoices.retrieve(draft.id)).default_tax_rates).toEqual([]);
  });

  it('refuses automatic tax by name', async () => {
    const customer = await stack.stripe.customers.create({});
    const error = await refusedWithoutChange(() =>
      stack.stripe.invoices.create({ customer: customer.id, automatic_tax: { enabled: true } }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'automatic_tax[enabled]' });
  });

  it("carries a pending item's rates onto the invoice that claims it", async () => {
    const included = await vat();
    const customer = await stack.stripe.customers.create({});
    await stack.stripe.invoiceItems.create({ customer: customer.id, amount: 600, tax_rates: [included.id] });
    const invoice = await stack.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    // 600 includes 20 %: 600 × 20 / 120 = 100; total stays 600, 500 excluding tax.
    expect(invoice).toMatchObject({ subtotal: 600, total: 600, total_excluding_tax: 500 });
    expect(invoice.total_taxes).toEqual([expect.objectContaining({ amount: 100, taxable_amount: 500 })]);
  });
});
