// Lines: built from validated input at creation, then added, updated and removed while the
// invoice is a draft. Once finalized, amounts and lines are frozen (Stripe: invoice_not_editable).
import type { IdFactory } from './ids';
import { refusals, MAX_LINES } from './invoice-errors';
import { assertUsable } from './invoice-guards';
import {
  advance,
  result,
  updatedEvents,
  type InvoiceItemChange,
  type TransitionResult,
} from './invoice-transition';
import {
  divideToDecimal,
  exceedsMaximumAmount,
  isValidDecimalString,
  multiplyDecimal,
  normalizeCurrency,
} from './money';
import type { AppliedDiscount } from './discount';
import type { TaxRateRecord } from './tax-rate';
import type { InvoiceLine, InvoiceState, Metadata, Period } from './types';

// A line as a caller describes it. `amount` wins; otherwise unit_amount_decimal × quantity.
export interface LineInput {
  id?: string; // kept when given (a line claimed from a pending item), else minted
  invoiceItemId?: string | null;
  subscriptionId?: string | null;
  subscriptionItemId?: string | null;
  priceId?: string | null;
  productId?: string | null;
  amount?: number;
  unitAmountDecimal?: string | null;
  quantity?: number; // default 1
  currency?: string; // default: the invoice's currency
  description?: string | null;
  period?: Period; // default: [now, now]
  discountable?: boolean; // default true
  proration?: boolean;
  metadata?: Metadata;
  taxRates?: TaxRateRecord[]; // resolved by the caller (the account's own, active rates)
  discounts?: AppliedDiscount[]; // its invoice item's, applied when the item was made
}

export interface AddLinesCommand {
  lines: LineInput[];
}

export interface LineUpdate {
  id: string; // il_...
  amount?: number;
  unitAmountDecimal?: string | null;
  quantity?: number;
  description?: string | null;
  discountable?: boolean;
  period?: Period;
  metadata?: Metadata;
  priceId?: string | null;
  productId?: string | null;
  taxRates?: TaxRateRecord[] | null; // null or []: the line goes back to the invoice's defaults
  discounts?: AppliedDiscount[] | null; // its invoice item's new list (null or []: none)
}

export interface UpdateLinesCommand {
  lines: LineUpdate[];
}

export interface LineRemoval {
  id: string;
  // delete: the invoice item goes too; unassign: it returns to the customer's pending items.
  behavior: 'delete' | 'unassign';
}

