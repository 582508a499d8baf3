// An invoice item: a charge (or credit) for a customer that is either pending (invoiceId null:
// it waits for the customer's next invoice) or on an invoice, where it IS one of the invoice's
// lines (the invoice owns it from then on). Pure: validation, pricing and the line mapping.
import { invalidRequest } from './errors';
import { refusals } from './invoice-errors';
import { checkedAmount, type LineInput, type LineUpdate } from './invoice-lines';
import {
  divideToDecimal,
  isSupportedCurrency,
  isValidDecimalString,
  multiplyDecimal,
  normalizeCurrency,
} from './money';
import type { AppliedDiscount } from './discount';
import type { TaxRateRecord } from './tax-rate';
import type { InvoiceLine, InvoiceState, Metadata, Period } from './types';

export interface InvoiceItemRecord {
  id: string; // ii_...
  accountId: string;
  customerId: string;
  invoiceId: string | null; // null while pending
  lineId: string | null; // the il_ line it is, while on an invoice
  amount: number; // minor units; negative is a credit
  currency: string;
  description: string | null;
  quantity: number;
  unitAmountDecimal: string | null;
  period: Period;
  discountable: boolean;
  proration: boolean;
  metadata: Metadata;
  date: number; // when it was created (Stripe's `date`)
  testClockId: string | null;
  subscriptionId: string | null;
  priceId: string | null;
  productId: string | null;
  deleted: boolean;
  taxRates?: TaxRateRecord[]; // absent or empty: the invoice's default_tax_rates apply
  discounts?: AppliedDiscount[]; // applied before the invoice's own discounts
}

// What an invoice's line is built from when the item joins the invoice.
export type ItemLineInput = LineInput & { invoiceItemId: string };

// How an item is priced, as a caller gives it: an amount, or a unit amount times a quantity.
export interface ItemPricing {
  amount?: number;
  unitAmountDecimal?: string;
  quantity?: number;
}

export interface NewInvoiceItemInput extends ItemPricing {
  id: string;
  accountId: string;
  customerId: string;
  invoiceId: string | null;
  currency: string;
  description?: string | null;
  discountable?: boolean;
  period?: Period;
  metadata?: Metadata;
  testClockId?: string | null;
  taxRates?: TaxRateRecord[];
  discounts?: AppliedDiscount[];
}

export interface InvoiceItemUpdate extends ItemPricing {
  description?: string | null;
  discountable?: boolean;
  period?: Period;
  metadata?: Metadata; // already merged with the item's current metadata
  taxRates?: TaxRateRecord[] | null; // null: removed
  discounts?: AppliedDiscount[] | null; // the whole new list; null: removed
}

// The line keeps one id for as long as the item is on an invoice, derived from the item's, so a
// retried claim or add builds the very same line.
export function lineIdForItem(invoiceItemId: string): string {
  return `il_${invoiceItemId.slice(invoiceItemId.indexOf('_') + 1)}`;
}

function assertPricingShape(pricing: ItemPricing): void {
  if (pricing.amount !== undefined && pricing.unitAmountDecimal !== undefined) {
    throw invalidRequest(
      'You may only specify one of these parameters: amount, unit_amount_decimal.',
      'parameters_exclusive',
      'amount',
    );
  }
  if (pricing.amount !== undefined && !Number.isSafeInteger(pricing.amount)) {
    throw refusals.invalidInteger('amount', pricing.amount);
  }
  if (pricing.quantity !== undefined && (!Number.isSafeInteger(pricing.quantity) || pricing.quantity < 0)) {
    throw refusals.invalidInteger('quantity', pricing.quantity);
  }
  if (pricing.unitAmountDecimal !== undefined && !isValidDecimalString(pricing.unitAmountDecimal)) {
    throw refusals.invalidDecimal('unit_amount_decimal', pricing.unitAmountDecimal);
  }
}

