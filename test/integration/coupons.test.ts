// /v1/coupons, /v1/promotion_codes and the discounts they put on invoices, invoice items and
// subscriptions, through the official stripe client. Figures are worked out by hand beside them.
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { eventTypes, stripeError, refusedWithoutChange as refusedUnchanged } from '../support/stripe-helpers';
import { advanceClock } from '../support/test-clock';
import { waitFor } from '../support/wait-for';

const DAY = 86_400;
const JAN_1 = 1_893_456_000; // 2030-01-01T00:00:00Z
const FEB_1 = JAN_1 + 31 * DAY;
const MAR_1 = FEB_1 + 28 * DAY;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

const TABLES = ['coupons', 'promotion_codes', 'invoices', 'invoice_items', 'events'];

function refusedWithoutChange(request: () => Promise<unknown>): Promise<Stripe.errors.StripeError> {
  return refusedUnchanged(stack, TABLES, request);
}

async function draftOf(amounts: number[], params: Partial<Stripe.InvoiceCreateParams> = {}) {
  const customer = await stack.stripe.customers.create({});
  const draft = await stack.stripe.invoices.create({ customer: customer.id, ...params });
  const invoice = await stack.stripe.invoices.addLines(draft.id, {
    lines: amounts.map((amount) => ({ amount })),
  });
  return { customer, invoice };
}

describe('coupons', () => {
  it('creates, retrieves, updates, lists and deletes a coupon in Stripe shape, with its events', async () => {
    const created = await stack.stripe.coupons.create({
      id: 'SPRING25',
      percent_off: 25,
      duration: 'repeating',
      duration_in_months: 3,
      max_redemptions: 10,
      name: 'Spring sale',
      metadata: { campaign: 'spring' },
    });
    expect(created).toMatchObject({
      id: 'SPRING25',
      object: 'coupon',
      percent_off: 25,
      amount_off: null,
      currency: null,
      duration: 'repeating',
      duration_in_months: 3,
      max_redemptions: 10,
      times_redeemed: 0,
      valid: true,
      name: 'Spring sale',
    });
    expect(await stack.stripe.coupons.retrieve('SPRING25')).toEqual(created);
    const updated = await stack.stripe.coupons.update('SPRING25', {
      name: 'Spring',
      metadata: { campaign: '' },
    });
    expect(updated).toMatchObject({ name: 'Spring', metadata: {} });
    const listed = await stack.stripe.coupons.list({ limit: 100 });
    expect(listed.data.map((coupon) => coupon.id)).toContain('SPRING25');
    expect(await stack.stripe.coupons.del('SPRING25')).toEqual({
      id: 'SPRING25',
      object: 'coupon',
      deleted: true,
    });
    expect(await stripeError(stack.stripe.coupons.retrieve('SPRING25'))).toMatchObject({ statusCode: 404 });
    expect(await eventTypes(stack, 'SPRING25')).toEqual([
      'coupon.created',
      'coupon.updated',
      'coupon.deleted',
    ]);
  });

  it('refuses a bad coupon naming the parameter, and changes nothing', async () => {
    const cases: Array<[Stripe.CouponCreateParams, string]> = [
      [{ duration: 'once' }, 'percent_off'],
      [{ amount_off: 500 }, 'currency'],
      [{ percent_off: 120 }, 'percent_off'],
      [{ percent_off: 10, duration: 'repeating' }, 'duration_in_months'],
      [{ percent_off: 10, redeem_by: 1_000_000 }, 'redeem_by'],
    ];
    for (const [params, param] of cases) {
      const error = await refusedWithoutChange(() => stack.stripe.coupons.create(params));
      expect(error).toMatchObject({ statusCode: 400, param });
    }
    await stack.stripe.coupons.create({ id: 'TWICE', percent_off: 5 });
    const duplicate = await refusedWithoutChange(() =>
      stack.stripe.coupons.create({ id: 'TWICE', percent_off: 5 }),
    );
    expect(duplicate).toMatchObject({ statusCode: 400, code: 'resource_already_exists', param: 'id' });
  });

  it("never shows one account's coupons to another", async () => {
    const coupon = await stack.stripe.coupons.create({ percent_off: 10 });
    const other = await stack.newAccount();
    expect(await stripeError(other.stripe.coupons.retrieve(coupon.id))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    const customer = await other.stripe.customers.create({});
    const refused = await stripeError(
      other.stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: coupon.id }] }),
    );
    expect(refused).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'discounts[0][coupon]',
    });
  });
});

