// A price: how much a product costs, in one currency, once or every interval. Pure: the record,
// its validation and the one computation subscriptions and invoices need (amount × quantity).
// Like Stripe's, a price's amount, currency and recurrence never change after creation; only
// active, nickname, lookup_key, metadata and (while unspecified) tax_behavior do.
import { invalidRequest } from './errors';
import { refusals } from './invoice-errors';
import {
  isSupportedCurrency,
  isValidDecimalString,
  MAX_AMOUNT,
  multiplyDecimal,
  normalizeCurrency,
} from './money';
import type { Metadata } from './common-types';

export type PriceInterval = 'day' | 'week' | 'month' | 'year';

export interface PriceRecord {
  id: string; // price_...
  accountId: string;
  productId: string;
  currency: string; // lowercase ISO
  active: boolean;
  type: 'one_time' | 'recurring';
  // Integer minor units when the amount is whole (given as unit_amount, or as an integral
  // unit_amount_decimal, as Stripe shows it); null for a fractional unit_amount_decimal.
  unitAmount: number | null;
  unitAmountDecimal: string; // always set: decimal string in minor units, e.g. "1250" or "12.5"
  recurring: { interval: PriceInterval; intervalCount: number } | null;
  nickname: string | null;
  lookupKey: string | null;
  metadata: Metadata;
  livemode: boolean;
  created: number; // unix seconds
  // Stripe's tax_behavior. Optional so records built elsewhere (tests, fixtures) need not name
  // it; newPrice always sets it, and absent reads as 'unspecified'.
  taxBehavior?: PriceTaxBehavior;
}

export type PriceTaxBehavior = 'exclusive' | 'inclusive' | 'unspecified';

export const PRICE_INTERVALS: readonly PriceInterval[] = ['day', 'week', 'month', 'year'];

// Stripe: "The maximum of three years interval allowed (3 years, 36 months, or 156 weeks)";
// for days the same three years is 1095.
export const MAX_INTERVAL_COUNT: Readonly<Record<PriceInterval, number>> = {
  day: 1095,
  week: 156,
  month: 36,
  year: 3,
};

// Amount in integer minor units for `quantity` units: exact decimal arithmetic (BigInt, no
// floats), rounded half away from zero to an integer at the end only.
export function priceAmount(price: Pick<PriceRecord, 'unitAmountDecimal'>, quantity: number): number {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`Quantity must be a non-negative integer: ${quantity}`);
  }
  return multiplyDecimal(price.unitAmountDecimal, quantity);
}

export interface RecurringInput {
  interval?: string;
  intervalCount?: number;
  usageType?: string;
}

export interface NewPriceInput {
  id: string;
  accountId: string;
  productId: string;
  currency: string;
  unitAmount?: number;
  unitAmountDecimal?: string;
  recurring?: RecurringInput | null;
  active?: boolean;
  nickname?: string | null;
  lookupKey?: string | null;
  metadata?: Metadata;
  livemode?: boolean;
  taxBehavior?: PriceTaxBehavior;
}

export interface PriceUpdate {
  active?: boolean;
  taxBehavior?: PriceTaxBehavior;
  nickname?: string | null;
  lookupKey?: string | null;
  metadata?: Metadata; // already merged with the price's current metadata
}

// Strips a decimal string to its canonical form ("0012.50" -> "12.5", "3.000" -> "3") so two
// spellings of one amount are stored, compared and rendered alike.
export function canonicalDecimal(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  const trimmedWhole = whole.replace(/^0+(?=\d)/, '');
  const trimmedFraction = fraction.replace(/0+$/, '');
  return trimmedFraction ? `${trimmedWhole}.${trimmedFraction}` : trimmedWhole;
}

