import { renderEmail } from '../../../activities/email-templates';
import { invoiceDocument } from '../../../workflows/domain/render/invoice-document';
import { openInvoice } from '../domain/support';

describe('the invoice-sent email templates', () => {
  const document = invoiceDocument(
    { ...openInvoice({ footer: 'Pay by <b>Friday</b>' }), dueDate: 1_767_225_600 },
    { name: 'Acme & Sons\r\nBcc: evil@example.com' },
  );
  const email = renderEmail('invoice-sent', {
    ...document,
    hostedUrl: 'https://pay.example/i/tok',
    pdfUrl: 'https://pay.example/i/tok/pdf',
  });

  it('keeps the subject on one line whatever the data holds', () => {
    expect(email.subject).toBe('Your invoice from Acme & Sons Bcc: evil@example.com #ABCD1234-0001');
  });

  it('writes the text part as plain text', () => {
    expect(email.text).toContain('$10.00 due January 1, 2026');
    expect(email.text).toContain('Due date: January 1, 2026');
    expect(email.text).toContain('https://pay.example/i/tok\n');
    expect(email.text).toContain('Pay by <b>Friday</b>');
  });

  it('escapes the HTML part and links the hosted page', () => {
    expect(email.html).toContain('href="https://pay.example/i/tok"');
    expect(email.html).toContain('href="https://pay.example/i/tok/pdf"');
    expect(email.html).toContain('Pay by &lt;b&gt;Friday&lt;/b&gt;');
    expect(email.html).toContain('Acme &amp; Sons');
  });
});
