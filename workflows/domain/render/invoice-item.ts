// An invoice item on the wire (object "invoiceitem"), typed by the stripe package so the compiler
// checks every field against API version 2026-10-28.endive.
import type Stripe from 'stripe';
import { renderTaxRate } from './tax-rate';
import type { InvoiceItemRecord } from '../invoice-item';
import { divideToDecimal } from '../money';

type WireDecimal = Stripe.InvoiceItem['quantity_decimal'];

// The stripe package parses decimals into its own Decimal class; on the wire they are strings.
function wireDecimal(value: string): WireDecimal {
  return value as unknown as WireDecimal;
}

function renderPricing(item: InvoiceItemRecord): Stripe.InvoiceItem.Pricing {
  // Items priced by amount show the exact split of their amount when there is one, like lines.
  const unit = item.unitAmountDecimal ?? divideToDecimal(item.amount, item.quantity);
  const pricing: Stripe.InvoiceItem.Pricing = {
    type: 'price_details',
    unit_amount_decimal: unit === null ? null : wireDecimal(unit),
  };
  if (item.priceId !== null && item.productId !== null) {
    pricing.price_details = { price: item.priceId, product: item.productId };
  }
  return pricing;
}

export function renderInvoiceItem(item: InvoiceItemRecord): Stripe.InvoiceItem {
  return {
    id: item.id,
    object: 'invoiceitem',
    amount: item.amount,
    currency: item.currency,
    customer: item.customerId,
    customer_account: null,
    date: item.date,
    description: item.description,
    discountable: item.discountable,
    discounts: (item.discounts ?? []).map((discount) => discount.id),
    invoice: item.invoiceId,
    livemode: false,
    metadata: { ...item.metadata },
    // No discounts exist here, so the amount after discounts is the amount.
    net_amount: item.amount,
    parent:
      item.subscriptionId === null
        ? null
        : {
            type: 'subscription_details',
            subscription_details: { subscription: item.subscriptionId },
          },
    period: { end: item.period.end, start: item.period.start },
    pricing: renderPricing(item),
    proration: item.proration,
    quantity: item.quantity,
    quantity_decimal: wireDecimal(String(item.quantity)),
    tax_rates: (item.taxRates ?? []).map(renderTaxRate),
    test_clock: item.testClockId,
  };
}

export function renderDeletedInvoiceItem(id: string): Stripe.DeletedInvoiceItem {
  return { id, object: 'invoiceitem', deleted: true };
}
