// Every figure here is worked out by hand in the comment beside it.
import {
  newCoupon,
  assertRedeemable,
  couponValid,
  type NewCouponInput,
} from '../../../workflows/domain/coupon';
import { applyDiscount, discountActiveAt, type AppliedDiscount } from '../../../workflows/domain/discount';
import { invoiceDiscounts } from '../../../workflows/domain/invoice-discounts';
import { renderInvoice } from '../../../workflows/domain/render/invoice';
import { newTaxRate } from '../../../workflows/domain/tax-rate';
import { computeTotals } from '../../../workflows/domain/totals';
import { draftInvoice, line, NOW, openInvoice, refusalOf } from './support';

const JAN_1 = 1_893_456_000; // 2030-01-01T00:00:00Z
const DAY = 86_400;

function coupon(overrides: Partial<NewCouponInput>) {
  return newCoupon({ id: 'SAVE', accountId: 'acct_test', ...overrides }, NOW);
}

function discount(id: string, overrides: Partial<NewCouponInput>, at = NOW): AppliedDiscount {
  return applyDiscount({ id, coupon: coupon(overrides), promotionCodeId: null, customerId: 'cus_test' }, at);
}

const quarterOff = (id = 'di_q') => discount(id, { percentOff: '25' });
const amountOff = (amount: number, id = 'di_a') => discount(id, { amountOff: amount, currency: 'usd' });

describe('coupons', () => {
  it('take exactly one of percent_off and amount_off (with its currency)', () => {
    expect(refusalOf(() => coupon({})).data.param).toBe('percent_off');
    expect(refusalOf(() => coupon({ percentOff: '10', amountOff: 5, currency: 'usd' })).data.param).toBe(
      'amount_off',
    );
    expect(refusalOf(() => coupon({ amountOff: 500 })).data.param).toBe('currency');
    expect(refusalOf(() => coupon({ percentOff: '100.5' })).data.param).toBe('percent_off');
    expect(refusalOf(() => coupon({ percentOff: '0' })).data.param).toBe('percent_off');
  });

  it('need duration_in_months exactly when repeating', () => {
    expect(refusalOf(() => coupon({ percentOff: '10', duration: 'repeating' })).data.param).toBe(
      'duration_in_months',
    );
    expect(refusalOf(() => coupon({ percentOff: '10', durationInMonths: 3 })).data.param).toBe(
      'duration_in_months',
    );
  });

  it('cannot be redeemed past redeem_by or beyond max_redemptions (coupon_expired)', () => {
    const limited = { ...coupon({ percentOff: '10', maxRedemptions: 2 }), timesRedeemed: 2 };
    expect(couponValid(limited, NOW)).toBe(false);
    expect(refusalOf(() => assertRedeemable(limited, NOW, 'usd', 'discounts[0][coupon]')).data).toMatchObject(
      {
        code: 'coupon_expired',
        param: 'discounts[0][coupon]',
      },
    );
    const dated = coupon({ percentOff: '10', redeemBy: NOW + 10 });
    expect(couponValid(dated, NOW + 9)).toBe(true);
    expect(refusalOf(() => assertRedeemable(dated, NOW + 10, 'usd', 'p')).data.code).toBe('coupon_expired');
  });

  it('refuses an amount in another currency', () => {
    const euros = coupon({ amountOff: 500, currency: 'eur' });
    expect(refusalOf(() => assertRedeemable(euros, NOW, 'usd', 'discounts[0][coupon]')).data.param).toBe(
      'discounts[0][coupon]',
    );
  });
});

describe('how long a discount lasts', () => {
  it('repeating: exactly its months from its start', () => {
    // 2 months from 2030-01-01: until 2030-03-01 (exclusive).
    const twoMonths = discount(
      'di_r',
      { percentOff: '10', duration: 'repeating', durationInMonths: 2 },
      JAN_1,
    );
    const MAR_1 = JAN_1 + (31 + 28) * DAY;
    expect(twoMonths.end).toBe(MAR_1);
    expect(discountActiveAt(twoMonths, JAN_1)).toBe(true);
    expect(discountActiveAt(twoMonths, JAN_1 + 31 * DAY)).toBe(true);
    expect(discountActiveAt(twoMonths, MAR_1)).toBe(false);
  });

  it('once: the invoice made at its start only; forever: always', () => {
    const once = discount('di_o', { percentOff: '10', duration: 'once' }, JAN_1);
    expect(discountActiveAt(once, JAN_1)).toBe(true);
    expect(discountActiveAt(once, JAN_1 + 31 * DAY)).toBe(false);
    const forever = discount('di_f', { percentOff: '10', duration: 'forever' }, JAN_1);
    expect(discountActiveAt(forever, JAN_1 + 3650 * DAY)).toBe(true);
  });
});

