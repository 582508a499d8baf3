// Discounts, then taxes on what the discounts leave: the one place both are computed for an
// invoice, so its totals, its lines and its documents always agree. Pure.
import { invoiceDiscounts, type InvoiceDiscounts } from './invoice-discounts';
import { invoiceTaxes, type InvoiceTaxes } from './invoice-taxes';
import type { InvoiceState } from './types';

export interface InvoiceAdjustments {
  discounts: InvoiceDiscounts;
  taxes: InvoiceTaxes;
}

export function invoiceAdjustments(
  state: Pick<InvoiceState, 'lines' | 'discounts' | 'defaultTaxRates'>,
): InvoiceAdjustments {
  const discounts = invoiceDiscounts(state);
  return { discounts, taxes: invoiceTaxes(state, discounts.bases) };
}
