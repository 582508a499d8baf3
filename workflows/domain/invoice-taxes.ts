// The taxes of a whole invoice: each line taxed with its own rates, or the invoice's default
// rates when it has none (Stripe: a line's tax_rates replace default_tax_rates). Pure.
import { lineTaxes, sumTaxes, totalTaxesByRate, type LineTax } from './tax';
import type { TaxRateRecord } from './tax-rate';
import type { InvoiceLine, InvoiceState } from './types';

export interface InvoiceTaxes {
  byLine: ReadonlyMap<string, LineTax[]>; // line id -> its taxes
  totalTaxes: LineTax[]; // per rate, summed over the lines
  inclusive: number;
  exclusive: number;
}

export function ratesForLine(
  line: Pick<InvoiceLine, 'taxRates'>,
  defaults: readonly TaxRateRecord[] | undefined,
): readonly TaxRateRecord[] {
  return line.taxRates && line.taxRates.length > 0 ? line.taxRates : (defaults ?? []);
}

const NONE: InvoiceTaxes = { byLine: new Map(), totalTaxes: [], inclusive: 0, exclusive: 0 };

// `bases` gives each line's amount after its discounts; absent, the line's own amount.
export function invoiceTaxes(
  state: Pick<InvoiceState, 'lines' | 'defaultTaxRates'>,
  bases?: ReadonlyMap<string, number>,
): InvoiceTaxes {
  const taxed = state.lines.some((line) => (line.taxRates?.length ?? 0) > 0);
  if (!taxed && (state.defaultTaxRates?.length ?? 0) === 0) return NONE;
  const byLine = new Map<string, LineTax[]>();
  const all: LineTax[] = [];
  for (const line of state.lines) {
    const taxes = lineTaxes(bases?.get(line.id) ?? line.amount, ratesForLine(line, state.defaultTaxRates));
    byLine.set(line.id, taxes);
    all.push(...taxes);
  }
  return { byLine, totalTaxes: totalTaxesByRate(all), ...sumTaxes(all) };
}
