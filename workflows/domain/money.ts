// Currencies and integer money. Every amount is an integer in the currency's minor unit; the one
// place fractions appear (unit_amount_decimal) is multiplied with BigInt, never with floats.

// Stripe's presentment currencies ("Supported currencies", docs.stripe.com/currencies), lower-case.
// Retired ISO codes Stripe no longer accepts (hrk, sll, vef, mro, ltl, lvl, eek) are left out.
// prettier-ignore
const SUPPORTED = [
  'usd', 'aed', 'afn', 'all', 'amd', 'ang', 'aoa', 'ars', 'aud', 'awg', 'azn', 'bam', 'bbd', 'bdt',
  'bgn', 'bif', 'bmd', 'bnd', 'bob', 'brl', 'bsd', 'bwp', 'byn', 'bzd', 'cad', 'cdf', 'chf', 'clp',
  'cny', 'cop', 'crc', 'cve', 'czk', 'djf', 'dkk', 'dop', 'dzd', 'egp', 'etb', 'eur', 'fjd', 'fkp',
  'gbp', 'gel', 'gip', 'gmd', 'gnf', 'gtq', 'gyd', 'hkd', 'hnl', 'htg', 'huf', 'idr', 'ils', 'inr',
  'isk', 'jmd', 'jpy', 'kes', 'kgs', 'khr', 'kmf', 'krw', 'kyd', 'kzt', 'lak', 'lbp', 'lkr', 'lrd',
  'lsl', 'mad', 'mdl', 'mga', 'mkd', 'mmk', 'mnt', 'mop', 'mur', 'mvr', 'mwk', 'mxn', 'myr', 'mzn',
  'nad', 'ngn', 'nio', 'nok', 'npr', 'nzd', 'pab', 'pen', 'pgk', 'php', 'pkr', 'pln', 'pyg', 'qar',
  'ron', 'rsd', 'rub', 'rwf', 'sar', 'sbd', 'scr', 'sek', 'sgd', 'shp', 'sle', 'sos', 'srd', 'std',
  'szl', 'thb', 'tjs', 'top', 'try', 'ttd', 'twd', 'tzs', 'uah', 'ugx', 'uyu', 'uzs', 'vnd', 'vuv',
  'wst', 'xaf', 'xcd', 'xcg', 'xof', 'xpf', 'yer', 'zar', 'zmw',
] as const;

export const SUPPORTED_CURRENCIES: ReadonlySet<string> = new Set(SUPPORTED);

// Currencies whose amounts are whole units (Stripe's zero-decimal list). isk/huf/twd/ugx have
// special rules on Stripe's page but keep two-decimal API amounts, so they are not here.
// prettier-ignore
export const ZERO_DECIMAL_CURRENCIES: ReadonlySet<string> = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf',
  'xof', 'xpf',
]);

// Stripe's "Minimum and maximum charge amounts" table, in minor units.
export const MINIMUM_CHARGE_AMOUNTS: Readonly<Record<string, number>> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

// For currencies outside the table Stripe's rule is "the equivalent of $0.50 USD in the charge
// currency", which needs an exchange rate the workflow cannot fetch deterministically. We use 50
// minor units, the USD figure, so tiny amounts are still carried to the balance instead of charged.
export const DEFAULT_MINIMUM_CHARGE_AMOUNT = 50;

// Stripe amounts have at most eight digits: 99999999 is $999,999.99 for USD (and ¥99,999,999 for
// JPY). A few currencies allow more on Stripe; we hold every currency to the common limit.
export const MAX_AMOUNT = 99_999_999;

// unit_amount_decimal accepts at most 12 decimal places.
export const MAX_DECIMAL_PLACES = 12;

export function normalizeCurrency(currency: string): string {
  return currency.toLowerCase();
}

export function isSupportedCurrency(currency: string): boolean {
  return SUPPORTED_CURRENCIES.has(normalizeCurrency(currency));
}

export function isZeroDecimal(currency: string): boolean {
  return ZERO_DECIMAL_CURRENCIES.has(normalizeCurrency(currency));
}

export function minimumChargeAmount(currency: string): number {
  return MINIMUM_CHARGE_AMOUNTS[normalizeCurrency(currency)] ?? DEFAULT_MINIMUM_CHARGE_AMOUNT;
}

export function exceedsMaximumAmount(amount: number): boolean {
  return Math.abs(amount) > MAX_AMOUNT;
}

export function assertSafeAmount(amount: number): number {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Not an integer amount: ${amount}`);
  return amount;
}

// Sums minor-unit integers; a non-integer input is a programming error, not a customer mistake.
export function sumAmounts(amounts: readonly number[]): number {
  let total = 0;
  for (const amount of amounts) total = assertSafeAmount(total + assertSafeAmount(amount));
  return total;
}

const DECIMAL_PATTERN = /^(-)?(\d+)(?:\.(\d+))?$/;

interface ParsedDecimal {
  coefficient: bigint; // value × 10^scale, signed
  scale: number;
}

export function isValidDecimalString(value: string): boolean {
  const match = DECIMAL_PATTERN.exec(value);
  return match !== null && (match[3]?.length ?? 0) <= MAX_DECIMAL_PLACES;
}

function parseDecimal(value: string): ParsedDecimal {
  const match = DECIMAL_PATTERN.exec(value);
  const fraction = match?.[3] ?? '';
  if (!match || fraction.length > MAX_DECIMAL_PLACES) {
    throw new RangeError(`Invalid decimal amount: '${value}'`);
  }
  const magnitude = BigInt(match[2] + fraction);
  return { coefficient: match[1] ? -magnitude : magnitude, scale: fraction.length };
}

// Stripe rounds each line once, after multiplying (its decimal-amounts guide: 0.05 × 30 = 1.5
// "is then rounded up to 2 cents"); ties go away from zero so credits mirror charges exactly.
function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

function toSafeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RangeError(`Amount out of range: ${value}`);
  }
  return Number(value);
}

// A line's amount from unit_amount_decimal (minor units, up to 12 places) × an integer quantity.
export function multiplyDecimal(unitAmountDecimal: string, quantity: number): number {
  if (!Number.isSafeInteger(quantity)) throw new RangeError(`Quantity must be an integer: ${quantity}`);
  const { coefficient, scale } = parseDecimal(unitAmountDecimal);
  return toSafeNumber(roundHalfAwayFromZero(coefficient * BigInt(quantity), 10n ** BigInt(scale)));
}

// A decimal minor-unit string rounded to a whole minor unit, e.g. '105.5' → 106.
export function roundDecimal(value: string): number {
  return multiplyDecimal(value, 1);
}

// The exact decimal string of an integer amount split over a quantity, or null when the division
// does not terminate within 12 places (Stripe then has no exact unit_amount_decimal to show).
export function divideToDecimal(amount: number, quantity: number): string | null {
  if (!Number.isSafeInteger(amount) || !Number.isSafeInteger(quantity) || quantity <= 0) return null;
  const numerator = BigInt(amount);
  const divisor = BigInt(quantity);
  for (let scale = 0; scale <= MAX_DECIMAL_PLACES; scale++) {
    const scaled = numerator * 10n ** BigInt(scale);
    if (scaled % divisor === 0n) return formatScaled(scaled / divisor, scale);
  }
  return null;
}

function formatScaled(coefficient: bigint, scale: number): string {
  const negative = coefficient < 0n;
  const digits = (negative ? -coefficient : coefficient).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}
