// Credit notes through the official stripe client, and the one invoice that carries everything:
// two tax rates (one inclusive), a coupon and credit notes, its figures worked out by hand.
import type Stripe from 'stripe';
import { pdfText } from '../support/pdf-text';
import { startStack, type Stack } from '../support/stack';
import {
  eventTypes,
  rowCounts,
  stripeError,
  refusedWithoutChange as refusedUnchanged,
} from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

let stack: Stack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  stack = await startStack();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await stack?.stop();
  await receiver?.close();
});

const TABLES = ['credit_notes', 'invoices', 'events', 'customer_balance_transactions'];

function refusedWithoutChange(request: () => Promise<unknown>): Promise<Stripe.errors.StripeError> {
  return refusedUnchanged(stack, TABLES, request);
}

async function openInvoice(stripe: Stripe, amounts: number[]) {
  const customer = await stripe.customers.create({
    invoice_settings: { default_payment_method: 'pm_card_visa' },
  });
  const draft = await stripe.invoices.create({ customer: customer.id });
  await stripe.invoices.addLines(draft.id, { lines: amounts.map((amount) => ({ amount })) });
  return { customer, invoice: await stripe.invoices.finalizeInvoice(draft.id) };
}

describe('one invoice with two tax rates, an inclusive one, a coupon and credit notes', () => {
  it('adds up as worked out by hand, before and after each credit note', async () => {
    const { stripe } = await stack.newAccount();
    const path = '/credit-notes';
    await stripe.webhookEndpoints.create({
      url: receiver.url(path),
      enabled_events: ['credit_note.created', 'credit_note.updated', 'credit_note.voided'],
    });
    const sales = await stripe.taxRates.create({
      display_name: 'Sales tax',
      percentage: 8.25,
      inclusive: false,
    });
    const vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: true });
    const tenOff = await stripe.coupons.create({ percent_off: 10, name: 'Ten' });
    const customer = await stripe.customers.create({
      name: 'Jenny Rosen',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      default_tax_rates: [sales.id],
      discounts: [{ coupon: tenOff.id }],
    });
    await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      amount: 1200,
      tax_rates: [vat.id, sales.id],
    });
    const withLines = await stripe.invoices.addLines(draft.id, { lines: [{ amount: 2500 }] });

    // Discounts first: 10 % of 1200 = 120 -> 1080; 10 % of 2500 = 250 -> 2250 (370 off).
    // Line 1 (1080): VAT included 1080 × 20 / 120 = 180, 900 taxable; sales 8.25 % of 900 = 74.25 -> 74.
    // Line 2 (2250): sales 8.25 % of 2250 = 185.625 -> 186.
    // subtotal 3700; total 3700 - 370 + 74 + 186 = 3590; excluding tax 3590 - 260 - 180 = 3150.
    expect(withLines).toMatchObject({
      subtotal: 3700,
      subtotal_excluding_tax: 3520,
      total: 3590,
      total_excluding_tax: 3150,
      amount_due: 3590,
    });
    expect(withLines.total_discount_amounts?.map((entry) => entry.amount)).toEqual([370]);
    expect(
      withLines.total_taxes?.map((tax) => [tax.tax_rate_details?.tax_rate, tax.amount, tax.taxable_amount]),
    ).toEqual([
      [vat.id, 180, 900],
      [sales.id, 260, 3150],
    ]);

    const open = await stripe.invoices.finalizeInvoice(draft.id, { auto_advance: false });
    expect(open).toMatchObject({ status: 'open', amount_due: 3590 });

    // A credit note before payment: 590 off what is due (3590 - 590 = 3000).
    const preview = await stripe.creditNotes.preview({
      invoice: open.id,
      amount: 590,
      memo: 'Late delivery',
    });
    expect(preview).toMatchObject({
      amount: 590,
      pre_payment_amount: 590,
      post_payment_amount: 0,
      type: 'pre_payment',
    });
    expect(await rowCounts(stack, ['credit_notes'])).toEqual({ credit_notes: 0 });
    const first = await stripe.creditNotes.create({ invoice: open.id, amount: 590, memo: 'Late delivery' });
    expect(first).toMatchObject({
      object: 'credit_note',
      number: `${open.number}-CN-01`,
      amount: 590,
      total: 590,
      pre_payment_amount: 590,
      post_payment_amount: 0,
      type: 'pre_payment',
      status: 'issued',
      invoice: open.id,
      customer: customer.id,
      memo: 'Late delivery',
    });
    const credited = await stripe.invoices.retrieve(open.id);
    expect(credited).toMatchObject({
      total: 3590,
      amount_due: 3000,
      amount_remaining: 3000,
      pre_payment_credit_notes_amount: 590,
    });

    // Paid, then credited again after payment: 500, of which 200 refunded and 300 to the balance.
    const paid = await stripe.invoices.pay(open.id, { payment_method: 'pm_card_visa' });
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 3000 });
    const second = await stripe.creditNotes.create({
      invoice: open.id,
      amount: 500,
      refund_amount: 200,
      credit_amount: 300,
      reason: 'product_unsatisfactory',
    });
    expect(second).toMatchObject({
      number: `${open.number}-CN-02`,
      pre_payment_amount: 0,
      post_payment_amount: 500,
      type: 'post_payment',
      customer_balance_transaction: expect.stringMatching(/^cbtxn_/),
    });
    expect(second.refunds).toEqual([expect.objectContaining({ amount_refunded: 200 })]);
    expect((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).toMatchObject({
      balance: -300,
    });
    expect(await stripe.invoices.retrieve(open.id)).toMatchObject({
      amount_paid: 3000,
      post_payment_credit_notes_amount: 500,
    });

    // Never more than the invoice has left: 3000 paid - 500 credited = 2500.
    const tooMuch = await refusedWithoutChange(() =>
      stripe.creditNotes.create({ invoice: open.id, amount: 2501 }),
    );
    expect(tooMuch).toMatchObject({ statusCode: 400, param: 'amount' });

    const listed = await stripe.creditNotes.list({ invoice: open.id });
    expect(listed.data.map((note) => note.id)).toEqual([second.id, first.id]);
    expect(await eventTypes(stack, first.id)).toEqual(['credit_note.created']);
    const hits = await waitFor(() => receiver.received(path).length >= 2 && receiver.received(path), 15_000);
    expect(hits.map((hit) => (JSON.parse(hit.body) as Stripe.Event).type).sort()).toEqual([
      'credit_note.created',
      'credit_note.created',
    ]);

    // The hosted page and the PDF list them.
    const page = await (await fetch(open.hosted_invoice_url as string)).text();
    expect(page).toContain(`Credit note ${open.number}-CN-01`);
    const pdf = await pdfText(new Uint8Array(await (await fetch(open.invoice_pdf as string)).arrayBuffer()));
    expect(pdf.pages.join('\n')).toContain(`${open.number}-CN-02`);
  });
});

