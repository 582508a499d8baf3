import fc from 'fast-check';
import { DomainError } from '../../../workflows/domain/errors';
import {
  canonicalDecimal,
  checkedRecurring,
  checkedUnitAmount,
  MAX_INTERVAL_COUNT,
  newPrice,
  priceAmount,
  updatePrice,
  type NewPriceInput,
  type PriceRecord,
} from '../../../workflows/domain/price';

function priceInput(overrides: Partial<NewPriceInput> = {}): NewPriceInput {
  return {
    id: 'price_1',
    accountId: 'acct_1',
    productId: 'prod_1',
    currency: 'usd',
    unitAmount: 1000,
    ...overrides,
  };
}

// The Stripe error a call throws, for assertions on code and param.
function refusal(fn: () => unknown): DomainError['data'] {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.data;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('priceAmount', () => {
  it('multiplies an integer unit amount', () => {
    expect(priceAmount({ unitAmountDecimal: '1250' }, 3)).toBe(3750);
    expect(priceAmount({ unitAmountDecimal: '0' }, 1000)).toBe(0);
    expect(priceAmount({ unitAmountDecimal: '999' }, 0)).toBe(0);
  });

  it('rounds once, after multiplying (Stripe: 0.05 × 30 = 1.5, rounded up to 2)', () => {
    expect(priceAmount({ unitAmountDecimal: '0.05' }, 30)).toBe(2);
    expect(priceAmount({ unitAmountDecimal: '0.05' }, 29)).toBe(1); // 1.45
    expect(priceAmount({ unitAmountDecimal: '12.5' }, 1)).toBe(13); // a tie goes away from zero
    expect(priceAmount({ unitAmountDecimal: '12.5' }, 2)).toBe(25);
    expect(priceAmount({ unitAmountDecimal: '0.4999' }, 1)).toBe(0);
  });

  it('keeps all twelve decimal places exact (no binary floats)', () => {
    // 0.1 + 0.2 style drift would show here: 0.000000000001 × 10^12 is exactly 1.
    expect(priceAmount({ unitAmountDecimal: '0.000000000001' }, 1_000_000_000_000)).toBe(1);
    expect(priceAmount({ unitAmountDecimal: '0.000000000001' }, 499_999_999_999)).toBe(0);
    expect(priceAmount({ unitAmountDecimal: '0.000000000001' }, 500_000_000_000)).toBe(1);
    expect(priceAmount({ unitAmountDecimal: '33.333333333333' }, 3)).toBe(100);
    expect(priceAmount({ unitAmountDecimal: '0.1' }, 3)).toBe(0); // 0.3
  });

  it('handles large quantities exactly up to the safe-integer range', () => {
    expect(priceAmount({ unitAmountDecimal: '1' }, Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER);
    expect(priceAmount({ unitAmountDecimal: '0.5' }, 9_007_199_254_740_991)).toBe(4_503_599_627_370_496);
    expect(() => priceAmount({ unitAmountDecimal: '2' }, Number.MAX_SAFE_INTEGER)).toThrow(RangeError);
  });

  it('refuses quantities that are not non-negative integers', () => {
    expect(() => priceAmount({ unitAmountDecimal: '100' }, -1)).toThrow(RangeError);
    expect(() => priceAmount({ unitAmountDecimal: '100' }, 1.5)).toThrow(RangeError);
    expect(() => priceAmount({ unitAmountDecimal: '100' }, Number.NaN)).toThrow(RangeError);
  });

  it('agrees with exact rational arithmetic for any decimal and quantity', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (coefficient, scale, quantity) => {
          const digits = coefficient.toString().padStart(scale + 1, '0');
          const text = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
          const denominator = 10n ** BigInt(scale);
          const product = coefficient * BigInt(quantity);
          const floor = product / denominator;
          const expected = (product % denominator) * 2n >= denominator ? floor + 1n : floor;
          if (expected > BigInt(Number.MAX_SAFE_INTEGER)) return;
          expect(priceAmount({ unitAmountDecimal: text }, quantity)).toBe(Number(expected));
        },
      ),
    );
  });

  it('is linear for integer unit amounts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 10_000 }),
        (unit, quantity) => {
          expect(priceAmount({ unitAmountDecimal: String(unit) }, quantity)).toBe(unit * quantity);
        },
      ),
    );
  });
});

