import type { Recurrence } from '../../../workflows/domain/billing-period';
import type { NewPriceInput } from '../../../workflows/domain/price';
import type { ProrationCharge } from '../../../workflows/domain/proration';
import {
  billedItem,
  formatMoney,
  intervalText,
  itemDescription,
  periodLine,
  periodLines,
  prorationLine,
} from '../../../workflows/domain/subscription-lines';
import type { SubscriptionItemState } from '../../../workflows/domain/subscription-types';
import { price as priceRecord, subscriptionItem } from './subscription-fixtures';

const monthly: Recurrence = { interval: 'month', intervalCount: 1 };
const period = { start: 1_900_000_000, end: 1_902_678_400 };

function item(
  price: Partial<NewPriceInput> = {},
  overrides: Partial<SubscriptionItemState> = {},
): SubscriptionItemState {
  return subscriptionItem(priceRecord('price_gold', { productId: 'prod_gold', unitAmount: 2000, ...price }), {
    id: 'si_1',
    productName: 'Gold',
    quantity: 2,
    ...overrides,
  });
}

describe('formatMoney', () => {
  it('shows two-decimal currencies with their symbol and cents', () => {
    expect(formatMoney(2000, 'usd')).toBe('$20.00');
    expect(formatMoney(5, 'usd')).toBe('$0.05');
    expect(formatMoney(0, 'usd')).toBe('$0.00');
    expect(formatMoney(123_456, 'gbp')).toBe('£1234.56');
    expect(formatMoney(1999, 'eur')).toBe('€19.99');
    expect(formatMoney(1050, 'cad')).toBe('CA$10.50');
    expect(formatMoney(1050, 'aud')).toBe('A$10.50');
  });

  it('puts the minus sign before the symbol', () => {
    expect(formatMoney(-1234, 'usd')).toBe('-$12.34');
    expect(formatMoney(-5, 'eur')).toBe('-€0.05');
    expect(formatMoney(-99_999_999, 'usd')).toBe('-$999999.99');
  });

  it('shows zero-decimal currencies as whole units', () => {
    expect(formatMoney(500, 'jpy')).toBe('¥500');
    expect(formatMoney(-500, 'jpy')).toBe('-¥500');
    expect(formatMoney(0, 'jpy')).toBe('¥0');
    expect(formatMoney(1000, 'krw')).toBe('KRW 1000');
  });

  it('falls back to the upper-case code for other currencies', () => {
    expect(formatMoney(1999, 'chf')).toBe('CHF 19.99');
    expect(formatMoney(-7, 'sek')).toBe('-SEK 0.07');
  });
});

describe('intervalText', () => {
  it('is the bare interval for a count of one, "every N <interval>s" otherwise', () => {
    expect(intervalText(monthly)).toBe('month');
    expect(intervalText({ interval: 'year', intervalCount: 1 })).toBe('year');
    expect(intervalText({ interval: 'week', intervalCount: 2 })).toBe('every 2 weeks');
    expect(intervalText({ interval: 'day', intervalCount: 30 })).toBe('every 30 days');
    expect(intervalText({ interval: 'month', intervalCount: 3 })).toBe('every 3 months');
  });
});

describe('itemDescription', () => {
  it("reads like Stripe's: quantity × product (at unit price / interval)", () => {
    expect(itemDescription(item(), monthly)).toBe('2 × Gold (at $20.00 / month)');
    expect(itemDescription(item({}, { quantity: 1 }), monthly)).toBe('1 × Gold (at $20.00 / month)');
  });

  it('uses the currency and the interval count', () => {
    const yen = item({ currency: 'jpy', unitAmount: 500 }, { quantity: 1 });
    expect(itemDescription(yen, { interval: 'month', intervalCount: 3 })).toBe(
      '1 × Gold (at ¥500 / every 3 months)',
    );
  });

  it('rounds a fractional unit amount to minor units for display', () => {
    // unit_amount_decimal 12.5 (cents) has no unit_amount; priceAmount(×1) = 12.5 -> 13.
    const fractional = item({ unitAmount: undefined, unitAmountDecimal: '12.5' });
    expect(fractional.price.unitAmount).toBeNull();
    expect(itemDescription(fractional, monthly)).toBe('2 × Gold (at $0.13 / month)');
  });
});

describe('periodLine', () => {
  it('bills quantity × unit amount for the whole period', () => {
    expect(periodLine(item(), monthly, period)).toEqual({
      subscriptionItemId: 'si_1',
      priceId: 'price_gold',
      productId: 'prod_gold',
      quantity: 2,
      amount: 4000,
      unitAmountDecimal: '2000',
      description: '2 × Gold (at $20.00 / month)',
      period,
      proration: false,
    });
  });

  it('multiplies fractional unit amounts exactly and rounds once', () => {
    // 12.5 × 3 = 37.5 -> 38
    const line = periodLine(
      item({ unitAmount: undefined, unitAmountDecimal: '12.5' }, { quantity: 3 }),
      monthly,
      period,
    );
    expect(line).toMatchObject({ amount: 38, unitAmountDecimal: '12.5' });
  });

  it('copies the period rather than sharing it', () => {
    const line = periodLine(item(), monthly, period);
    expect(line.period).not.toBe(period);
  });

  it('makes one line per item, in item order', () => {
    const items = [
      item(),
      item({ id: 'price_silver', unitAmount: 700 }, { id: 'si_2', productName: 'Silver', quantity: 1 }),
    ];
    expect(
      periodLines({ items }, monthly, period).map((l) => [l.subscriptionItemId, l.amount, l.description]),
    ).toEqual([
      ['si_1', 4000, '2 × Gold (at $20.00 / month)'],
      ['si_2', 700, '1 × Silver (at $7.00 / month)'],
    ]);
  });
});

describe('billedItem', () => {
  it('is the item with its whole-period amount, for prorations', () => {
    expect(billedItem(item())).toEqual({
      subscriptionItemId: 'si_1',
      priceId: 'price_gold',
      productId: 'prod_gold',
      productName: 'Gold',
      quantity: 2,
      fullAmount: 4000,
    });
  });
});

describe('prorationLine', () => {
  it('is a proration line without a unit amount', () => {
    const charge: ProrationCharge = {
      subscriptionItemId: 'si_1',
      priceId: 'price_gold',
      productId: 'prod_gold',
      quantity: 2,
      amount: -2710,
      description: 'Unused time on 2 × Gold after 11 Jan 2030',
      period,
    };
    const line = prorationLine(charge);
    expect(line).toEqual({ ...charge, unitAmountDecimal: null, proration: true });
    expect(line.period).not.toBe(period);
  });
});