// The unit amount as a decimal string, checked: exactly one of unit_amount and
// unit_amount_decimal, non-negative, at most 12 places, within Stripe's eight-digit ceiling.
export function checkedUnitAmount(input: Pick<NewPriceInput, 'unitAmount' | 'unitAmountDecimal'>): {
  unitAmount: number | null;
  unitAmountDecimal: string;
} {
  if (input.unitAmount !== undefined && input.unitAmountDecimal !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: unit_amount, unit_amount_decimal.',
      'parameters_exclusive',
      'unit_amount',
    );
  }
  if (input.unitAmount !== undefined) {
    if (!Number.isSafeInteger(input.unitAmount) || input.unitAmount < 0) {
      throw refusals.invalidInteger('unit_amount', input.unitAmount);
    }
    if (input.unitAmount > MAX_AMOUNT) throw refusals.amountTooLarge('unit_amount');
    return { unitAmount: input.unitAmount, unitAmountDecimal: String(input.unitAmount) };
  }
  if (input.unitAmountDecimal !== undefined) {
    const value = input.unitAmountDecimal;
    if (!isValidDecimalString(value) || value.startsWith('-')) {
      throw refusals.invalidDecimal('unit_amount_decimal', value);
    }
    const canonical = canonicalDecimal(value);
    if (Number(canonical.split('.')[0]) > MAX_AMOUNT) throw refusals.amountTooLarge('unit_amount_decimal');
    // Stripe shows unit_amount "as a whole integer if possible": null only for a fraction.
    return { unitAmount: canonical.includes('.') ? null : Number(canonical), unitAmountDecimal: canonical };
  }
  // Stripe requires one of them for a per_unit price (custom_unit_amount is not offered here).
  throw refusals.amountRequired('unit_amount');
}

function isInterval(value: string): value is PriceInterval {
  return (PRICE_INTERVALS as readonly string[]).includes(value);
}

export function checkedRecurring(input: RecurringInput): { interval: PriceInterval; intervalCount: number } {
  if (input.interval === undefined) throw refusals.amountRequired('recurring[interval]');
  if (!isInterval(input.interval)) {
    throw invalidRequest(
      `Invalid recurring[interval]: must be one of day, week, month, or year`,
      'parameter_invalid_string',
      'recurring[interval]',
    );
  }
  if (input.usageType !== undefined && input.usageType !== 'licensed') {
    throw invalidRequest(
      'Metered prices are not supported: recurring[usage_type] must be licensed.',
      undefined,
      'recurring[usage_type]',
    );
  }
  const intervalCount = input.intervalCount ?? 1;
  if (!Number.isSafeInteger(intervalCount) || intervalCount < 1) {
    throw refusals.invalidInteger('recurring[interval_count]', intervalCount);
  }
  if (intervalCount > MAX_INTERVAL_COUNT[input.interval]) {
    throw invalidRequest(
      'The maximum of three years interval allowed (3 years, 36 months, or 156 weeks).',
      undefined,
      'recurring[interval_count]',
    );
  }
  return { interval: input.interval, intervalCount };
}

export function newPrice(input: NewPriceInput, now: number): PriceRecord {
  if (!isSupportedCurrency(input.currency)) throw refusals.invalidCurrency(input.currency);
  const amount = checkedUnitAmount(input);
  const recurring = input.recurring ? checkedRecurring(input.recurring) : null;
  return {
    id: input.id,
    accountId: input.accountId,
    productId: input.productId,
    currency: normalizeCurrency(input.currency),
    active: input.active ?? true,
    type: recurring ? 'recurring' : 'one_time',
    unitAmount: amount.unitAmount,
    unitAmountDecimal: amount.unitAmountDecimal,
    recurring,
    nickname: input.nickname ?? null,
    lookupKey: input.lookupKey ?? null,
    metadata: input.metadata ?? {},
    livemode: input.livemode ?? false,
    created: now,
    taxBehavior: input.taxBehavior ?? 'unspecified',
  };
}

export function updatePrice(price: PriceRecord, update: PriceUpdate): PriceRecord {
  return {
    ...price,
    active: update.active ?? price.active,
    nickname: update.nickname !== undefined ? update.nickname : price.nickname,
    lookupKey: update.lookupKey !== undefined ? update.lookupKey : price.lookupKey,
    metadata: update.metadata ?? price.metadata,
    taxBehavior: update.taxBehavior ?? price.taxBehavior,
  };
}