export interface RemoveLinesCommand {
  lines: LineRemoval[];
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function assertPricing(
  input: { amount?: number; unitAmountDecimal?: string | null; quantity?: number },
  param: string,
): void {
  if (input.amount !== undefined && !isInteger(input.amount))
    throw refusals.invalidInteger(`${param}[amount]`, input.amount);
  if (input.quantity !== undefined && (!isInteger(input.quantity) || input.quantity < 0)) {
    throw refusals.invalidInteger(`${param}[quantity]`, input.quantity);
  }
  const unit = input.unitAmountDecimal;
  if (unit !== undefined && unit !== null && !isValidDecimalString(unit)) {
    throw refusals.invalidDecimal(`${param}[unit_amount_decimal]`, unit);
  }
}

function amountOf(amount: number | undefined, unitAmountDecimal: string | null, quantity: number): number {
  if (amount !== undefined) return amount;
  if (unitAmountDecimal === null) throw new RangeError('A line needs an amount or a unit amount');
  return multiplyDecimal(unitAmountDecimal, quantity);
}

// A line's amount, however it is priced, must fit Stripe's eight digits: unit × quantity may
// overflow (RangeError) or exceed them; both are refused naming the parameter it came from.
export function checkedAmount(amount: () => number, param: string): number {
  let value: number;
  try {
    value = amount();
  } catch (error) {
    if (error instanceof RangeError) throw refusals.amountTooLarge(param);
    throw error;
  }
  if (exceedsMaximumAmount(value)) throw refusals.amountTooLarge(param);
  return value;
}

// Shared by create and add_lines: each line valid, one currency, at most 250 lines in all.
export function assertLineInputs(
  lines: readonly LineInput[],
  currency: string,
  existing: number,
  param = 'lines',
): void {
  if (existing + lines.length > MAX_LINES) throw refusals.tooManyLines();
  lines.forEach((line, index) => {
    const at = `${param}[${index}]`;
    assertPricing(line, at);
    if (
      line.amount === undefined &&
      (line.unitAmountDecimal === undefined || line.unitAmountDecimal === null)
    ) {
      throw refusals.amountRequired(`${at}[amount]`);
    }
    if (line.currency !== undefined && normalizeCurrency(line.currency) !== normalizeCurrency(currency)) {
      throw refusals.currencyMismatch(`${at}[currency]`, line.currency, currency);
    }
    checkedAmount(
      () => amountOf(line.amount, line.unitAmountDecimal ?? null, line.quantity ?? 1),
      `${at}[amount]`,
    );
  });
}

export function buildLine(input: LineInput, currency: string, now: number, ids: IdFactory): InvoiceLine {
  const quantity = input.quantity ?? 1;
  const unitAmountDecimal = input.unitAmountDecimal ?? null;
  return {
    id: input.id ?? ids('il'),
    invoiceItemId: input.invoiceItemId ?? null,
    subscriptionId: input.subscriptionId ?? null,
    subscriptionItemId: input.subscriptionItemId ?? null,
    priceId: input.priceId ?? null,
    productId: input.productId ?? null,
    amount: amountOf(input.amount, unitAmountDecimal, quantity),
    currency: normalizeCurrency(currency),
    description: input.description ?? null,
    quantity,
    unitAmountDecimal,
    period: input.period ?? { start: now, end: now },
    discountable: input.discountable ?? true,
    proration: input.proration ?? false,
    metadata: input.metadata ?? {},
    // Only when given, so lines of older histories keep their exact shape.
    ...(input.taxRates && input.taxRates.length > 0 ? { taxRates: input.taxRates } : {}),
    ...(input.discounts && input.discounts.length > 0 ? { discounts: input.discounts } : {}),
  };
}

function assertDraftForLines(state: InvoiceState): void {
  assertUsable(state);
  if (state.status !== 'draft') throw refusals.notEditable();
}

function indexOfLine(state: InvoiceState, id: string, param: string): number {
  const index = state.lines.findIndex((line) => line.id === id);
  if (index < 0) throw refusals.lineMissing(id, param);
  return index;
}

// ---- add_lines ---------------------------------------------------------------------------

export function assertCanAddLines(state: InvoiceState, command: AddLinesCommand): void {
  assertDraftForLines(state);
  assertLineInputs(command.lines, state.currency, state.lines.length);
}

// Stripe lists invoice items added after creation in chronological order: new lines go last.
export function applyAddLines(
  state: InvoiceState,
  command: AddLinesCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const added = command.lines.map((line) => buildLine(line, state.currency, now, ids));
  const next = advance(state, { lines: [...state.lines, ...added] });
  return result(next, updatedEvents(state, next, now, ids));
}

export function addLines(
  state: InvoiceState,
  command: AddLinesCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanAddLines(state, command);
  return applyAddLines(state, command, now, ids);
}

// ---- update_lines ------------------------------------------------------------------------

export function assertCanUpdateLines(state: InvoiceState, command: UpdateLinesCommand): void {
  assertDraftForLines(state);
  command.lines.forEach((update, index) => {
    const line = state.lines[indexOfLine(state, update.id, `lines[${index}][id]`)] as InvoiceLine;
    assertPricing(update, `lines[${index}]`);
    checkedAmount(() => updatedLine(line, update).amount, `lines[${index}][amount]`);
  });
}

function withTaxRates(line: InvoiceLine, taxRates: TaxRateRecord[] | null | undefined): InvoiceLine {
  if (taxRates === undefined) return line;
  const { taxRates: _previous, ...rest } = line;
  void _previous;
  return taxRates && taxRates.length > 0 ? { ...rest, taxRates } : rest;
}

function withDiscounts(line: InvoiceLine, discounts: AppliedDiscount[] | null | undefined): InvoiceLine {
  if (discounts === undefined) return line;
  const { discounts: _previous, ...rest } = line;
  void _previous;
  return discounts && discounts.length > 0 ? { ...rest, discounts } : rest;
}

// A new quantity or unit price re-prices the line unless an amount is given outright; a line
// whose unit price is unknown (and not an exact split of its amount) keeps its amount.
function updatedLine(line: InvoiceLine, update: LineUpdate): InvoiceLine {
  const quantity = update.quantity ?? line.quantity;
  const unit =
    update.unitAmountDecimal !== undefined
      ? update.unitAmountDecimal
      : (line.unitAmountDecimal ?? divideToDecimal(line.amount, line.quantity));
  const repriced = update.quantity !== undefined || update.unitAmountDecimal !== undefined;
  const amount = update.amount ?? (repriced && unit !== null ? multiplyDecimal(unit, quantity) : line.amount);
  const changed = withTaxRates(
    {
      ...line,
      amount,
      quantity,
      unitAmountDecimal:
        update.unitAmountDecimal !== undefined ? update.unitAmountDecimal : line.unitAmountDecimal,
      description: update.description !== undefined ? update.description : line.description,
      discountable: update.discountable ?? line.discountable,
      period: update.period ?? line.period,
      metadata: update.metadata ?? line.metadata,
      priceId: update.priceId !== undefined ? update.priceId : line.priceId,
      productId: update.productId !== undefined ? update.productId : (line.productId ?? null),
    },
    update.taxRates,
  );
  return withDiscounts(changed, update.discounts);
}

// Edits propagate to the invoice item behind a line, as on Stripe.
export function applyUpdateLines(
  state: InvoiceState,
  command: UpdateLinesCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const lines = [...state.lines];
  const changes: InvoiceItemChange[] = [];
  for (const update of command.lines) {
    const index = lines.findIndex((line) => line.id === update.id);
    const line = lines[index] as InvoiceLine;
    lines[index] = updatedLine(line, update);
    if (line.invoiceItemId)
      changes.push({ invoiceItemId: line.invoiceItemId, lineId: line.id, action: 'update' });
  }
  const next = advance(state, { lines });
  return result(next, updatedEvents(state, next, now, ids), { invoiceItemChanges: changes });
}

export function updateLines(
  state: InvoiceState,
  command: UpdateLinesCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanUpdateLines(state, command);
  return applyUpdateLines(state, command, now, ids);
}

// ---- remove_lines ------------------------------------------------------------------------

export function assertCanRemoveLines(state: InvoiceState, command: RemoveLinesCommand): void {
  assertDraftForLines(state);
  command.lines.forEach((removal, index) => indexOfLine(state, removal.id, `lines[${index}][id]`));
}

export function applyRemoveLines(
  state: InvoiceState,
  command: RemoveLinesCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  const removing = new Map(command.lines.map((removal) => [removal.id, removal.behavior]));
  const changes: InvoiceItemChange[] = [];
  for (const line of state.lines) {
    const behavior = removing.get(line.id);
    if (behavior && line.invoiceItemId)
      changes.push({ invoiceItemId: line.invoiceItemId, lineId: line.id, action: behavior });
  }
  const next = advance(state, { lines: state.lines.filter((line) => !removing.has(line.id)) });
  return result(next, updatedEvents(state, next, now, ids), { invoiceItemChanges: changes });
}

export function removeLines(
  state: InvoiceState,
  command: RemoveLinesCommand,
  now: number,
  ids: IdFactory,
): TransitionResult {
  assertCanRemoveLines(state, command);
  return applyRemoveLines(state, command, now, ids);
}
