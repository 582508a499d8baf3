// Discount amounts of a whole invoice, in integer minor units. Pure.
//
// The documented rules (Stripe: item discounts first, then invoice discounts, all before tax,
// before the customer's balance and before the minimum-charge rule):
//   - only discountable lines with a positive amount take discounts (negative lines and
//     prorations do not); a coupon with applies_to.products only the lines of those products;
//   - discounts apply one after another, each to what the earlier ones left of the line: first
//     the line's own discounts (from its invoice item), then the invoice's, in the order given;
//   - percent_off: round(left × p / 100) per line, halves away from zero;
//   - amount_off on a line: min(amount_off, left); on the invoice: min(amount_off, left on the
//     eligible lines), split over those lines in proportion to what is left of each, each share
//     rounded down and the leftover minor units given one each to the largest remainders
//     (ties: the earlier line), so the shares always add up to the discount exactly.
import type { AppliedDiscount } from './discount';
import { percentageUnits } from './tax-rate';
import type { InvoiceLine, InvoiceState } from './types';

export interface DiscountAmount {
  discountId: string;
  amount: number;
}

export interface InvoiceDiscounts {
  byLine: ReadonlyMap<string, DiscountAmount[]>;
  totals: DiscountAmount[]; // per discount, summed over the lines, in order of application
  total: number;
  bases: ReadonlyMap<string, number>; // each line's amount after its discounts (what is taxed)
}

const MILLION = 1_000_000n;

function percentOf(left: number, percentOff: string): number {
  const numerator = BigInt(left) * percentageUnits(percentOff);
  let quotient = numerator / MILLION;
  if ((numerator % MILLION) * 2n >= MILLION) quotient += 1n;
  return Number(quotient);
}

function eligible(line: InvoiceLine, discount: AppliedDiscount): boolean {
  if (!line.discountable || line.amount <= 0) return false;
  const products = discount.coupon.appliesToProducts;
  return products === null || (line.productId != null && products.includes(line.productId));
}

// An invoice-level amount_off split over the eligible lines by largest remainder.
function splitAmount(amount: number, lefts: readonly number[]): number[] {
  const pool = lefts.reduce((sum, left) => sum + left, 0);
  if (pool <= 0) return lefts.map(() => 0);
  const applied = BigInt(Math.min(amount, pool));
  const total = BigInt(pool);
  const shares = lefts.map((left) => (applied * BigInt(left)) / total);
  const remainders = lefts.map((left, index) => ({ index, rest: (applied * BigInt(left)) % total }));
  let leftover = applied - shares.reduce((sum, share) => sum + share, 0n);
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1));
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] as bigint) + 1n;
    leftover -= 1n;
  }
  return shares.map(Number);
}

const NONE: InvoiceDiscounts = { byLine: new Map(), totals: [], total: 0, bases: new Map() };

export function invoiceDiscounts(state: Pick<InvoiceState, 'lines' | 'discounts'>): InvoiceDiscounts {
  const invoiceLevel = state.discounts ?? [];
  if (invoiceLevel.length === 0 && !state.lines.some((line) => (line.discounts?.length ?? 0) > 0)) {
    return NONE;
  }
  const left = new Map(state.lines.map((line) => [line.id, line.amount]));
  const byLine = new Map<string, DiscountAmount[]>(state.lines.map((line) => [line.id, []]));
  const totals = new Map<string, number>();
  const take = (line: InvoiceLine, discountId: string, amount: number) => {
    if (amount === 0) return;
    left.set(line.id, (left.get(line.id) as number) - amount);
    (byLine.get(line.id) as DiscountAmount[]).push({ discountId, amount });
    totals.set(discountId, (totals.get(discountId) ?? 0) + amount);
  };
  const ensure = (discountId: string) => {
    if (!totals.has(discountId)) totals.set(discountId, 0);
  };

  for (const line of state.lines) {
    for (const discount of line.discounts ?? []) {
      ensure(discount.id);
      if (!eligible(line, discount)) continue;
      const remaining = left.get(line.id) as number;
      const { percentOff, amountOff } = discount.coupon;
      take(
        line,
        discount.id,
        percentOff !== null ? percentOf(remaining, percentOff) : Math.min(amountOff ?? 0, remaining),
      );
    }
  }
  for (const discount of invoiceLevel) {
    ensure(discount.id);
    const lines = state.lines.filter((line) => eligible(line, discount));
    const { percentOff, amountOff } = discount.coupon;
    if (percentOff !== null) {
      for (const line of lines) take(line, discount.id, percentOf(left.get(line.id) as number, percentOff));
    } else {
      const shares = splitAmount(
        amountOff ?? 0,
        lines.map((line) => left.get(line.id) as number),
      );
      lines.forEach((line, index) => take(line, discount.id, shares[index] as number));
    }
  }
  const summed = [...totals.entries()].map(([discountId, amount]) => ({ discountId, amount }));
  return {
    byLine,
    totals: summed,
    total: summed.reduce((sum, entry) => sum + entry.amount, 0),
    bases: left,
  };
}
