// Invoices that do not exist yet: the renewal a subscription will bill next, the one a change
// would produce, a new subscription's first. Built with the same pure create as real invoices,
// so a preview and the invoice the same change then produces agree line for line.
import { discountActiveAt, type AppliedDiscount, type DiscountInput } from './discount';
import type { TaxRateRecord } from './tax-rate';
import { nextBoundary } from './billing-period';
import type { IdFactory } from './ids';
import { createInvoice } from './invoice-create';
import type { LineInput } from './invoice-lines';
import { periodLines } from './subscription-lines';
import {
  recurrenceOf,
  type InvoiceRequest,
  type SubscriptionLine,
  type SubscriptionState,
} from './subscription-types';
import type { CustomerSnapshot, InvoiceState } from './types';

// Stripe names preview invoices upcoming_in_...; nothing can be fetched or changed by that id.
export const PREVIEW_ID_PREFIX = 'upcoming_in';

// The subscription's discounts that apply to an invoice of these lines: the invoice is made at
// its lines' earliest start (a renewal's new period, a change's moment).
export function subscriptionInvoiceDiscounts(
  sub: Pick<SubscriptionState, 'discounts' | 'currentPeriodStart'>,
  lines: readonly Pick<SubscriptionLine, 'period'>[],
): AppliedDiscount[] | undefined {
  if (!sub.discounts || sub.discounts.length === 0) return undefined;
  const at = lines.length > 0 ? Math.min(...lines.map((line) => line.period.start)) : sub.currentPeriodStart;
  return sub.discounts.filter((discount) => discountActiveAt(discount, at));
}

// The line's item's own tax rates, while the subscription still has the item.
export function itemTaxRates(
  sub: Pick<SubscriptionState, 'items'>,
  line: Pick<SubscriptionLine, 'subscriptionItemId'>,
): TaxRateRecord[] | undefined {
  return sub.items.find((item) => item.id === line.subscriptionItemId)?.taxRates;
}

export function subscriptionLineInput(
  line: SubscriptionLine,
  subscriptionId: string,
  taxRates?: TaxRateRecord[],
): LineInput {
  return {
    ...(taxRates && taxRates.length > 0 ? { taxRates } : {}),
    subscriptionId,
    subscriptionItemId: line.subscriptionItemId,
    priceId: line.priceId,
    productId: line.productId,
    amount: line.amount,
    unitAmountDecimal: line.unitAmountDecimal,
    quantity: line.quantity,
    description: line.description,
    period: { ...line.period },
    proration: line.proration,
    discountable: !line.proration,
  };
}

// The invoice the next renewal makes, before pending items.
export function renewalRequest(state: SubscriptionState): Omit<InvoiceRequest, 'invoiceId'> {
  const recurrence = recurrenceOf(state);
  const start = state.currentPeriodEnd;
  const end = nextBoundary(state.billingCycleAnchor, recurrence, start);
  return {
    billingReason: 'subscription_cycle',
    periodStart: state.currentPeriodStart,
    periodEnd: start,
    lines: periodLines(state, recurrence, { start, end }),
    collectNow: false,
  };
}

export interface PreviewInput {
  accountId: string;
  customerId: string;
  currency: string;
  customer: CustomerSnapshot;
  livemode: boolean;
  testClockId: string | null;
  subscription: SubscriptionState | null;
  request: Omit<InvoiceRequest, 'invoiceId'> | null;
  // Pending invoice items the invoice would take (claimed first, as a real invoice does).
  pendingLines: LineInput[];
  extraLines?: LineInput[]; // create_preview's invoice_items
  defaultTaxRates?: TaxRateRecord[]; // create_preview's; else the subscription's
  discounts?: (DiscountInput | AppliedDiscount)[]; // create_preview's; else the subscription's
}

export function previewInvoice(input: PreviewInput, now: number, ids: IdFactory): InvoiceState {
  const sub = input.subscription;
  const request = input.request;
  const lines = [
    ...input.pendingLines,
    ...(request && sub
      ? request.lines.map((line) => subscriptionLineInput(line, sub.id, itemTaxRates(sub, line)))
      : []),
    ...(input.extraLines ?? []),
  ];
  const created = createInvoice(
    {
      invoiceId: ids(PREVIEW_ID_PREFIX),
      accountId: input.accountId,
      customerId: input.customerId,
      currency: input.currency,
      customer: input.customer,
      livemode: input.livemode,
      testClockId: input.testClockId,
      autoAdvance: sub !== null,
      collectionMethod: sub?.collectionMethod ?? 'charge_automatically',
      daysUntilDue: sub?.collectionMethod === 'send_invoice' ? sub.daysUntilDue : undefined,
      defaultPaymentMethod: sub?.defaultPaymentMethod ?? null,
      billingReason: request?.billingReason ?? 'upcoming',
      subscriptionId: sub?.id ?? null,
      periodStart: request?.periodStart,
      periodEnd: request?.periodEnd,
      lines,
      defaultTaxRates: input.defaultTaxRates ?? sub?.defaultTaxRates,
      discounts:
        input.discounts ?? (sub && request ? subscriptionInvoiceDiscounts(sub, request.lines) : undefined),
    },
    now,
    ids,
  );
  return created.state;
}