// The parameter that made the amount what it is.
function pricedParam(pricing: ItemPricing): string {
  if (pricing.amount !== undefined) return 'amount';
  return pricing.unitAmountDecimal !== undefined ? 'unit_amount_decimal' : 'quantity';
}

function assertPeriod(period: Period | undefined): void {
  if (period && period.end < period.start) {
    throw invalidRequest(
      'The period end must be greater than or equal to the period start.',
      undefined,
      'period[end]',
    );
  }
}

export function newInvoiceItem(input: NewInvoiceItemInput, now: number): InvoiceItemRecord {
  assertPricingShape(input);
  if (input.amount === undefined && input.unitAmountDecimal === undefined) {
    throw refusals.amountRequired('amount');
  }
  if (!isSupportedCurrency(input.currency)) throw refusals.invalidCurrency(input.currency);
  assertPeriod(input.period);
  const quantity = input.quantity ?? 1;
  const unitAmountDecimal = input.unitAmountDecimal ?? null;
  const amount = checkedAmount(
    () => input.amount ?? multiplyDecimal(unitAmountDecimal as string, quantity),
    pricedParam(input),
  );
  return {
    id: input.id,
    accountId: input.accountId,
    customerId: input.customerId,
    invoiceId: input.invoiceId,
    lineId: input.invoiceId === null ? null : lineIdForItem(input.id),
    amount,
    currency: normalizeCurrency(input.currency),
    description: input.description ?? null,
    quantity,
    unitAmountDecimal,
    period: input.period ?? { start: now, end: now },
    // Stripe: "Defaults to false for prorations or negative invoice items, and true for all other".
    discountable: input.discountable ?? amount >= 0,
    proration: false,
    metadata: input.metadata ?? {},
    date: now,
    testClockId: input.testClockId ?? null,
    subscriptionId: null,
    priceId: null,
    productId: null,
    deleted: false,
    ...(input.taxRates && input.taxRates.length > 0 ? { taxRates: input.taxRates } : {}),
    ...(input.discounts && input.discounts.length > 0 ? { discounts: input.discounts } : {}),
  };
}

// The same re-pricing rule as a line edit (invoice-lines.ts): a new quantity or unit amount
// re-prices the item unless an amount is given outright. An explicit amount drops the unit
// amount, which no longer describes it.
export function applyItemUpdate(item: InvoiceItemRecord, update: InvoiceItemUpdate): InvoiceItemRecord {
  assertItemUpdate(update);
  const quantity = update.quantity ?? item.quantity;
  const repriced = update.quantity !== undefined || update.unitAmountDecimal !== undefined;
  const unit =
    update.unitAmountDecimal ?? item.unitAmountDecimal ?? divideToDecimal(item.amount, item.quantity);
  const amount = checkedAmount(
    () => update.amount ?? (repriced && unit !== null ? multiplyDecimal(unit, quantity) : item.amount),
    pricedParam(update),
  );
  const { taxRates: currentRates, discounts: currentDiscounts, ...rest } = item;
  const taxRates = update.taxRates === undefined ? currentRates : update.taxRates;
  const discounts = update.discounts === undefined ? currentDiscounts : update.discounts;
  return {
    ...rest,
    ...(taxRates && taxRates.length > 0 ? { taxRates } : {}),
    ...(discounts && discounts.length > 0 ? { discounts } : {}),
    amount,
    quantity,
    unitAmountDecimal:
      update.unitAmountDecimal ?? (update.amount !== undefined ? null : item.unitAmountDecimal),
    description: update.description !== undefined ? update.description : item.description,
    discountable: update.discountable ?? item.discountable,
    period: update.period ?? item.period,
    metadata: update.metadata ?? item.metadata,
  };
}

// The checks that need no item: run before an update is sent to an invoice's workflow, which
// then checks the rest (the line's new amount) against the line it holds.
export function assertItemUpdate(update: InvoiceItemUpdate): void {
  assertPricingShape(update);
  if (update.amount !== undefined) checkedAmount(() => update.amount as number, 'amount');
  assertPeriod(update.period);
}

