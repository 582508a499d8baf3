// An invoice's life through the official client: draft, lines, update, finalize, void,
// uncollectible, delete — each refusal changing nothing.
import { invoiceWorkflowId } from '../../workflows/messages';
import { InvoiceStatus, InvoiceNumber, AmountDue } from '../../workflows/search-attributes';
import { expectStripeShape } from '../support/stripe-shape';
import { startStack, type Stack } from '../support/stack';
import { draftWithLines, eventTypes, rowCounts, stripeError } from '../support/stripe-helpers';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('a draft', () => {
  it('takes lines and totals them', async () => {
    const invoice = await draftWithLines(stack, [1000, 2500, -500]);
    expect(invoice).toMatchObject({
      status: 'draft',
      subtotal: 3000,
      total: 3000,
      amount_due: 3000,
      amount_remaining: 3000,
    });
    expect(invoice.lines.data.map((line) => line.amount)).toEqual([1000, 2500, -500]);
    expect(invoice.lines.data[0].id).toMatch(/^il_/);
    expectStripeShape(invoice.lines.data[0]);
  });

  it('updates lines and removes them', async () => {
    const invoice = await draftWithLines(stack, [1000, 2000]);
    const [first, second] = invoice.lines.data;
    const updated = await stack.stripe.invoices.updateLines(invoice.id, {
      lines: [{ id: first.id, amount: 1500 }],
    });
    expect(updated.total).toBe(3500);
    const removed = await stack.stripe.invoices.removeLines(invoice.id, {
      lines: [{ id: second.id, behavior: 'delete' }],
    });
    expect(removed.total).toBe(1500);
    expect(removed.lines.data.map((line) => line.id)).toEqual([first.id]);
  });

  it('pages through its lines', async () => {
    const invoice = await draftWithLines(
      stack,
      Array.from({ length: 12 }, (_, i) => 100 + i),
    );
    expect(invoice.lines.data).toHaveLength(10);
    expect(invoice.lines.has_more).toBe(true);
    const all = [];
    for await (const line of stack.stripe.invoices.listLineItems(invoice.id, { limit: 5 }))
      all.push(line.amount);
    expect(all).toEqual(Array.from({ length: 12 }, (_, i) => 100 + i));
  });

  it('updates fields and records previous_attributes', async () => {
    const invoice = await draftWithLines(stack, [1000], { params: { metadata: { a: '1', b: '2' } } });
    const updated = await stack.stripe.invoices.update(invoice.id, {
      description: 'Updated',
      metadata: { b: '', c: '3' },
    });
    expect(updated.description).toBe('Updated');
    expect(updated.metadata).toEqual({ a: '1', c: '3' });
    const events = await stack.stripe.events.list({ type: 'invoice.updated' });
    const mine = events.data.find((event) => (event.data.object as { id: string }).id === invoice.id);
    expect(mine?.data.previous_attributes).toMatchObject({ description: null });
  });

  it('is deleted, and then is gone', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    const deleted = await stack.stripe.invoices.del(invoice.id);
    expect(deleted).toEqual({ id: invoice.id, object: 'invoice', deleted: true });
    expect((await stripeError(stack.stripe.invoices.retrieve(invoice.id))).statusCode).toBe(404);
    expect(await eventTypes(stack, invoice.id)).toEqual([
      'invoice.created',
      'invoice.updated',
      'invoice.deleted',
    ]);
    const workflow = await stack.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).describe();
    expect(workflow.status.name).toBe('COMPLETED');
  });
});