describe('invoiceDiscounts', () => {
  it('takes a percentage off each line, rounding each line once', () => {
    // 25 % of 1000 = 250; 25 % of 333 = 83.25 -> 83; 333 in all
    const state = draftInvoice({
      discounts: [quarterOff()],
      lines: [line({ amount: 1000 }), line({ amount: 333 })],
    });
    const result = invoiceDiscounts(state);
    expect([...result.byLine.values()].map((amounts) => amounts.map((a) => a.amount))).toEqual([[250], [83]]);
    expect(result.totals).toEqual([{ discountId: 'di_q', amount: 333 }]);
    expect(computeTotals(state)).toMatchObject({ subtotal: 1333, total: 1000 });
  });

  it('splits an amount off over the lines in proportion, the shares adding up exactly', () => {
    // 500 over 1000 and 3000: 125 and 375
    const split = invoiceDiscounts(
      draftInvoice({ discounts: [amountOff(500)], lines: [line({ amount: 1000 }), line({ amount: 3000 })] }),
    );
    expect([...split.byLine.values()].map((amounts) => amounts[0]?.amount)).toEqual([125, 375]);
    // 100 over three lines of 100: 33.33 each -> 33, 33, 33 and the leftover 1 to the first
    const thirds = invoiceDiscounts(
      draftInvoice({
        discounts: [amountOff(100)],
        lines: [line({ amount: 100 }), line({ amount: 100 }), line({ amount: 100 })],
      }),
    );
    expect([...thirds.byLine.values()].map((amounts) => amounts[0]?.amount)).toEqual([34, 33, 33]);
  });

  it('never takes more than the eligible lines hold', () => {
    // 5000 off lines of 1000 and 300: only 1300 can go
    const state = draftInvoice({
      discounts: [amountOff(5000)],
      lines: [line({ amount: 1000 }), line({ amount: 300 })],
    });
    expect(invoiceDiscounts(state).total).toBe(1300);
    expect(computeTotals(state)).toMatchObject({ total: 0, amountDue: 0 });
  });

  it('leaves out lines that are not discountable and credit lines', () => {
    // only the 1000 line is eligible: 25 % = 250
    const state = draftInvoice({
      discounts: [quarterOff()],
      lines: [line({ amount: 1000 }), line({ amount: 800, discountable: false }), line({ amount: -200 })],
    });
    expect(invoiceDiscounts(state).total).toBe(250);
    expect(computeTotals(state).total).toBe(1000 + 800 - 200 - 250);
  });

  it("applies a line's own discounts first, then the invoice's to what they left", () => {
    // 2000 - 500 (the item's coupon) = 1500; then 25 % of 1500 = 375; 875 off the line
    const state = draftInvoice({
      discounts: [quarterOff()],
      lines: [line({ amount: 2000, discounts: [amountOff(500, 'di_item')] })],
    });
    const result = invoiceDiscounts(state);
    expect([...result.byLine.values()][0]).toEqual([
      { discountId: 'di_item', amount: 500 },
      { discountId: 'di_q', amount: 375 },
    ]);
    expect(computeTotals(state).total).toBe(1125);
  });

  it('honours applies_to.products', () => {
    // 50 % only on prod_a's 1000: 500
    const half = discount('di_p', { percentOff: '50', appliesToProducts: ['prod_a'] });
    const state = draftInvoice({
      discounts: [half],
      lines: [line({ amount: 1000, productId: 'prod_a' }), line({ amount: 1000, productId: 'prod_b' })],
    });
    expect(computeTotals(state).total).toBe(1500);
  });
});

describe('discounts with tax, the balance and the minimum charge', () => {
  const tenPercent = newTaxRate(
    { id: 'txr_ten', accountId: 'acct_test', displayName: 'Tax', inclusive: false, percentage: '10' },
    NOW,
  );

  it('come before tax', () => {
    // 1000 - 20 % = 800; 10 % tax on 800 = 80; total 880
    const state = draftInvoice({
      discounts: [discount('di_20', { percentOff: '20' })],
      defaultTaxRates: [tenPercent],
      lines: [line({ amount: 1000 })],
    });
    const body = renderInvoice(state);
    expect(body).toMatchObject({ subtotal: 1000, total: 880, total_excluding_tax: 800 });
    expect(body.total_discount_amounts).toEqual([{ amount: 200, discount: 'di_20' }]);
    expect(body.total_taxes?.[0]).toMatchObject({ amount: 80, taxable_amount: 800 });
    expect(body.lines.data[0]?.discount_amounts).toEqual([{ amount: 200, discount: 'di_20' }]);
    expect(body.discounts).toEqual(['di_20']);
  });

  it("come before the customer's credit balance", () => {
    // total 880 as above; 300 of credit: 580 due
    const open = openInvoice(
      {
        discounts: [discount('di_20', { percentOff: '20' })],
        defaultTaxRates: [tenPercent],
        lines: [line({ amount: 1000 })],
      },
      -300,
    );
    expect(computeTotals(open)).toMatchObject({ total: 880, amountDue: 580, endingBalance: 0 });
  });

  it('come before the minimum-charge rule', () => {
    // 1000 - 960 = 40, below usd's 50: nothing charged, paid at once, 40 to the balance
    const open = openInvoice({ discounts: [amountOff(960)], lines: [line({ amount: 1000 })] });
    expect(open.status).toBe('paid');
    expect(computeTotals(open)).toMatchObject({ total: 40, amountDue: 0, endingBalance: 40 });
  });
});