describe('credit notes', () => {
  it('credit invoice lines, and are retrieved, updated, listed and voided', async () => {
    const { invoice } = await openInvoice(stack.stripe, [1000, 600]);
    const [first, second] = invoice.lines.data;
    const note = await stack.stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [
        { type: 'invoice_line_item', invoice_line_item: first?.id, amount: 400 },
        { type: 'custom_line_item', unit_amount: 50, quantity: 2, description: 'Goodwill' },
      ],
    });
    // 400 + 2 × 50 = 500
    expect(note).toMatchObject({ amount: 500, pre_payment_amount: 500 });
    expect(note.lines.data.map((line) => [line.type, line.amount])).toEqual([
      ['invoice_line_item', 400],
      ['custom_line_item', 100],
    ]);
    const lines = await stack.stripe.creditNotes.listLineItems(note.id);
    expect(lines.data).toHaveLength(2);
    const previewLines = await stack.stripe.creditNotes.listPreviewLineItems({
      invoice: invoice.id,
      lines: [{ type: 'invoice_line_item', invoice_line_item: second?.id, quantity: 1 }],
    });
    expect(previewLines.data.map((line) => line.amount)).toEqual([600]);

    const beyond = await refusedWithoutChange(() =>
      stack.stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [{ type: 'invoice_line_item', invoice_line_item: first?.id, amount: 601 }],
      }),
    );
    expect(beyond).toMatchObject({ statusCode: 400, param: 'lines[0][amount]' });

    const updated = await stack.stripe.creditNotes.update(note.id, {
      memo: 'Sorry',
      metadata: { ticket: '42' },
    });
    expect(updated).toMatchObject({ memo: 'Sorry', metadata: { ticket: '42' } });
    expect(await stack.stripe.creditNotes.retrieve(note.id)).toMatchObject({ memo: 'Sorry' });

    const voided = await stack.stripe.creditNotes.voidCreditNote(note.id);
    expect(voided).toMatchObject({ status: 'void', voided_at: expect.any(Number) });
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      amount_due: 1600,
      pre_payment_credit_notes_amount: 0,
    });
    expect(await eventTypes(stack, note.id)).toEqual([
      'credit_note.created',
      'credit_note.updated',
      'credit_note.voided',
    ]);
    const again = await refusedWithoutChange(() => stack.stripe.creditNotes.voidCreditNote(note.id));
    expect(again).toMatchObject({ statusCode: 400 });
  });

  it('pays an open invoice it credits in full', async () => {
    const { invoice } = await openInvoice(stack.stripe, [800]);
    await stack.stripe.creditNotes.create({ invoice: invoice.id, amount: 800 });
    expect(await stack.stripe.invoices.retrieve(invoice.id)).toMatchObject({
      status: 'paid',
      amount_due: 0,
      amount_remaining: 0,
    });
  });

  it('is refused on a draft and hidden from other accounts', async () => {
    const customer = await stack.stripe.customers.create({});
    const draft = await stack.stripe.invoices.create({ customer: customer.id });
    const onDraft = await refusedWithoutChange(() =>
      stack.stripe.creditNotes.create({ invoice: draft.id, amount: 1 }),
    );
    expect(onDraft).toMatchObject({ statusCode: 400, param: 'invoice' });
    const { invoice } = await openInvoice(stack.stripe, [500]);
    const note = await stack.stripe.creditNotes.create({ invoice: invoice.id, amount: 100 });
    const other = await stack.newAccount();
    expect(await stripeError(other.stripe.creditNotes.retrieve(note.id))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    expect(
      await stripeError(other.stripe.creditNotes.create({ invoice: invoice.id, amount: 1 })),
    ).toMatchObject({
      statusCode: 400,
      code: 'resource_missing',
      param: 'invoice',
    });
  });
});