describe('promotion codes', () => {
  it('creates, finds by code, updates and lists codes; an active code is unique in any case', async () => {
    const coupon = await stack.stripe.coupons.create({ amount_off: 500, currency: 'usd' });
    const promotion = await stack.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'WELCOME5',
      max_redemptions: 3,
    });
    expect(promotion).toMatchObject({
      object: 'promotion_code',
      code: 'WELCOME5',
      active: true,
      promotion: { type: 'coupon', coupon: coupon.id },
      max_redemptions: 3,
      times_redeemed: 0,
    });
    const found = await stack.stripe.promotionCodes.list({ code: 'welcome5' });
    expect(found.data.map((code) => code.id)).toEqual([promotion.id]);
    const taken = await refusedWithoutChange(() =>
      stack.stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: coupon.id },
        code: 'welcome5',
      }),
    );
    expect(taken).toMatchObject({ statusCode: 400, param: 'code' });
    const off = await stack.stripe.promotionCodes.update(promotion.id, { active: false });
    expect(off.active).toBe(false);
    const restricted = await refusedWithoutChange(() =>
      stack.stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: coupon.id },
        restrictions: { first_time_transaction: true },
      }),
    );
    expect(restricted).toMatchObject({ statusCode: 400, param: 'restrictions[first_time_transaction]' });
  });
});

describe('discounts on an invoice', () => {
  it('takes item discounts first, then the invoice coupon, before tax, as worked out by hand', async () => {
    const quarter = await stack.stripe.coupons.create({ percent_off: 25 });
    const fiveOff = await stack.stripe.coupons.create({ amount_off: 500, currency: 'usd' });
    const sales = await stack.stripe.taxRates.create({
      display_name: 'Sales',
      percentage: 10,
      inclusive: false,
    });
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({
      customer: customer.id,
      discounts: [{ coupon: quarter.id }],
      default_tax_rates: [sales.id],
    });
    await stack.stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      amount: 2000,
      discounts: [{ coupon: fiveOff.id }],
    });
    const invoice = await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 1000 }] });
    // Item line 2000: 500 off (its coupon) -> 1500; 25 % -> 375 off -> 1125; tax 10 % = 112.5 -> 113.
    // Line 1000: 25 % -> 250 off -> 750; tax 75.
    // subtotal 3000; discounts 500 + 625 = 1125; tax 188; total 3000 - 1125 + 188 = 2063.
    expect(invoice).toMatchObject({
      subtotal: 3000,
      total: 2063,
      total_excluding_tax: 1875,
      amount_due: 2063,
    });
    const [discountId] = invoice.discounts as string[];
    expect(discountId).toMatch(/^di_/);
    expect(invoice.total_discount_amounts).toEqual([
      { amount: 500, discount: expect.stringMatching(/^di_/) },
      { amount: 625, discount: discountId },
    ]);
    expect(invoice.total_taxes?.[0]).toMatchObject({ amount: 188, taxable_amount: 1875 });
    const lines = await stack.stripe.invoices.listLineItems(invoice.id);
    expect(lines.data.map((line) => line.discount_amounts?.map((entry) => entry.amount))).toEqual([
      [500, 375],
      [250],
    ]);
    expect((await stack.stripe.coupons.retrieve(quarter.id)).times_redeemed).toBe(1);
    expect((await stack.stripe.coupons.retrieve(fiveOff.id)).times_redeemed).toBe(1);

    // Keeping the invoice's discount by id redeems nothing more.
    const kept = await stack.stripe.invoices.update(invoice.id, { discounts: [{ discount: discountId }] });
    expect(kept.total).toBe(2063);
    expect((await stack.stripe.coupons.retrieve(quarter.id)).times_redeemed).toBe(1);

    const finalized = await stack.stripe.invoices.finalizeInvoice(invoice.id);
    expect(finalized).toMatchObject({ status: 'open', amount_due: 2063 });
    // A finalized invoice's discounts no longer change, and the refused call redeems nothing.
    const refused = await refusedWithoutChange(() =>
      stack.stripe.invoices.update(invoice.id, { discounts: [{ coupon: fiveOff.id }] }),
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'discounts' });
    expect((await stack.stripe.coupons.retrieve(fiveOff.id)).times_redeemed).toBe(1);
  });

  it('refuses a used-up coupon with coupon_expired, and changes nothing', async () => {
    const single = await stack.stripe.coupons.create({ percent_off: 10, max_redemptions: 1 });
    await draftOf([1000], { discounts: [{ coupon: single.id }] });
    const customer = await stack.stripe.customers.create({});
    const error = await refusedWithoutChange(() =>
      stack.stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: single.id }] }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'coupon_expired', param: 'discounts[0][coupon]' });
    const after = await stack.stripe.coupons.retrieve(single.id);
    expect(after).toMatchObject({ times_redeemed: 1, valid: false });
  });

  it('refuses a coupon past its redeem_by with coupon_expired, and changes nothing', async () => {
    const soon = await stack.stripe.coupons.create({
      percent_off: 10,
      redeem_by: Math.floor(Date.now() / 1000) + 2,
    });
    expect(soon.valid).toBe(true);
    await waitFor(
      async () => !(await stack.stripe.coupons.retrieve(soon.id)).valid,
      5_000,
      'redeem_by to pass',
    );
    const customer = await stack.stripe.customers.create({});
    const error = await refusedWithoutChange(() =>
      stack.stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: soon.id }] }),
    );
    expect(error).toMatchObject({ statusCode: 400, code: 'coupon_expired', param: 'discounts[0][coupon]' });
    expect((await stack.stripe.coupons.retrieve(soon.id)).times_redeemed).toBe(0);
  });

  it('refuses an amount off in another currency naming the coupon', async () => {
    const euros = await stack.stripe.coupons.create({ amount_off: 100, currency: 'eur' });
    const customer = await stack.stripe.customers.create({});
    const error = await refusedWithoutChange(() =>
      stack.stripe.invoices.create({
        customer: customer.id,
        currency: 'usd',
        discounts: [{ coupon: euros.id }],
      }),
    );
    expect(error).toMatchObject({ statusCode: 400, param: 'discounts[0][coupon]' });
  });

  it('applies a promotion code, counting it and its coupon', async () => {
    const coupon = await stack.stripe.coupons.create({ amount_off: 300, currency: 'usd' });
    const promotion = await stack.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      max_redemptions: 1,
    });
    const { invoice } = await draftOf([1000]);
    const discounted = await stack.stripe.invoices.update(invoice.id, {
      discounts: [{ promotion_code: promotion.id }],
    });
    expect(discounted).toMatchObject({ subtotal: 1000, total: 700 });
    expect((await stack.stripe.promotionCodes.retrieve(promotion.id)).times_redeemed).toBe(1);
    expect((await stack.stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
    const again = await draftOf([1000]);
    const error = await refusedWithoutChange(() =>
      stack.stripe.invoices.update(again.invoice.id, { discounts: [{ promotion_code: promotion.id }] }),
    );
    expect(error).toMatchObject({
      statusCode: 400,
      code: 'coupon_expired',
      param: 'discounts[0][promotion_code]',
    });
  });

  it('takes discounts on lines given to add_lines and update_lines', async () => {
    const twoOff = await stack.stripe.coupons.create({ amount_off: 200, currency: 'usd' });
    const customer = await stack.stripe.customers.create({});
    const invoice = await stack.stripe.invoices.create({ customer: customer.id });
    const added = await stack.stripe.invoices.addLines(invoice.id, {
      lines: [{ amount: 1000, discounts: [{ coupon: twoOff.id }] }, { amount: 500 }],
    });
    // 1000 - 200 + 500 = 1300
    expect(added).toMatchObject({ subtotal: 1500, total: 1300 });
    const [first] = added.lines.data;
    expect(first?.discounts).toHaveLength(1);
    expect(first?.discount_amounts?.map((entry) => entry.amount)).toEqual([200]);
    const cleared = await stack.stripe.invoices.updateLines(invoice.id, {
      lines: [{ id: first?.id as string, discounts: '' }],
    });
    expect(cleared.total).toBe(1500);
    expect((await stack.stripe.coupons.retrieve(twoOff.id)).times_redeemed).toBe(1);
  });

  it('removes the discounts of a draft', async () => {
    const coupon = await stack.stripe.coupons.create({ percent_off: 50 });
    const { invoice } = await draftOf([1000], { discounts: [{ coupon: coupon.id }] });
    expect(invoice.total).toBe(500);
    const expanded = await stack.stripe.invoices.retrieve(invoice.id, { expand: ['discounts'] });
    expect(expanded.discounts).toEqual([
      expect.objectContaining({
        object: 'discount',
        invoice: invoice.id,
        source: { type: 'coupon', coupon: expect.objectContaining({ id: coupon.id, percent_off: 50 }) },
      }),
    ]);
    const cleared = await stack.stripe.invoices.update(invoice.id, { discounts: '' });
    expect(cleared).toMatchObject({ total: 1000, discounts: [], total_discount_amounts: [] });
  });
});