describe('checkedUnitAmount', () => {
  it('keeps unit_amount as both the integer and its decimal string', () => {
    expect(checkedUnitAmount({ unitAmount: 2000 })).toEqual({ unitAmount: 2000, unitAmountDecimal: '2000' });
    expect(checkedUnitAmount({ unitAmount: 0 })).toEqual({ unitAmount: 0, unitAmountDecimal: '0' });
  });

  it('stores unit_amount_decimal canonically, with an integer unit amount only when whole', () => {
    expect(checkedUnitAmount({ unitAmountDecimal: '12.50' })).toEqual({
      unitAmount: null,
      unitAmountDecimal: '12.5',
    });
    expect(checkedUnitAmount({ unitAmountDecimal: '007.000' })).toEqual({
      unitAmount: 7,
      unitAmountDecimal: '7',
    });
    expect(checkedUnitAmount({ unitAmountDecimal: '0.000000000001' }).unitAmountDecimal).toBe(
      '0.000000000001',
    );
  });

  it('refuses both at once, naming unit_amount', () => {
    expect(refusal(() => checkedUnitAmount({ unitAmount: 1, unitAmountDecimal: '1' }))).toMatchObject({
      status: 400,
      code: 'parameters_exclusive',
      param: 'unit_amount',
    });
  });

  it('refuses neither, naming unit_amount', () => {
    expect(refusal(() => checkedUnitAmount({}))).toMatchObject({
      code: 'parameter_missing',
      param: 'unit_amount',
    });
  });

  it('refuses more than twelve places, negatives and garbage, naming unit_amount_decimal', () => {
    for (const value of ['0.0000000000001', '-1', '1e3', '1.', 'abc', '']) {
      expect(refusal(() => checkedUnitAmount({ unitAmountDecimal: value })).param).toBe(
        'unit_amount_decimal',
      );
    }
  });

  it('refuses negative, fractional and too large integers, naming unit_amount', () => {
    expect(refusal(() => checkedUnitAmount({ unitAmount: -1 })).param).toBe('unit_amount');
    expect(refusal(() => checkedUnitAmount({ unitAmount: 1.5 })).param).toBe('unit_amount');
    expect(refusal(() => checkedUnitAmount({ unitAmount: 100_000_000 }))).toMatchObject({
      code: 'amount_too_large',
      param: 'unit_amount',
    });
    expect(refusal(() => checkedUnitAmount({ unitAmountDecimal: '100000000.5' })).param).toBe(
      'unit_amount_decimal',
    );
  });
});

describe('canonicalDecimal', () => {
  it('drops leading zeros of the whole part and trailing zeros of the fraction', () => {
    expect(canonicalDecimal('0')).toBe('0');
    expect(canonicalDecimal('000')).toBe('0');
    expect(canonicalDecimal('0.50')).toBe('0.5');
    expect(canonicalDecimal('10.0')).toBe('10');
    expect(canonicalDecimal('100')).toBe('100');
  });
});

describe('checkedRecurring', () => {
  it('defaults interval_count to 1', () => {
    expect(checkedRecurring({ interval: 'month' })).toEqual({ interval: 'month', intervalCount: 1 });
  });

  it('accepts up to three years in every interval and refuses one more', () => {
    for (const [interval, max] of Object.entries(MAX_INTERVAL_COUNT)) {
      expect(checkedRecurring({ interval, intervalCount: max })).toEqual({ interval, intervalCount: max });
      expect(refusal(() => checkedRecurring({ interval, intervalCount: max + 1 })).param).toBe(
        'recurring[interval_count]',
      );
    }
  });

  it('refuses counts below 1', () => {
    expect(refusal(() => checkedRecurring({ interval: 'week', intervalCount: 0 })).param).toBe(
      'recurring[interval_count]',
    );
  });

  it('refuses unknown intervals and a missing one', () => {
    expect(refusal(() => checkedRecurring({ interval: 'fortnight' })).param).toBe('recurring[interval]');
    expect(refusal(() => checkedRecurring({})).param).toBe('recurring[interval]');
  });

  it('refuses metered usage, accepts licensed', () => {
    expect(refusal(() => checkedRecurring({ interval: 'month', usageType: 'metered' })).param).toBe(
      'recurring[usage_type]',
    );
    expect(checkedRecurring({ interval: 'month', usageType: 'licensed' }).interval).toBe('month');
  });
});

describe('newPrice', () => {
  it('builds a one-time price with Stripe defaults', () => {
    const price = newPrice(priceInput({ currency: 'EUR' }), 1_700_000_000);
    expect(price).toEqual<PriceRecord>({
      id: 'price_1',
      accountId: 'acct_1',
      productId: 'prod_1',
      currency: 'eur',
      active: true,
      type: 'one_time',
      unitAmount: 1000,
      unitAmountDecimal: '1000',
      recurring: null,
      nickname: null,
      lookupKey: null,
      metadata: {},
      livemode: false,
      created: 1_700_000_000,
      taxBehavior: 'unspecified',
    });
  });

  it('builds a recurring price', () => {
    const price = newPrice(priceInput({ recurring: { interval: 'year', intervalCount: 2 } }), 0);
    expect(price.type).toBe('recurring');
    expect(price.recurring).toEqual({ interval: 'year', intervalCount: 2 });
  });

  it('refuses an unsupported currency, naming currency', () => {
    expect(refusal(() => newPrice(priceInput({ currency: 'xyz' }), 0)).param).toBe('currency');
  });
});

describe('updatePrice', () => {
  const price = newPrice(priceInput({ nickname: 'Basic', lookupKey: 'basic', metadata: { a: '1' } }), 0);

  it('changes only what is given', () => {
    expect(updatePrice(price, {})).toEqual(price);
    expect(updatePrice(price, { active: false })).toEqual({ ...price, active: false });
  });

  it('clears nickname and lookup key with null', () => {
    const next = updatePrice(price, { nickname: null, lookupKey: null });
    expect(next.nickname).toBeNull();
    expect(next.lookupKey).toBeNull();
  });

  it('never changes the amount, currency or recurrence', () => {
    const next = updatePrice(price, { active: false, nickname: 'x', metadata: {}, taxBehavior: 'exclusive' });
    expect(next).toMatchObject({
      unitAmount: 1000,
      unitAmountDecimal: '1000',
      currency: 'usd',
      recurring: null,
    });
  });
});
