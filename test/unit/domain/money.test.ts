import fc from 'fast-check';
import {
  DEFAULT_MINIMUM_CHARGE_AMOUNT,
  divideToDecimal,
  exceedsMaximumAmount,
  isSupportedCurrency,
  isValidDecimalString,
  isZeroDecimal,
  MAX_AMOUNT,
  minimumChargeAmount,
  multiplyDecimal,
  roundDecimal,
  sumAmounts,
  ZERO_DECIMAL_CURRENCIES,
} from '../../../workflows/domain/money';

describe('currencies', () => {
  it('accepts Stripe currencies in any case', () => {
    expect(isSupportedCurrency('usd')).toBe(true);
    expect(isSupportedCurrency('EUR')).toBe(true);
    expect(isSupportedCurrency('jpy')).toBe(true);
  });

  it('refuses codes Stripe does not support', () => {
    expect(isSupportedCurrency('xyz')).toBe(false);
    expect(isSupportedCurrency('hrk')).toBe(false);
    expect(isSupportedCurrency('')).toBe(false);
  });

  it('knows the zero-decimal currencies', () => {
    for (const code of [
      'bif',
      'clp',
      'djf',
      'gnf',
      'jpy',
      'kmf',
      'krw',
      'mga',
      'pyg',
      'rwf',
      'ugx',
      'vnd',
      'vuv',
      'xaf',
      'xof',
      'xpf',
    ]) {
      expect(isZeroDecimal(code)).toBe(true);
    }
    expect(isZeroDecimal('usd')).toBe(false);
    expect(isZeroDecimal('JPY')).toBe(true);
  });

  it('supports every zero-decimal currency', () => {
    for (const code of ZERO_DECIMAL_CURRENCIES) expect(isSupportedCurrency(code)).toBe(true);
  });
});

describe('minimumChargeAmount', () => {
  it.each([
    ['usd', 50],
    ['eur', 50],
    ['cad', 50],
    ['aud', 50],
    ['gbp', 30],
    ['jpy', 50],
    ['hkd', 400],
    ['dkk', 250],
    ['nok', 300],
    ['sek', 300],
    ['mxn', 1000],
    ['huf', 17500],
    ['czk', 1500],
  ])("is Stripe's minimum for %s", (currency, minimum) => {
    expect(minimumChargeAmount(currency)).toBe(minimum);
  });

  it('falls back to the USD figure for currencies outside the table', () => {
    expect(minimumChargeAmount('krw')).toBe(DEFAULT_MINIMUM_CHARGE_AMOUNT);
  });
});

describe('maximum amount', () => {
  it('allows eight digits', () => {
    expect(MAX_AMOUNT).toBe(99_999_999);
    expect(exceedsMaximumAmount(99_999_999)).toBe(false);
    expect(exceedsMaximumAmount(100_000_000)).toBe(true);
    expect(exceedsMaximumAmount(-100_000_000)).toBe(true);
  });
});

describe('multiplyDecimal', () => {
  it('rounds after multiplying, half away from zero (Stripe: 0.05 × 30 = 1.5 → 2)', () => {
    expect(multiplyDecimal('0.05', 30)).toBe(2);
    expect(multiplyDecimal('0.05', 29)).toBe(1);
    expect(multiplyDecimal('105.5', 1)).toBe(106);
    expect(multiplyDecimal('-0.5', 1)).toBe(-1);
    expect(multiplyDecimal('-0.49', 1)).toBe(0);
  });

  it('is exact where floats are not', () => {
    expect(multiplyDecimal('0.1', 3)).toBe(0); // 0.3 → 0
    expect(multiplyDecimal('1.005', 1000)).toBe(1005);
    expect(multiplyDecimal('0.000000000001', 500_000_000_000)).toBe(1); // 0.5 → 1
  });

  it('multiplies integers exactly', () => {
    expect(multiplyDecimal('1000', 3)).toBe(3000);
    expect(multiplyDecimal('5.0', 7)).toBe(35);
  });

  it('refuses malformed decimals and non-integer quantities', () => {
    expect(() => multiplyDecimal('1e3', 1)).toThrow(RangeError);
    expect(() => multiplyDecimal('0.1234567890123', 1)).toThrow(RangeError);
    expect(() => multiplyDecimal('abc', 1)).toThrow(RangeError);
    expect(() => multiplyDecimal('1', 1.5)).toThrow(RangeError);
  });

  it('agrees with integer arithmetic on whole unit amounts', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (unit, qty) => {
          const product = multiplyDecimal(String(unit), qty);
          expect(product === unit * qty).toBe(true);
          expect(Object.is(product, -0)).toBe(false);
        },
      ),
    );
  });

  it('is within half a minor unit of the exact product', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1000 }),
        (hundredths, qty) => {
          // unit = hundredths / 100; exact product × 100 = hundredths × qty
          const unit = `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
          const rounded = multiplyDecimal(unit, qty);
          const diffTimes100 = Math.abs(rounded * 100 - hundredths * qty);
          expect(diffTimes100).toBeLessThanOrEqual(50);
        },
      ),
    );
  });
});

describe('roundDecimal and divideToDecimal', () => {
  it('rounds a decimal amount', () => {
    expect(roundDecimal('12.5')).toBe(13);
    expect(roundDecimal('12.49')).toBe(12);
  });

  it('splits an amount exactly when the split terminates', () => {
    expect(divideToDecimal(1000, 4)).toBe('250');
    expect(divideToDecimal(1000, 8)).toBe('125');
    expect(divideToDecimal(1, 8)).toBe('0.125');
    expect(divideToDecimal(-3, 2)).toBe('-1.5');
    expect(divideToDecimal(100, 3)).toBeNull();
    expect(divideToDecimal(100, 0)).toBeNull();
  });

  it('validates decimal strings', () => {
    expect(isValidDecimalString('0.05')).toBe(true);
    expect(isValidDecimalString('-12')).toBe(true);
    expect(isValidDecimalString('1.')).toBe(false);
    expect(isValidDecimalString('.5')).toBe(false);
  });
});

describe('sumAmounts', () => {
  it('sums integers and refuses fractions', () => {
    expect(sumAmounts([1, 2, -3])).toBe(0);
    expect(sumAmounts([])).toBe(0);
    expect(() => sumAmounts([0.5])).toThrow(RangeError);
  });
});