describe('discounts on a subscription', () => {
  it('applies a repeating coupon for exactly its months across renewals', async () => {
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: JAN_1 });
    const customer = await stack.stripe.customers.create({
      test_clock: clock.id,
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const product = await stack.stripe.products.create({ name: 'Gold' });
    const price = await stack.stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 2000,
      recurring: { interval: 'month' },
    });
    const coupon = await stack.stripe.coupons.create({
      percent_off: 50,
      duration: 'repeating',
      duration_in_months: 2,
    });
    const subscription = await stack.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      discounts: [{ coupon: coupon.id }],
    });
    expect(subscription.discounts).toHaveLength(1);
    await advanceClock(stack.stripe, clock, FEB_1 + DAY, 30_000);
    await advanceClock(stack.stripe, clock, MAR_1 + DAY, 30_000);
    const invoices = (
      await stack.stripe.invoices.list({ subscription: subscription.id, limit: 10 })
    ).data.sort((a, b) => a.created - b.created);
    // January and February at half price (1000), March at full price (2000).
    expect(invoices.map((invoice) => [invoice.subtotal, invoice.total])).toEqual([
      [2000, 1000],
      [2000, 1000],
      [2000, 2000],
    ]);
    expect((await stack.stripe.coupons.retrieve(coupon.id)).times_redeemed).toBe(1);
    // Its months over, the discount is gone from the subscription.
    expect((await stack.stripe.subscriptions.retrieve(subscription.id)).discounts).toEqual([]);
  });
});
