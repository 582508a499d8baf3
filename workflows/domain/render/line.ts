// An invoice line on the wire (object "line_item"), typed by the stripe package so the compiler
// checks every field against API version 2026-10-28.endive.
import type Stripe from 'stripe';
import { divideToDecimal } from '../money';
import type { DiscountAmount } from '../invoice-discounts';
import type { LineTax } from '../tax';
import type { InvoiceLine } from '../types';
import { renderTax } from './tax-rate';

type WireDecimal = NonNullable<Stripe.InvoiceLineItem.Pricing['unit_amount_decimal']>;

// The stripe package parses decimals into its own Decimal class; on the wire they are strings,
// which is what we send.
function wireDecimal(value: string | null): WireDecimal | null {
  return value === null ? null : (value as unknown as WireDecimal);
}

function renderParent(line: InvoiceLine): Stripe.InvoiceLineItem.Parent | null {
  if (line.invoiceItemId !== null) {
    return {
      type: 'invoice_item_details',
      invoice_item_details: {
        invoice_item: line.invoiceItemId,
        proration: line.proration,
        proration_details: { credited_items: null },
        subscription: line.subscriptionId,
      },
      subscription_item_details: null,
    };
  }
  if (line.subscriptionItemId !== null) {
    return {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: line.proration,
        proration_details: { credited_items: null },
        subscription: line.subscriptionId,
        subscription_item: line.subscriptionItemId,
      },
    };
  }
  return null;
}

function renderPricing(line: InvoiceLine): Stripe.InvoiceLineItem.Pricing {
  // Lines without a stored unit price show the exact split of their amount when there is one.
  const unit = line.unitAmountDecimal ?? divideToDecimal(line.amount, line.quantity);
  const pricing: Stripe.InvoiceLineItem.Pricing = {
    type: 'price_details',
    unit_amount_decimal: wireDecimal(unit),
  };
  if (line.priceId !== null && line.productId) {
    pricing.price_details = { price: line.priceId, product: line.productId };
  }
  return pricing;
}

export function renderLine(
  line: InvoiceLine,
  invoiceId: string | null,
  livemode = false,
  taxes: readonly LineTax[] = [],
  discountAmounts: readonly DiscountAmount[] = [],
): Stripe.InvoiceLineItem {
  return {
    id: line.id,
    object: 'line_item',
    amount: line.amount,
    currency: line.currency,
    description: line.description,
    discount_amounts: discountAmounts.map((entry) => ({ amount: entry.amount, discount: entry.discountId })),
    discountable: line.discountable,
    discounts: (line.discounts ?? []).map((discount) => discount.id),
    invoice: invoiceId,
    livemode,
    metadata: { ...line.metadata },
    parent: renderParent(line),
    period: { end: line.period.end, start: line.period.start },
    pretax_credit_amounts: [],
    pricing: renderPricing(line),
    quantity: line.quantity,
    quantity_decimal: wireDecimal(String(line.quantity)),
    subscription: line.subscriptionId,
    subtotal: line.amount,
    taxes: taxes.map(renderTax),
  };
}

export const DEFAULT_LINES_LIMIT = 10;

// The first page of lines embedded in the invoice; the rest are at url (GET .../lines).
export function renderLineList(
  lines: readonly InvoiceLine[],
  invoiceId: string,
  options: {
    limit?: number;
    livemode?: boolean;
    taxes?: ReadonlyMap<string, LineTax[]>;
    discounts?: ReadonlyMap<string, DiscountAmount[]>;
  } = {},
): Stripe.ApiList<Stripe.InvoiceLineItem> {
  const limit = options.limit ?? DEFAULT_LINES_LIMIT;
  return {
    object: 'list',
    data: lines
      .slice(0, limit)
      .map((line) =>
        renderLine(
          line,
          invoiceId,
          options.livemode ?? false,
          options.taxes?.get(line.id),
          options.discounts?.get(line.id),
        ),
      ),
    has_more: lines.length > limit,
    url: `/v1/invoices/${invoiceId}/lines`,
  };
}
