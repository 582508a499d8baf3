// invoice_pdf: the same content as the hosted page, paginated with "Page i of N", the custom
// fields and the footer; read back with pdf-parse.
import { startStack, type Stack } from '../support/stack';
import { pdfText as readPdf } from '../support/pdf-text';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

async function pdfText(url: string): Promise<{ pages: string[]; total: number; response: Response }> {
  const response = await fetch(url);
  const { pages, total } = await readPdf(new Uint8Array(await response.arrayBuffer()));
  return { pages, total, response };
}

async function finalizedInvoice(lineCount: number) {
  const { id: customer } = await stack.stripe.customers.create({
    name: 'Jenny Rosen',
    email: 'jenny@example.com',
    address: { line1: '1 Main Street', city: 'Springfield', postal_code: '12345', country: 'US' },
  });
  const draft = await stack.stripe.invoices.create({
    customer,
    collection_method: 'send_invoice',
    days_until_due: 14,
    custom_fields: [
      { name: 'PO number', value: 'PO-4711' },
      { name: 'Project', value: 'Apollo' },
    ],
    footer: 'Bank transfer to IBAN DE00 1234. Thank you for your business.',
    description: 'Services for November',
  });
  await stack.stripe.invoices.addLines(draft.id, {
    lines: Array.from({ length: lineCount }, (_, index) => ({
      amount: 1_000 + index,
      description: `Consulting block ${index + 1}`,
    })),
  });
  return stack.stripe.invoices.finalizeInvoice(draft.id);
}

describe('invoice_pdf', () => {
  it('is a PDF of the invoice with its custom fields, footer and totals', async () => {
    const invoice = await finalizedInvoice(2);
    const { pages, response } = await pdfText(invoice.invoice_pdf!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `inline; filename="Invoice-${invoice.number}.pdf"`,
    );
    expect(pages).toHaveLength(1);
    const text = pages[0];
    for (const expected of [
      'Test account', // the seller: the account's name
      `Invoice number ${invoice.number}`,
      'Jenny Rosen',
      '1 Main Street',
      'jenny@example.com',
      'PO number: PO-4711',
      'Project: Apollo',
      'Services for November',
      'Consulting block 1 1 $10.00 $10.00',
      'Consulting block 2 1 $10.01 $10.01',
      'Amount due $20.01',
      'Bank transfer to IBAN DE00 1234. Thank you for your business.',
      'Page 1 of 1',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('paginates 60 lines with the page number on every page', async () => {
    const invoice = await finalizedInvoice(60);
    const { pages, total } = await pdfText(invoice.invoice_pdf!);
    expect(total).toBeGreaterThan(1);
    expect(pages).toHaveLength(total);
    pages.forEach((text, index) => expect(text).toContain(`Page ${index + 1} of ${total}`));
    const all = pages.join('\n');
    // Every line exactly once, in order; the totals and footer once, on the last page.
    const positions = Array.from({ length: 60 }, (_, index) => {
      const label = `Consulting block ${index + 1} `;
      expect(all.split(label)).toHaveLength(2);
      return all.indexOf(label);
    });
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const sum = Array.from({ length: 60 }, (_, index) => 1_000 + index).reduce((a, b) => a + b);
    expect(sum).toBe(61_770);
    expect(pages[total - 1]).toContain('Amount due $617.70');
    expect(pages[total - 1]).toContain('Thank you for your business.');
    // Each page after the first names the invoice again.
    pages.slice(1).forEach((text) => expect(text).toContain(`Invoice ${invoice.number} (continued)`));
  });
});
