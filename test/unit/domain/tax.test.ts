// Every figure here is worked out by hand in the comment beside it.
import { lineTaxes, totalTaxesByRate } from '../../../workflows/domain/tax';
import { newTaxRate, normalizePercentage, percentageUnits } from '../../../workflows/domain/tax-rate';
import { invoiceTaxes } from '../../../workflows/domain/invoice-taxes';
import { computeTotals } from '../../../workflows/domain/totals';
import { renderInvoice } from '../../../workflows/domain/render/invoice';
import { draftInvoice, line, NOW, openInvoice, refusalOf } from './support';

const exclusive = (id: string, percentage: string) => ({ id, percentage, inclusive: false });
const inclusive = (id: string, percentage: string) => ({ id, percentage, inclusive: true });

function rate(id: string, percentage: string, isInclusive: boolean) {
  return newTaxRate({ id, accountId: 'acct_test', displayName: id, inclusive: isInclusive, percentage }, NOW);
}

describe('percentages', () => {
  it('are exact ten-thousandths of a percent', () => {
    expect(percentageUnits('8.25')).toBe(82_500n);
    expect(percentageUnits('19')).toBe(190_000n);
    expect(percentageUnits('0.0625')).toBe(625n);
  });

  it('are stored in canonical form', () => {
    expect(normalizePercentage('08.50')).toBe('8.5');
    expect(normalizePercentage('20.0000')).toBe('20');
  });

  it('refuse more than four places, negatives and more than 100, naming percentage', () => {
    for (const bad of ['8.25001', '-1', '100.01', 'abc']) {
      expect(refusalOf(() => rate('txr_x', bad, false)).data).toMatchObject({
        status: 400,
        param: 'percentage',
      });
    }
  });
});

describe('lineTaxes', () => {
  it('adds an exclusive rate on top of the amount', () => {
    // 1000 × 19 % = 190
    expect(lineTaxes(1000, [exclusive('txr_vat', '19')])).toEqual([
      { taxRateId: 'txr_vat', inclusive: false, amount: 190, taxableAmount: 1000 },
    ]);
  });

  it('rounds a fractional tax half away from zero, once per line and rate', () => {
    // 1999 × 8.25 % = 164.9175 -> 165
    expect(lineTaxes(1999, [exclusive('txr_a', '8.25')])[0]?.amount).toBe(165);
    // 1000 × 8.25 % = 82.5 -> 83 (a half goes up)
    expect(lineTaxes(1000, [exclusive('txr_a', '8.25')])[0]?.amount).toBe(83);
    // 10000 × 0.0625 % = 6.25 -> 6
    expect(lineTaxes(10_000, [exclusive('txr_a', '0.0625')])[0]?.amount).toBe(6);
    // a credit mirrors a charge: -1000 × 8.25 % = -82.5 -> -83
    expect(lineTaxes(-1000, [exclusive('txr_a', '8.25')])[0]?.amount).toBe(-83);
  });

  it('takes an inclusive rate out of the amount', () => {
    // 1200 includes 20 %: 1200 × 20 / 120 = 200, leaving 1000 taxable
    expect(lineTaxes(1200, [inclusive('txr_in', '20')])).toEqual([
      { taxRateId: 'txr_in', inclusive: true, amount: 200, taxableAmount: 1000 },
    ]);
    // 999 × 20 / 120 = 166.5 -> 167, leaving 832
    expect(lineTaxes(999, [inclusive('txr_in', '20')])[0]).toMatchObject({ amount: 167, taxableAmount: 832 });
  });

  it('splits several inclusive rates over their sum', () => {
    // 1150 includes 5 % and 10 %: 1150 × 5 / 115 = 50 and 1150 × 10 / 115 = 100; 1000 taxable
    expect(lineTaxes(1150, [inclusive('txr_a', '5'), inclusive('txr_b', '10')])).toEqual([
      { taxRateId: 'txr_a', inclusive: true, amount: 50, taxableAmount: 1000 },
      { taxRateId: 'txr_b', inclusive: true, amount: 100, taxableAmount: 1000 },
    ]);
  });

  it('applies an exclusive rate to what is left once inclusive tax is out', () => {
    // 1100 includes 10 % (100); 1000 taxable; 5 % on top = 50
    expect(lineTaxes(1100, [inclusive('txr_in', '10'), exclusive('txr_ex', '5')])).toEqual([
      { taxRateId: 'txr_in', inclusive: true, amount: 100, taxableAmount: 1000 },
      { taxRateId: 'txr_ex', inclusive: false, amount: 50, taxableAmount: 1000 },
    ]);
  });

  it('is empty without rates', () => {
    expect(lineTaxes(1000, [])).toEqual([]);
  });
});