// The same update addressed to the line the item is on.
export function lineChangesFromUpdate(update: InvoiceItemUpdate): Omit<LineUpdate, 'id'> {
  const changes: Omit<LineUpdate, 'id'> = {};
  if (update.amount !== undefined) changes.amount = update.amount;
  if (update.unitAmountDecimal !== undefined) changes.unitAmountDecimal = update.unitAmountDecimal;
  if (update.quantity !== undefined) changes.quantity = update.quantity;
  if (update.description !== undefined) changes.description = update.description;
  if (update.discountable !== undefined) changes.discountable = update.discountable;
  if (update.period !== undefined) changes.period = update.period;
  if (update.metadata !== undefined) changes.metadata = update.metadata;
  if (update.taxRates !== undefined) changes.taxRates = update.taxRates;
  if (update.discounts !== undefined) changes.discounts = update.discounts;
  return changes;
}

// The amount is passed as computed, so the line shows exactly what the item showed.
export function lineInputFromItem(item: InvoiceItemRecord): ItemLineInput {
  return {
    id: item.lineId ?? lineIdForItem(item.id),
    invoiceItemId: item.id,
    subscriptionId: item.subscriptionId,
    priceId: item.priceId,
    productId: item.productId,
    amount: item.amount,
    unitAmountDecimal: item.unitAmountDecimal,
    quantity: item.quantity,
    currency: item.currency,
    description: item.description,
    period: { ...item.period },
    discountable: item.discountable,
    proration: item.proration,
    metadata: { ...item.metadata },
    ...(item.taxRates && item.taxRates.length > 0 ? { taxRates: item.taxRates } : {}),
    ...(item.discounts && item.discounts.length > 0 ? { discounts: item.discounts } : {}),
  };
}

// Whether the invoice-item rows stored for `before` still hold for `after`, so a persist may skip
// their sync (a read and lock of every row; finalize and pay change none). A row is made of its
// line and of these invoice fields only (itemFromLine below). `sameLines` defaults to identity:
// transitions that leave the lines alone keep the same array (advance spreads the state), and a
// false "changed" only costs the sync it would have run anyway.
export function itemRowsUnchanged(
  before: InvoiceState,
  after: InvoiceState,
  itemChanges: readonly unknown[],
  sameLines: (a: InvoiceLine[], b: InvoiceLine[]) => boolean = (a, b) => a === b,
): boolean {
  return (
    itemChanges.length === 0 &&
    before.id === after.id &&
    before.accountId === after.accountId &&
    before.customerId === after.customerId &&
    before.testClockId === after.testClockId &&
    before.deleted === after.deleted &&
    sameLines(before.lines, after.lines)
  );
}

// The item as the invoice's line now shows it. `date` is the item's creation time, which the
// line does not carry. Items of a deleted draft are deleted with it (see the repository).
export function itemFromLine(line: InvoiceLine, state: InvoiceState, date: number): InvoiceItemRecord {
  if (line.invoiceItemId === null) throw new Error(`line ${line.id} has no invoice item`);
  return {
    id: line.invoiceItemId,
    accountId: state.accountId,
    customerId: state.customerId,
    invoiceId: state.id,
    lineId: line.id,
    amount: line.amount,
    currency: line.currency,
    description: line.description,
    quantity: line.quantity,
    unitAmountDecimal: line.unitAmountDecimal,
    period: { ...line.period },
    discountable: line.discountable,
    proration: line.proration,
    metadata: { ...line.metadata },
    date,
    testClockId: state.testClockId,
    subscriptionId: line.subscriptionId,
    priceId: line.priceId,
    productId: line.productId ?? null,
    deleted: state.deleted,
    ...(line.taxRates && line.taxRates.length > 0 ? { taxRates: line.taxRates } : {}),
    ...(line.discounts && line.discounts.length > 0 ? { discounts: line.discounts } : {}),
  };
}
