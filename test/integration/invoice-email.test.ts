// The invoice email: a real SMTP server (smtp-server) in the test receives it on finalization
// of a send_invoice invoice and on /send, with the amount, due date, the hosted page's link and
// the PDF attached; each invoice.sent event is emailed once.
import { SMTPServer } from 'smtp-server';
import { createActivities } from '../../activities';
import { listInvoiceEmails } from '../../db/repositories/invoice-emails';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { pdfText } from '../support/pdf-text';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

const received: Received[] = [];
let smtp: SMTPServer;
let stack: Stack;

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address !== 'nobody@example.com') return callback();
      callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const { port } = smtp.server.address() as { port: number };
  stack = await startStack({
    customerFacing: { smtpUrl: `smtp://127.0.0.1:${port}`, emailFrom: 'billing@acme.test' },
  });
});
afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

// Quoted-printable text parts read as text (soft line breaks joined, =XX decoded).
function decodedText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function attachment(raw: string, contentType: string): Buffer | null {
  const match = new RegExp(`Content-Type: ${contentType}[^]*?\\r?\\n\\r?\\n([A-Za-z0-9+/=\\r\\n]+)`).exec(
    raw,
  );
  return match ? Buffer.from(match[1].replace(/\s+/g, ''), 'base64') : null;
}

async function emailsTo(address: string, count: number): Promise<Received[]> {
  return waitFor(
    () => {
      const mine = received.filter((email) => email.to.includes(address));
      return mine.length >= count && mine;
    },
    15_000,
    `${count} email(s) to ${address}`,
  );
}

// POST /v1/invoices/:id/send on a draft: finalized, then sent (invoice.sent).
async function sendInvoice(email: string | undefined, amount = 12_345) {
  const { id: customer } = await stack.stripe.customers.create({ name: 'Jenny Rosen', email });
  const draft = await stack.stripe.invoices.create({
    customer,
    collection_method: 'send_invoice',
    days_until_due: 30,
    footer: 'Thank you!',
  });
  await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount, description: 'Annual plan' }] });
  return stack.stripe.invoices.sendInvoice(draft.id);
}

describe('the invoice email', () => {
  it('goes out on /send with the amount, due date, hosted link and PDF', async () => {
    const invoice = await sendInvoice('jenny@example.com');
    const [email] = await emailsTo('jenny@example.com', 1);
    expect(email.from).toBe('billing@acme.test');
    const text = decodedText(email.raw);
    expect(text).toMatch(/^From: "?Test account"? <billing@acme\.test>$/m);
    expect(text).toContain(`Subject: Your invoice from Test account #${invoice.number}`);
    expect(text).toContain('$123.45');
    const due = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', dateStyle: 'long' }).format(
      new Date(invoice.due_date! * 1000),
    );
    expect(text).toContain(`Due date: ${due}`);
    expect(text).toContain(invoice.hosted_invoice_url);
    expect(text).toContain(`href="${invoice.hosted_invoice_url}"`);
    expect(text).toContain(invoice.invoice_pdf);

    const pdf = attachment(email.raw, 'application/pdf');
    expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await pdfText(pdf!)).pages[0]).toContain(`Invoice number ${invoice.number}`);

    // The link opens the invoice.
    const page = await fetch(invoice.hosted_invoice_url!);
    expect(page.status).toBe(200);
  });

  it('goes out again on another /send, once per invoice.sent event', async () => {
    const invoice = await sendInvoice('resend@example.com', 5_000);
    await emailsTo('resend@example.com', 1);
    await stack.stripe.invoices.sendInvoice(invoice.id);
    const emails = await emailsTo('resend@example.com', 2);
    expect(emails).toHaveLength(2);

    const records = await waitFor(async () => {
      const rows = await listInvoiceEmails(stack.db, invoice.id);
      return rows.length === 2 && rows;
    });
    expect(records.map((row) => [row.status, row.recipient, row.transport])).toEqual([
      ['sent', 'resend@example.com', 'smtp'],
      ['sent', 'resend@example.com', 'smtp'],
    ]);
    expect(new Set(records.map((row) => row.eventId)).size).toBe(2);

    // A retried activity finds the record and sends nothing.
    const activities = createActivities({ db: stack.db, customerFacing: stack.customerFacing });
    const again = await activities.emailInvoice({ eventId: records[0].eventId });
    expect(again).toMatchObject({ status: 'already_sent', recipient: 'resend@example.com' });
    expect(received.filter((email) => email.to.includes('resend@example.com'))).toHaveLength(2);
  });

  it('goes out when a send_invoice draft finalizes automatically (test clock)', async () => {
    const start = Math.floor(Date.now() / 1000);
    const clock = await stack.stripe.testHelpers.testClocks.create({ frozen_time: start });
    const { id: customer } = await stack.stripe.customers.create({
      email: 'clock@example.com',
      test_clock: clock.id,
    });
    const draft = await stack.stripe.invoices.create({
      customer,
      collection_method: 'send_invoice',
      days_until_due: 10,
      auto_advance: true,
    });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 4_200, description: 'Support' }] });
    await stack.stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 2 * 3600 });
    const [email] = await emailsTo('clock@example.com', 1);
    const invoice = await stack.stripe.invoices.retrieve(draft.id);
    expect(invoice.status).toBe('open');
    const text = decodedText(email.raw);
    expect(text).toContain('$42.00');
    expect(text).toContain(invoice.hosted_invoice_url);
  });

  it('is skipped, and recorded so, when the customer has no email address', async () => {
    const invoice = await sendInvoice(undefined);
    const [record] = await waitFor(async () => {
      const rows = await listInvoiceEmails(stack.db, invoice.id);
      return rows.length === 1 && rows;
    });
    expect(record).toMatchObject({ status: 'skipped', reason: 'the customer has no email address' });
  });

  it('is recorded as refused, not retried for days, when the mail server refuses the address', async () => {
    const invoice = await sendInvoice('nobody@example.com');
    const [record] = await waitFor(async () => {
      const rows = await listInvoiceEmails(stack.db, invoice.id);
      return rows.length === 1 && rows;
    });
    expect(record).toMatchObject({ status: 'skipped', reason: 'the mail server refused it: 550' });
  });

  it('is not sent for charge_automatically invoices at finalization', async () => {
    const { id: customer } = await stack.stripe.customers.create({ email: 'auto@example.com' });
    const draft = await stack.stripe.invoices.create({ customer, auto_advance: false });
    await stack.stripe.invoices.addLines(draft.id, { lines: [{ amount: 1_000 }] });
    const invoice = await stack.stripe.invoices.finalizeInvoice(draft.id);
    // Its finalization's events are all delivered (no invoice.sent among them): nothing was sent.
    await waitFor(async () => {
      const rows = (await stack
        .db('events')
        .where({ object_id: invoice.id })
        .select('webhooks_delivered_at')) as Array<{
        webhooks_delivered_at: number | null;
      }>;
      return rows.length > 0 && rows.every((row) => row.webhooks_delivered_at !== null);
    });
    const types = (
      (await stack.db('events').where({ object_id: invoice.id }).select('type')) as Array<{ type: string }>
    ).map((row) => row.type);
    expect(types).not.toContain('invoice.sent');
    expect(await listInvoiceEmails(stack.db, invoice.id)).toEqual([]);
    expect(received.filter((email) => email.to.includes('auto@example.com'))).toEqual([]);
  });
});
