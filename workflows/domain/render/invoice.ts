// The invoice on the wire, typed by the stripe package (Stripe.Invoice) so the compiler proves
// every field is present with Stripe's type. Money comes from computeTotals, never from storage.
import type Stripe from 'stripe';
import { creditNoteTotals } from '../credit-note-totals';
import { invoiceAdjustments } from '../invoice-adjustments';
import { computeTotals } from '../totals';
import type { InvoiceState } from '../types';
import { renderAddress } from './address';
import { renderLineList } from './line';
import { renderTax, renderTaxRate } from './tax-rate';

export { renderLine, renderLineList, DEFAULT_LINES_LIMIT } from './line';

// Exactly Stripe.Invoice: since API 2025-03-31 an invoice's subscription is only under
// parent.subscription_details (the top-level `subscription` is gone from the type and the wire).
export type InvoiceBody = Stripe.Invoice;

export interface RenderInvoiceOptions {
  linesLimit?: number; // lines embedded in the invoice (default 10, as on Stripe)
  hosted?: HostedLink | null; // where the hosted invoice page lives; absent: no URLs
  accountCountry?: string | null;
  accountName?: string | null;
}

function renderLastFinalizationError(state: InvoiceState): Stripe.Invoice.LastFinalizationError | null {
  const error = state.lastFinalizationError;
  if (!error) return null;
  const rendered: Stripe.Invoice.LastFinalizationError = { type: error.type, message: error.message };
  if (error.code !== null) rendered.code = error.code as Stripe.Invoice.LastFinalizationError.Code;
  return rendered;
}

function renderParent(state: InvoiceState): Stripe.Invoice.Parent | null {
  if (state.subscriptionId === null) return null;
  return {
    type: 'subscription_details',
    quote_details: null,
    subscription_details: { metadata: null, subscription: state.subscriptionId },
  };
}

// The customer-facing page of one invoice: the public base URL and the invoice's own
// unguessable token (invoices.hosted_token), which is the capability to see and pay it.
export interface HostedLink {
  baseUrl: string;
  token: string;
}

export function hostedPagePath(token: string): string {
  return `/i/${encodeURIComponent(token)}`;
}

// Hosted page and PDF exist from finalization on; drafts are not customer-facing.
function hostedUrls(state: InvoiceState, hosted: HostedLink | null | undefined) {
  if (!hosted || state.status === 'draft') return { hosted_invoice_url: null, invoice_pdf: null };
  const page = `${hosted.baseUrl.replace(/\/+$/, '')}${hostedPagePath(hosted.token)}`;
  return { hosted_invoice_url: page, invoice_pdf: `${page}/pdf` };
}

export function renderInvoice(state: InvoiceState, options: RenderInvoiceOptions = {}): InvoiceBody {
  const totals = computeTotals(state);
  const { discounts, taxes } = invoiceAdjustments(state);
  const draft = state.status === 'draft';
  const customer = state.customer;
  return {
    id: state.id,
    object: 'invoice',
    account_country: options.accountCountry ?? null,
    account_name: options.accountName ?? null,
    account_tax_ids: null,
    amount_due: totals.amountDue,
    amount_overpaid: totals.amountOverpaid,
    amount_paid: totals.amountPaid,
    amount_remaining: totals.amountRemaining,
    amount_shipping: 0,
    application: null,
    attempt_count: state.attemptCount,
    attempted: state.attempted,
    auto_advance: state.autoAdvance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: draft ? state.automaticallyFinalizesAt : null,
    billing_reason: state.billingReason,
    collection_method: state.collectionMethod,
    created: state.created,
    currency: state.currency,
    custom_fields: state.customFields
      ? state.customFields.map((f) => ({ name: f.name, value: f.value }))
      : null,
    customer: state.customerId,
    customer_account: null,
    customer_address: customer.address ? renderAddress(customer.address) : null,
    customer_email: customer.email,
    customer_name: customer.name,
    customer_phone: customer.phone,
    customer_shipping: null,
    customer_tax_exempt: customer.taxExempt,
    customer_tax_ids: [],
    default_payment_method: state.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: (state.defaultTaxRates ?? []).map(renderTaxRate),
    description: state.description,
    discounts: (state.discounts ?? []).map((discount) => discount.id),
    due_date: state.dueDate,
    effective_at: state.effectiveAt,
    ending_balance: totals.endingBalance,
    footer: state.footer,
    from_invoice: null,
    ...hostedUrls(state, options.hosted),
    issuer: { type: 'self' },
    last_finalization_error: renderLastFinalizationError(state),
    latest_revision: null,
    lines: renderLineList(state.lines, state.id, {
      limit: options.linesLimit,
      livemode: state.livemode,
      taxes: taxes.byLine,
      discounts: discounts.byLine,
    }),
    livemode: state.livemode,
    metadata: { ...state.metadata },
    next_payment_attempt: state.nextPaymentAttempt,
    number: state.number,
    on_behalf_of: null,
    parent: renderParent(state),
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: state.periodEnd,
    period_start: state.periodStart,
    post_payment_credit_notes_amount: creditNoteTotals(state).post,
    pre_payment_credit_notes_amount: creditNoteTotals(state).pre,
    receipt_number: state.receiptNumber,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: totals.startingBalance,
    statement_descriptor: state.statementDescriptor,
    status: state.status,
    status_transitions: {
      finalized_at: state.statusTransitions.finalizedAt,
      marked_uncollectible_at: state.statusTransitions.markedUncollectibleAt,
      paid_at: state.statusTransitions.paidAt,
      voided_at: state.statusTransitions.voidedAt,
    },
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotal - taxes.inclusive,
    test_clock: state.testClockId,
    total: totals.total,
    total_discount_amounts: discounts.totals.map((entry) => ({
      amount: entry.amount,
      discount: entry.discountId,
    })),
    total_excluding_tax: totals.total - taxes.inclusive - taxes.exclusive,
    total_pretax_credit_amounts: [],
    total_taxes: taxes.totalTaxes.map(renderTax),
    webhooks_delivered_at: state.webhooksDeliveredAt,
  };
}

export function renderDeletedInvoice(id: string): Stripe.DeletedInvoice {
  return { id, object: 'invoice', deleted: true };
}
