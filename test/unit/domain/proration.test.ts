import fc from 'fast-check';
import { divideRounded, prorate, prorationsFor, type BilledItem } from '../../../workflows/domain/proration';
import { DAY, utc } from './support';

// January 2030: 31 days. A change on 11 Jan leaves 21 of them.
const january = { start: utc(2030, 1, 1), end: utc(2030, 2, 1) };
const jan11 = utc(2030, 1, 11);

function billed(overrides: Partial<BilledItem> = {}): BilledItem {
  return {
    subscriptionItemId: 'si_1',
    priceId: 'price_pro',
    productId: 'prod_pro',
    productName: 'Pro',
    quantity: 1,
    fullAmount: 1000,
    ...overrides,
  };
}

const premium = billed({
  priceId: 'price_premium',
  productId: 'prod_premium',
  productName: 'Premium',
  fullAmount: 3100,
});

describe('divideRounded', () => {
  it('rounds half away from zero', () => {
    expect(divideRounded(7n, 2n)).toBe(4); // 3.5 -> 4
    expect(divideRounded(-7n, 2n)).toBe(-4); // -3.5 -> -4
    expect(divideRounded(5n, 2n)).toBe(3); // 2.5 -> 3
    expect(divideRounded(-5n, 2n)).toBe(-3);
  });

  it('rounds to the nearest otherwise', () => {
    expect(divideRounded(5n, 3n)).toBe(2); // 1.67
    expect(divideRounded(4n, 3n)).toBe(1); // 1.33
    expect(divideRounded(-5n, 3n)).toBe(-2);
    expect(divideRounded(-4n, 3n)).toBe(-1);
    expect(divideRounded(6n, 3n)).toBe(2);
    expect(divideRounded(0n, 7n)).toBe(0);
  });

  it('rounds a small negative quotient to zero', () => {
    // -1/4 = -0.25 -> 0, and a plain 0, never -0.
    expect(Object.is(divideRounded(-1n, 4n), 0)).toBe(true);
  });

  it('is exact beyond float precision', () => {
    const big = BigInt(Number.MAX_SAFE_INTEGER);
    expect(divideRounded(big * 3n, 3n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(divideRounded(big * 2n + 1n, 2n)).toBe(Number.MAX_SAFE_INTEGER + 1); // x.5 rounds up
  });
});

describe('prorate', () => {
  it('charges the remaining fraction of the period, to the second', () => {
    expect(prorate(1000, january, jan11)).toBe(677); // 1000 × 21/31 = 677.42 -> 677
    expect(prorate(3100, january, jan11)).toBe(2100); // 3100 × 21/31 = 2100 exactly
    expect(prorate(2000, january, jan11)).toBe(1355); // 2000 × 21/31 = 1354.84 -> 1355
    expect(prorate(1000, january, jan11 + 12 * 3600)).toBe(661); // 1000 × 20.5/31 = 661.29 -> 661
  });

  it('is the full amount at the start and nothing at the end', () => {
    expect(prorate(1000, january, january.start)).toBe(1000);
    expect(prorate(1000, january, january.end)).toBe(0);
    expect(prorate(1000, january, january.end - 1)).toBe(0); // 1000 / 2,678,400 -> 0
  });

  it('clamps times outside the period', () => {
    expect(prorate(1000, january, january.start - DAY)).toBe(1000);
    expect(prorate(1000, january, january.end + DAY)).toBe(0);
  });

  it('rounds half away from zero, for credits too', () => {
    const fourSeconds = { start: 0, end: 4 };
    expect(prorate(5, fourSeconds, 2)).toBe(3); // 2.5 -> 3
    expect(prorate(-5, fourSeconds, 2)).toBe(-3); // -2.5 -> -3
    expect(prorate(3, fourSeconds, 1)).toBe(2); // 2.25 -> 2
    expect(prorate(-3, fourSeconds, 1)).toBe(-2);
    expect(prorate(3, fourSeconds, 3)).toBe(1); // 0.75 -> 1
    expect(prorate(-1000, january, jan11)).toBe(-677);
  });

  it('is exact for the largest amounts (no float error)', () => {
    // 99,999,999 × 2,678,399 / 2,678,400 = 99,999,999 − 37.34 = 99,999,961.66 -> 99,999,962
    expect(prorate(99_999_999, january, january.start + 1)).toBe(99_999_962);
  });

  it('refuses a period without length', () => {
    expect(() => prorate(1000, { start: 10, end: 10 }, 10)).toThrow(RangeError);
    expect(() => prorate(1000, { start: 10, end: 5 }, 7)).toThrow(RangeError);
  });
});

describe('prorationsFor', () => {
  const span = { start: jan11, end: january.end };

  it('credits the old price and charges the new one on an upgrade', () => {
    expect(prorationsFor(billed(), premium, january, jan11)).toEqual([
      {
        subscriptionItemId: 'si_1',
        priceId: 'price_pro',
        productId: 'prod_pro',
        quantity: 1,
        amount: -677, // 1000 × 21/31
        description: 'Unused time on Pro after 11 Jan 2030',
        period: span,
      },
      {
        subscriptionItemId: 'si_1',
        priceId: 'price_premium',
        productId: 'prod_premium',
        quantity: 1,
        amount: 2100, // 3100 × 21/31
        description: 'Remaining time on Premium after 11 Jan 2030',
        period: span,
      },
    ]);
  });

  it('nets to a credit on a downgrade', () => {
    const charges = prorationsFor(premium, billed(), january, jan11);
    expect(charges.map((c) => [c.amount, c.description])).toEqual([
      [-2100, 'Unused time on Premium after 11 Jan 2030'],
      [677, 'Remaining time on Pro after 11 Jan 2030'],
    ]);
    expect(charges[0].amount + charges[1].amount).toBe(-1423);
  });

  it('credits and recharges the whole quantity on a quantity change, rounding each line', () => {
    const two = billed({ quantity: 2, fullAmount: 2000 });
    const charges = prorationsFor(billed(), two, january, jan11);
    expect(charges.map((c) => [c.amount, c.quantity, c.description])).toEqual([
      [-677, 1, 'Unused time on Pro after 11 Jan 2030'],
      [1355, 2, 'Remaining time on 2 × Pro after 11 Jan 2030'], // 1354.84 -> 1355
    ]);
    // Per-line rounding: the net 678 is not round(1000 × 21/31) = 677.
    expect(charges[0].amount + charges[1].amount).toBe(678);
  });

  it('names the quantity in the credit for more than one unit', () => {
    const two = billed({ quantity: 2, fullAmount: 2000 });
    const [credit] = prorationsFor(two, billed(), january, jan11);
    expect(credit).toMatchObject({ amount: -1355, description: 'Unused time on 2 × Pro after 11 Jan 2030' });
  });

  it('only charges an added item', () => {
    const addon = billed({
      subscriptionItemId: 'si_2',
      priceId: 'price_addon',
      productName: 'Add-on',
      fullAmount: 500,
    });
    expect(prorationsFor(null, addon, january, jan11)).toEqual([
      {
        subscriptionItemId: 'si_2',
        priceId: 'price_addon',
        productId: 'prod_pro',
        quantity: 1,
        amount: 339, // 500 × 21/31 = 338.71 -> 339
        description: 'Remaining time on Add-on after 11 Jan 2030',
        period: span,
      },
    ]);
  });

  it('only credits a removed item', () => {
    expect(prorationsFor(billed(), null, january, jan11)).toEqual([
      expect.objectContaining({
        amount: -677,
        description: 'Unused time on Pro after 11 Jan 2030',
        period: span,
      }),
    ]);
  });

  it('gives nothing when the item did not change', () => {
    expect(prorationsFor(billed(), billed(), january, jan11)).toEqual([]);
    expect(prorationsFor(null, null, january, jan11)).toEqual([]);
  });

  it('gives nothing when the change is outside the period', () => {
    expect(prorationsFor(billed(), premium, january, january.start - 1)).toEqual([]);
    expect(prorationsFor(billed(), premium, january, january.end)).toEqual([]);
    expect(prorationsFor(billed(), premium, january, january.end + DAY)).toEqual([]);
  });

  it('credits and charges whole amounts at the very start of the period', () => {
    const charges = prorationsFor(billed(), premium, january, january.start);
    expect(charges.map((c) => c.amount)).toEqual([-1000, 3100]);
    expect(charges[0].description).toBe('Unused time on Pro after 1 Jan 2030');
  });

  it('leaves out lines that round to zero (a free price, the last second)', () => {
    const free = billed({ priceId: 'price_free', productName: 'Free', fullAmount: 0 });
    expect(prorationsFor(free, billed(), january, jan11).map((c) => c.amount)).toEqual([677]);
    expect(prorationsFor(billed(), free, january, jan11).map((c) => c.amount)).toEqual([-677]);
    expect(prorationsFor(billed(), premium, january, january.end - 1)).toEqual([]);
  });

  it('dates the description by the UTC day of the change', () => {
    const late = utc(2030, 1, 11, 23, 59, 59);
    expect(prorationsFor(billed(), null, january, late)[0].description).toBe(
      'Unused time on Pro after 11 Jan 2030',
    );
  });
});

describe('proration properties', () => {
  const period = fc
    .tuple(fc.integer({ min: 0, max: 4_000_000_000 }), fc.integer({ min: 1, max: 3 * 366 * DAY }))
    .map(([start, length]) => ({ start, end: start + length }));
  const amount = fc.integer({ min: -99_999_999, max: 99_999_999 });

  it('prorates the full amount at the start and nothing at the end', () => {
    fc.assert(
      fc.property(amount, period, (full, p) => {
        expect(prorate(full, p, p.start)).toBe(full);
        expect(prorate(full, p, p.end) === 0).toBe(true);
      }),
    );
  });

  it('never exceeds the full amount and is odd in the amount', () => {
    fc.assert(
      fc.property(amount, period, fc.double({ min: 0, max: 1, noNaN: true }), (full, p, f) => {
        const at = p.start + Math.floor((p.end - p.start) * f);
        const part = prorate(full, p, at);
        expect(Math.abs(part)).toBeLessThanOrEqual(Math.abs(full));
        expect(prorate(-full, p, at) === -part).toBe(true);
      }),
    );
  });

  it('credits and charges the same amount for an item swapped for an equally priced one', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        period,
        fc.double({ min: 0, max: 1, noNaN: true }),
        (full, p, f) => {
          const at = Math.min(p.start + Math.floor((p.end - p.start) * f), p.end - 1);
          const before = billed({ fullAmount: full });
          const after = billed({ priceId: 'price_other', fullAmount: full });
          const sum = prorationsFor(before, after, p, at).reduce((total, c) => total + c.amount, 0);
          expect(sum).toBe(0);
        },
      ),
    );
  });
});