describe('finalize', () => {
  it('numbers the invoice from the customer prefix and opens it', async () => {
    const customer = await stack.stripe.customers.create({ invoice_prefix: 'ACME' });
    const first = await draftWithLines(stack, [1200], { customer: customer.id });
    const finalized = await stack.stripe.invoices.finalizeInvoice(first.id);
    expect(finalized).toMatchObject({
      status: 'open',
      number: 'ACME-0001',
      amount_due: 1200,
      ending_balance: 0,
    });
    expect(finalized.status_transitions.finalized_at).toEqual(expect.any(Number));
    const second = await draftWithLines(stack, [800], { customer: customer.id });
    expect((await stack.stripe.invoices.finalizeInvoice(second.id)).number).toBe('ACME-0002');
    expect(
      (await stack.stripe.customers.retrieve(customer.id)) as { next_invoice_sequence: number },
    ).toMatchObject({
      next_invoice_sequence: 3,
    });
    expectStripeShape(finalized);
  });

  it('keeps the search attributes current for the Web UI', async () => {
    const invoice = await draftWithLines(stack, [4200]);
    const finalized = await stack.stripe.invoices.finalizeInvoice(invoice.id);
    const described = await stack.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).describe();
    expect(described.typedSearchAttributes.get(InvoiceStatus)).toBe('open');
    expect(described.typedSearchAttributes.get(AmountDue)).toBe(4200);
    expect(described.typedSearchAttributes.get(InvoiceNumber)).toBe(finalized.number);
  });

  it('refuses a second finalization and changes nothing', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    await stack.stripe.invoices.finalizeInvoice(invoice.id);
    const before = await rowCounts(stack);
    const error = await stripeError(stack.stripe.invoices.finalizeInvoice(invoice.id));
    expect(error.statusCode).toBe(400);
    expect(error.type).toBe('StripeInvalidRequestError');
    expect(await rowCounts(stack)).toEqual(before);
  });

  it('refuses line changes once finalized', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    await stack.stripe.invoices.finalizeInvoice(invoice.id);
    const error = await stripeError(stack.stripe.invoices.addLines(invoice.id, { lines: [{ amount: 5 }] }));
    expect(error.statusCode).toBe(400);
    expect(error.code).toBe('invoice_not_editable');
  });

  it('marks an invoice with nothing due paid at once', async () => {
    const invoice = await draftWithLines(stack, []);
    const finalized = await stack.stripe.invoices.finalizeInvoice(invoice.id);
    expect(finalized.status).toBe('paid');
    expect(await eventTypes(stack, invoice.id)).toEqual(
      expect.arrayContaining(['invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']),
    );
  });

  it('is one workflow update per API call in the history', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    await stack.stripe.invoices.update(invoice.id, { description: 'x' });
    await stack.stripe.invoices.finalizeInvoice(invoice.id);
    const history = await stack.temporal.workflow.getHandle(invoiceWorkflowId(invoice.id)).fetchHistory();
    const accepted = (history.events ?? [])
      .filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)
      .map((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name);
    expect(accepted).toEqual(['createInvoice', 'addLines', 'updateInvoice', 'finalizeInvoice']);
  });
});

describe('void and mark_uncollectible', () => {
  it('voids an open invoice', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    await stack.stripe.invoices.finalizeInvoice(invoice.id);
    const voided = await stack.stripe.invoices.voidInvoice(invoice.id);
    expect(voided.status).toBe('void');
    expect(voided.status_transitions.voided_at).toEqual(expect.any(Number));
    expect((await stripeError(stack.stripe.invoices.voidInvoice(invoice.id))).statusCode).toBe(400);
  });

  it('marks an open invoice uncollectible, then still takes payment', async () => {
    const customer = await stack.stripe.customers.create({
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const invoice = await draftWithLines(stack, [1000], { customer: customer.id });
    await stack.stripe.invoices.finalizeInvoice(invoice.id);
    expect((await stack.stripe.invoices.markUncollectible(invoice.id)).status).toBe('uncollectible');
    expect((await stack.stripe.invoices.pay(invoice.id)).status).toBe('paid');
  });

  it('refuses to void a draft', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    const error = await stripeError(stack.stripe.invoices.voidInvoice(invoice.id));
    expect(error.statusCode).toBe(400);
    expect((await stack.stripe.invoices.retrieve(invoice.id)).status).toBe('draft');
  });

  it('refuses to delete a finalized invoice', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    await stack.stripe.invoices.finalizeInvoice(invoice.id);
    expect((await stripeError(stack.stripe.invoices.del(invoice.id))).statusCode).toBe(400);
  });
});

describe('send', () => {
  it('finalizes a send_invoice draft and records invoice.sent', async () => {
    const invoice = await draftWithLines(stack, [1000], {
      params: { collection_method: 'send_invoice', days_until_due: 30 },
    });
    const sent = await stack.stripe.invoices.sendInvoice(invoice.id);
    expect(sent.status).toBe('open');
    expect(sent.due_date).toBe((sent.status_transitions.finalized_at ?? 0) + 30 * 86400);
    expect(await eventTypes(stack, invoice.id)).toContain('invoice.sent');
  });

  it('refuses to send a charge_automatically invoice', async () => {
    const invoice = await draftWithLines(stack, [1000]);
    expect((await stripeError(stack.stripe.invoices.sendInvoice(invoice.id))).statusCode).toBe(400);
  });
});