describe('totalTaxesByRate', () => {
  it('sums each rate over the lines in order of first appearance', () => {
    const taxes = [
      ...lineTaxes(2500, [exclusive('txr_a', '8.25')]),
      ...lineTaxes(1200, [inclusive('txr_b', '20'), exclusive('txr_a', '8.25')]),
    ];
    expect(totalTaxesByRate(taxes)).toEqual([
      { taxRateId: 'txr_a', inclusive: false, amount: 206 + 83, taxableAmount: 2500 + 1000 },
      { taxRateId: 'txr_b', inclusive: true, amount: 200, taxableAmount: 1000 },
    ]);
  });
});

describe('an invoice with a default exclusive rate and a line with its own inclusive rate', () => {
  const salesTax = rate('txr_sales', '8.25', false);
  const vat = rate('txr_vat', '20', true);
  // Line 1: 2500, default 8.25 % -> 206.25 -> 206.
  // Line 2: 1200 with 20 % inclusive (200, taxable 1000) and 8.25 % on 1000 = 82.5 -> 83.
  // subtotal 3700; inclusive 200; exclusive 206 + 83 = 289; total 3700 + 289 = 3989;
  // total excluding tax 3989 - 200 - 289 = 3500; subtotal excluding tax 3700 - 200 = 3500.
  const state = draftInvoice({
    defaultTaxRates: [salesTax],
    lines: [line({ amount: 2500 }), line({ amount: 1200, taxRates: [vat, salesTax] })],
  });

  it('taxes each line with its own rates, else the defaults', () => {
    const taxes = invoiceTaxes(state);
    expect(taxes.inclusive).toBe(200);
    expect(taxes.exclusive).toBe(289);
    expect(computeTotals(state)).toMatchObject({ subtotal: 3700, total: 3989, amountDue: 3989 });
  });

  it('renders the totals and taxes Stripe shows', () => {
    const body = renderInvoice(state);
    expect(body).toMatchObject({
      subtotal: 3700,
      subtotal_excluding_tax: 3500,
      total: 3989,
      total_excluding_tax: 3500,
      amount_due: 3989,
    });
    expect(body.default_tax_rates.map((r) => [r.id, r.percentage, r.inclusive])).toEqual([
      ['txr_sales', 8.25, false],
    ]);
    expect(body.total_taxes).toEqual([
      expect.objectContaining({ amount: 289, taxable_amount: 3500, tax_behavior: 'exclusive' }),
      expect.objectContaining({ amount: 200, taxable_amount: 1000, tax_behavior: 'inclusive' }),
    ]);
    expect(body.lines.data[1]?.taxes?.map((t) => [t.tax_rate_details?.tax_rate, t.amount])).toEqual([
      ['txr_vat', 200],
      ['txr_sales', 83],
    ]);
  });

  it('charges the taxed total at finalization', () => {
    const open = openInvoice({
      defaultTaxRates: [salesTax],
      lines: [line({ amount: 2500 }), line({ amount: 1200, taxRates: [vat, salesTax] })],
    });
    expect(computeTotals(open)).toMatchObject({ total: 3989, amountDue: 3989, amountRemaining: 3989 });
  });
});

describe('an invoice without tax rates', () => {
  it('keeps total equal to subtotal and shows no taxes', () => {
    const body = renderInvoice(draftInvoice({ lines: [line({ amount: 1000 })] }));
    expect(body).toMatchObject({ subtotal: 1000, total: 1000, total_excluding_tax: 1000, total_taxes: [] });
  });
});
