// Tax on one line from its tax rates, in integer minor units. Pure.
//
// The documented rules (Stripe's tax rates, computed per line item and per rate, each tax
// rounded once to the minor unit, halves away from zero):
//   - the base is the line's amount after its discounts (discounts come before tax);
//   - inclusive rates are already inside the base: with the inclusive percentages p1..pn summing
//     to P, each inclusive tax is round(base × pi / (100 + P)); the taxable amount is the base
//     minus those taxes;
//   - exclusive rates are added on top of that taxable amount: round(taxable × pe / 100).
// Percentages are exact decimals of at most four places (tax-rate.ts), scaled to integers, so
// 8.25 % is 82500 / 1,000,000 and no binary float is ever involved.
import { PERCENTAGE_SCALE, percentageUnits } from './tax-rate';

export interface TaxTerms {
  id: string; // txr_...
  percentage: string;
  inclusive: boolean;
}

export interface LineTax {
  taxRateId: string;
  inclusive: boolean;
  amount: number; // the tax, minor units
  taxableAmount: number; // what the rate was applied to, minor units
}

const HUNDRED = 100n * 10n ** BigInt(PERCENTAGE_SCALE);

function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return negative ? -quotient : quotient;
}

function toAmount(value: bigint): number {
  const amount = Number(value);
  if (!Number.isSafeInteger(amount)) throw new RangeError(`Tax out of range: ${value}`);
  return amount;
}

// The taxes of one line, in the order of its rates.
export function lineTaxes(base: number, rates: readonly TaxTerms[]): LineTax[] {
  if (rates.length === 0) return [];
  if (!Number.isSafeInteger(base)) throw new RangeError(`Not an integer amount: ${base}`);
  const gross = BigInt(base);
  const inclusiveSum = rates
    .filter((rate) => rate.inclusive)
    .reduce((sum, rate) => sum + percentageUnits(rate.percentage), 0n);
  const inclusiveTax = new Map<string, bigint>();
  for (const rate of rates) {
    if (!rate.inclusive) continue;
    inclusiveTax.set(
      rate.id,
      roundHalfAwayFromZero(gross * percentageUnits(rate.percentage), HUNDRED + inclusiveSum),
    );
  }
  let taxable = gross;
  for (const tax of inclusiveTax.values()) taxable -= tax;
  return rates.map((rate) => {
    const amount = rate.inclusive
      ? (inclusiveTax.get(rate.id) as bigint)
      : roundHalfAwayFromZero(taxable * percentageUnits(rate.percentage), HUNDRED);
    return {
      taxRateId: rate.id,
      inclusive: rate.inclusive,
      amount: toAmount(amount),
      taxableAmount: toAmount(taxable),
    };
  });
}

export interface TaxTotals {
  inclusive: number;
  exclusive: number;
}

export function sumTaxes(taxes: readonly LineTax[]): TaxTotals {
  let inclusive = 0;
  let exclusive = 0;
  for (const tax of taxes) {
    if (tax.inclusive) inclusive += tax.amount;
    else exclusive += tax.amount;
  }
  return { inclusive, exclusive };
}

// Stripe's total_taxes: one entry per rate, its taxes and taxable amounts summed over the lines,
// in the order each rate first appears.
export function totalTaxesByRate(taxes: readonly LineTax[]): LineTax[] {
  const byRate = new Map<string, LineTax>();
  for (const tax of taxes) {
    const seen = byRate.get(tax.taxRateId);
    if (seen) {
      seen.amount += tax.amount;
      seen.taxableAmount += tax.taxableAmount;
    } else {
      byRate.set(tax.taxRateId, { ...tax });
    }
  }
  return [...byRate.values()];
}
