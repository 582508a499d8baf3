import { finalizationFailed, paymentSucceeded } from '../../../../workflows/domain/invoice';
import { renderDeletedInvoice, renderInvoice, renderLine } from '../../../../workflows/domain/render/invoice';
import { computeTotals } from '../../../../workflows/domain/totals';
import { expectStripeShape, stripeShapeProblems } from '../../../support/stripe-shape';
import { customerSnapshot, draftInvoice, line, NOW, openInvoice, sequentialIds } from '../support';

const richLines = [
  line({
    id: 'il_item',
    invoiceItemId: 'ii_1',
    priceId: 'price_1',
    productId: 'prod_1',
    amount: 1000,
    quantity: 2,
  }),
  line({ id: 'il_sub', subscriptionId: 'sub_1', subscriptionItemId: 'si_1', amount: 500, proration: true }),
  line({ id: 'il_plain', amount: 333, quantity: 3, metadata: { k: 'v' } }),
];

describe('renderInvoice', () => {
  describe("matches the stripe package's Invoice type", () => {
    it.each([
      ['a draft', () => draftInvoice({ lines: richLines })],
      [
        'an open invoice',
        () => openInvoice({ lines: richLines, collectionMethod: 'send_invoice', daysUntilDue: 30 }),
      ],
      ['a paid invoice', () => paymentSucceeded(openInvoice(), { amount: 1000 }, NOW, sequentialIds()).state],
      [
        'a subscription invoice',
        () => draftInvoice({ subscriptionId: 'sub_1', billingReason: 'subscription_cycle' }),
      ],
      ['an invoice without lines', () => draftInvoice({ lines: [] })],
      [
        'a draft whose finalization failed',
        () =>
          finalizationFailed(
            draftInvoice(),
            {
              error: { type: 'invalid_request_error', code: 'invoice_no_customer_line_items', message: 'no' },
            },
            NOW,
            sequentialIds(),
          ).state,
      ],
      [
        'an invoice with a customer address and custom fields',
        () =>
          draftInvoice({
            customer: customerSnapshot({
              address: {
                city: 'Paris',
                country: 'FR',
                line1: '1 rue',
                line2: null,
                postalCode: '75001',
                state: null,
              },
            }),
            customFields: [{ name: 'PO', value: '123' }],
          }),
      ],
    ])('%s', (_name, make) => {
      const body: unknown = JSON.parse(
        JSON.stringify(renderInvoice(make(), { hosted: { baseUrl: 'https://pay.example', token: 'tok' } })),
      );
      expectStripeShape(body);
    });
  });

  it('takes its money fields from computeTotals', () => {
    const state = openInvoice({ lines: [line({ amount: 1000 })] }, -300);
    const totals = computeTotals(state);
    expect(renderInvoice(state)).toMatchObject({
      subtotal: totals.subtotal,
      subtotal_excluding_tax: totals.subtotal,
      total: totals.total,
      total_excluding_tax: totals.total,
      amount_due: 700,
      amount_paid: 0,
      amount_remaining: 700,
      amount_overpaid: 0,
      starting_balance: -300,
      ending_balance: 0,
    });
  });

  it('renders a draft with ending_balance null and its scheduled finalization', () => {
    const rendered = renderInvoice(draftInvoice({ autoAdvance: true }));
    expect(rendered).toMatchObject({
      object: 'invoice',
      status: 'draft',
      ending_balance: null,
      automatically_finalizes_at: NOW + 3600,
      hosted_invoice_url: null,
      invoice_pdf: null,
      number: null,
    });
  });

  it('links the hosted page only once finalized', () => {
    const hosted = { baseUrl: 'https://pay.example/', token: 'Zm9v_YmFy-token' };
    const rendered = renderInvoice(openInvoice(), { hosted });
    expect(rendered.hosted_invoice_url).toBe('https://pay.example/i/Zm9v_YmFy-token');
    expect(rendered.invoice_pdf).toBe('https://pay.example/i/Zm9v_YmFy-token/pdf');
    expect(renderInvoice(openInvoice()).hosted_invoice_url).toBeNull();
    expect(renderInvoice(draftInvoice(), { hosted }).hosted_invoice_url).toBeNull();
  });

  it('copies the frozen customer details', () => {
    const rendered = renderInvoice(
      draftInvoice({ customer: customerSnapshot({ email: 'a@b.c', taxExempt: 'exempt' }) }),
    );
    expect(rendered).toMatchObject({
      customer: 'cus_test',
      customer_email: 'a@b.c',
      customer_tax_exempt: 'exempt',
    });
  });

  describe('lines', () => {
    const many = Array.from({ length: 12 }, (_, i) => line({ id: `il_${i}`, amount: i + 1 }));

    it('embeds the first ten, says there are more, and points at the full list', () => {
      const { lines } = renderInvoice(draftInvoice({ lines: many }));
      expect(lines.object).toBe('list');
      expect(lines.data.map((l) => l.id)).toEqual(many.slice(0, 10).map((l) => l.id));
      expect(lines.has_more).toBe(true);
      expect(lines.url).toBe('/v1/invoices/in_test/lines');
      expect(lines).not.toHaveProperty('total_count');
    });

    it('honours a lines limit', () => {
      const { lines } = renderInvoice(draftInvoice({ lines: many }), { linesLimit: 20 });
      expect(lines.data).toHaveLength(12);
      expect(lines.has_more).toBe(false);
    });
  });
});

describe('renderLine', () => {
  const state = draftInvoice({ lines: richLines });

  it.each([0, 1, 2])("matches the stripe package's InvoiceLineItem type (%i)", (index) => {
    const rendered: unknown = JSON.parse(JSON.stringify(renderLine(state.lines[index]!, state.id)));
    expect(stripeShapeProblems(rendered)).toEqual([]);
  });

  it('names the invoice item behind a line', () => {
    expect(renderLine(state.lines[0]!, state.id)).toMatchObject({
      object: 'line_item',
      invoice: 'in_test',
      amount: 1000,
      subtotal: 1000,
      parent: {
        type: 'invoice_item_details',
        invoice_item_details: { invoice_item: 'ii_1', proration: false, subscription: null },
        subscription_item_details: null,
      },
      pricing: {
        type: 'price_details',
        price_details: { price: 'price_1', product: 'prod_1' },
        unit_amount_decimal: '500',
      },
    });
  });

  it('names the subscription item behind a line', () => {
    expect(renderLine(state.lines[1]!, state.id).parent).toEqual({
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: null,
        proration: true,
        proration_details: { credited_items: null },
        subscription: 'sub_1',
        subscription_item: 'si_1',
      },
    });
  });

  it('shows no unit amount when the amount does not split exactly', () => {
    expect(renderLine(state.lines[2]!, state.id).pricing).toEqual({
      type: 'price_details',
      unit_amount_decimal: '111',
    });
    const uneven = draftInvoice({ lines: [line({ amount: 100, quantity: 3 })] }).lines[0]!;
    expect(renderLine(uneven, 'in_x').pricing?.unit_amount_decimal).toBeNull();
  });
});

describe('renderDeletedInvoice', () => {
  it('is the three-key stub', () => {
    expect(renderDeletedInvoice('in_gone')).toEqual({ id: 'in_gone', object: 'invoice', deleted: true });
    expectStripeShape(renderDeletedInvoice('in_gone'));
  });
});
