// A tax rate on the wire, typed by the stripe package (API 2026-10-28.endive). The exact decimal
// percentage becomes a JSON number only here, at the edge.
import type Stripe from 'stripe';
import type { LineTax } from '../tax';
import type { TaxRateRecord } from '../tax-rate';

export function renderTaxRate(rate: TaxRateRecord): Stripe.TaxRate {
  return {
    id: rate.id,
    object: 'tax_rate',
    active: rate.active,
    country: rate.country,
    created: rate.created,
    description: rate.description,
    display_name: rate.displayName,
    effective_percentage: Number(rate.percentage),
    flat_amount: null,
    inclusive: rate.inclusive,
    jurisdiction: rate.jurisdiction,
    jurisdiction_level: null,
    livemode: rate.livemode,
    metadata: { ...rate.metadata },
    percentage: Number(rate.percentage),
    rate_type: 'percentage',
    state: rate.state,
    tax_type: rate.taxType,
  };
}

// One computed tax as lines (taxes) and invoices (total_taxes) show it.
export function renderTax(tax: LineTax): Stripe.InvoiceLineItem.Tax & Stripe.Invoice.TotalTax {
  return {
    amount: tax.amount,
    tax_behavior: tax.inclusive ? 'inclusive' : 'exclusive',
    tax_rate_details: { tax_rate: tax.taxRateId },
    taxability_reason: 'not_available',
    taxable_amount: tax.taxableAmount,
    type: 'tax_rate_details',
  };
}
