import { escapeHtml } from '../../../../workflows/domain/render/escape-html';
import { formatMoney, formatPeriod } from '../../../../workflows/domain/render/human-format';
import { invoiceDocument } from '../../../../workflows/domain/render/invoice-document';
import { draftInvoice, line, NOW, openInvoice, paidInvoice, voidedInvoice } from '../support';

const seller = { name: 'Acme' };

describe('formatMoney', () => {
  it.each([
    [123_456, 'usd', '$1,234.56'],
    [-500, 'usd', '-$5.00'],
    [1_200, 'eur', '€12.00'],
    [1_000, 'jpy', '¥1,000'],
    [0, 'gbp', '£0.00'],
  ])('%d %s is %s', (amount, currency, text) => {
    expect(formatMoney(amount, currency)).toBe(text);
  });
});

describe('formatPeriod', () => {
  it('shows a range, or one date for an instant', () => {
    expect(formatPeriod(1_764_547_200, 1_767_225_600)).toBe('Dec 1, 2025 – Jan 1, 2026');
    expect(formatPeriod(1_764_547_200, 1_764_547_200)).toBe('Dec 1, 2025');
  });
});

describe('invoiceDocument', () => {
  it('shows an open invoice as due, payable, with its lines and totals', () => {
    const state = {
      ...openInvoice({
        lines: [line({ amount: 1_500, quantity: 3, description: 'Seats' }), line({ amount: 250 })],
        customFields: [{ name: 'PO', value: '7' }],
        footer: 'Thanks',
      }),
      dueDate: NOW + 86_400 * 30,
    };
    const document = invoiceDocument(state, seller);
    expect(document).toMatchObject({
      number: 'ABCD1234-0001',
      title: 'Invoice ABCD1234-0001',
      seller,
      payable: true,
      paid: false,
      amountDue: '$17.50',
      amountRemaining: '$17.50',
      headline: { amount: '$17.50', caption: `due ${document.dueDate}` },
      customFields: [{ name: 'PO', value: '7' }],
      footer: 'Thanks',
    });
    expect(document.lines[0]).toEqual({
      description: 'Seats',
      period: null,
      quantity: '3',
      unitPrice: '$5.00',
      amount: '$15.00',
    });
    expect(document.totals.map((row) => [row.label, row.value])).toEqual([
      ['Subtotal', '$17.50'],
      ['Total', '$17.50'],
      ['Amount due', '$17.50'],
    ]);
  });

  it('shows a paid invoice as a receipt that cannot be paid again', () => {
    const document = invoiceDocument(paidInvoice(), seller);
    expect(document).toMatchObject({ paid: true, payable: false, status: 'paid' });
    expect(document.headline.caption).toMatch(/^paid /);
    expect(document.totals.map((row) => row.label)).toContain('Amount paid');
    expect(document.dates.map((row) => row.label)).toContain('Date paid');
  });

  it('shows what a credit balance took off', () => {
    const document = invoiceDocument(openInvoice({}, -400), seller);
    expect(document.totals).toContainEqual({ label: 'Applied balance', value: '-$4.00', strong: false });
    expect(document.amountDue).toBe('$6.00');
  });

  it('does not offer to pay a void invoice or a draft', () => {
    expect(invoiceDocument(voidedInvoice(), seller)).toMatchObject({ payable: false, statusLabel: 'Void' });
    expect(invoiceDocument(draftInvoice(), seller).payable).toBe(false);
  });
});

describe('escapeHtml', () => {
  it('escapes the characters that open tags and attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
