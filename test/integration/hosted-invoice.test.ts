// The hosted invoice page: an unguessable link per invoice, no API key, escaped output,
// security headers, and a real browser (Debian's Chromium through playwright-core) paying it
// through the same workflow update as the API. The paid page's screenshot is kept under
// test-artifacts/.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type Stripe from 'stripe';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', '..', 'test-artifacts');

let stack: Stack;
let browser: Browser;
beforeAll(async () => {
  stack = await startStack();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function openInvoice(
  customer: Stripe.CustomerCreateParams = { name: 'Jenny Rosen', email: 'jenny@example.com' },
  extra: Partial<Stripe.InvoiceCreateParams> = {},
): Promise<Stripe.Invoice> {
  const { id } = await stack.stripe.customers.create(customer);
  const draft = await stack.stripe.invoices.create({
    customer: id,
    collection_method: 'send_invoice',
    days_until_due: 30,
    custom_fields: [{ name: 'PO number', value: 'PO-4711' }],
    footer: 'Thank you for your business.',
    ...extra,
  });
  await stack.stripe.invoices.addLines(draft.id, {
    lines: [
      { amount: 10_000, description: 'Consulting, November' },
      { amount: 2_345, description: 'Travel expenses' },
    ],
  });
  return stack.stripe.invoices.finalizeInvoice(draft.id);
}

function tokenOf(invoice: Stripe.Invoice): string {
  const match = /\/i\/([^/]+)$/.exec(invoice.hosted_invoice_url ?? '');
  if (!match) throw new Error(`no hosted page: ${invoice.hosted_invoice_url}`);
  return match[1];
}

describe('hosted_invoice_url and invoice_pdf', () => {
  it('link an unguessable page of that one invoice, from finalization on', async () => {
    const { id: customer } = await stack.stripe.customers.create({ email: 'a@example.com' });
    const draft = await stack.stripe.invoices.create({ customer });
    expect(draft.hosted_invoice_url).toBeNull();
    expect(draft.invoice_pdf).toBeNull();

    const invoice = await openInvoice();
    const token = tokenOf(invoice);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(invoice.hosted_invoice_url).toBe(`${stack.api.url}/i/${token}`);
    expect(invoice.invoice_pdf).toBe(`${stack.api.url}/i/${token}/pdf`);
    // Reads and the webhook event say the same.
    const retrieved = await stack.stripe.invoices.retrieve(invoice.id);
    expect(retrieved.hosted_invoice_url).toBe(invoice.hosted_invoice_url);
    const [listed] = (await stack.stripe.invoices.list({ limit: 1 })).data;
    expect(listed.hosted_invoice_url).toBe(invoice.hosted_invoice_url);
    const event = (await stack
      .db('events')
      .where({ object_id: invoice.id, type: 'invoice.finalized' })
      .first('body')) as { body: { data: { object: Stripe.Invoice } } };
    expect(event.body.data.object.hosted_invoice_url).toBe(invoice.hosted_invoice_url);

    const other = await openInvoice();
    expect(tokenOf(other)).not.toBe(token);
    const page = await fetch(invoice.hosted_invoice_url!);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain(invoice.number!);
    expect(html).not.toContain(other.number!);
  });

  it('answer 404 to anything but an exact token', async () => {
    const invoice = await openInvoice();
    const token = tokenOf(invoice);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    for (const path of [
      `/i/${flipped}`,
      `/i/${invoice.id}`,
      `/i/${token.slice(0, 20)}`,
      `/i/${flipped}/pdf`,
    ]) {
      const response = await fetch(`${stack.api.url}${path}`);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(await response.text()).toContain('Invoice not found');
    }
  });

  it('need no API key and send security headers', async () => {
    const invoice = await openInvoice();
    const response = await fetch(invoice.hosted_invoice_url!);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('same-origin');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.text()).not.toMatch(/<script/i);
  });

  it('escape everything the seller and customer wrote', async () => {
    const invoice = await openInvoice(
      { name: '<script>alert("name")</script>', email: 'x@example.com' },
      {
        description: '<img src=x onerror=alert(1)>',
        footer: '</p><b>bold</b>',
        custom_fields: [{ name: '"><svg onload=alert(2)>', value: "' OR 1=1 --" }],
      },
    );
    const html = await (await fetch(invoice.hosted_invoice_url!)).text();
    expect(html).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;/p&gt;&lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('&quot;&gt;&lt;svg onload=alert(2)&gt;');
    expect(html).toContain('&#39; OR 1=1 --');
    expect(html).not.toMatch(/<script|<img|<svg|<b>/i);
  });

  it('refuse a pay form posted from another site', async () => {
    const invoice = await openInvoice();
    const crossSite: Array<Record<string, string>> = [
      { origin: 'https://evil.example' },
      { 'sec-fetch-site': 'cross-site' },
    ];
    for (const headers of crossSite) {
      const response = await fetch(`${invoice.hosted_invoice_url}/pay`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: 'payment_method=pm_card_visa',
      });
      expect(response.status).toBe(403);
    }
    expect((await stack.stripe.invoices.retrieve(invoice.id)).status).toBe('open');
  });
});

describe('paying on the hosted page in Chromium', () => {
  it('shows a decline, then pays with pm_card_visa and shows the receipt', async () => {
    const invoice = await openInvoice();
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    try {
      await page.goto(invoice.hosted_invoice_url!);
      expect(await page.getByTestId('headline-amount').textContent()).toBe('$123.45');
      expect(await page.getByTestId('number').textContent()).toBe(invoice.number);
      await expect(page.textContent('body')).resolves.toContain('PO-4711');

      await page.selectOption('#payment_method', 'pm_card_chargeDeclined');
      await page.getByRole('button', { name: /^Pay \$123\.45$/ }).click();
      expect(await page.getByTestId('payment-error').textContent()).toBe('Your card was declined.');
      expect((await stack.stripe.invoices.retrieve(invoice.id)).status).toBe('open');
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await page.screenshot({ path: path.join(ARTIFACTS, 'hosted-invoice-declined.png'), fullPage: true });

      await page.selectOption('#payment_method', 'pm_card_visa');
      await page.getByRole('button', { name: /^Pay/ }).click();
      await page.getByTestId('receipt').waitFor();
      expect(await page.getByTestId('status').textContent()).toBe('Paid');
      expect(await page.getByTestId('pay-form').count()).toBe(0);
      expect(page.url()).toBe(invoice.hosted_invoice_url);

      await page.screenshot({ path: path.join(ARTIFACTS, 'hosted-invoice-paid.png'), fullPage: true });
    } finally {
      await context.close();
    }
    const paid = await stack.stripe.invoices.retrieve(invoice.id);
    expect(paid).toMatchObject({ status: 'paid', amount_paid: 12_345, amount_remaining: 0 });
    // The invoice.payment_failed of the decline and the invoice.paid, as the API's pay makes them.
    const types = await waitFor(async () => {
      const rows = (await stack.db('events').where({ object_id: invoice.id }).select('type')) as Array<{
        type: string;
      }>;
      const all = rows.map((row) => row.type);
      return all.includes('invoice.paid') && all;
    });
    expect(types).toEqual(expect.arrayContaining(['invoice.payment_failed', 'invoice.paid']));
  });
});

describe('the invoice email without SMTP_URL', () => {
  it('is written to the outbox folder with the hosted link', async () => {
    const finalized = await openInvoice({ name: 'Outbox Customer', email: 'outbox@example.com' });
    const invoice = await stack.stripe.invoices.sendInvoice(finalized.id);
    const file = await waitFor(
      () => fs.readdirSync(stack.customerFacing.outboxDir).find((name) => name.endsWith('.eml')),
      15_000,
      'an .eml file in the outbox',
    );
    const raw = fs.readFileSync(path.join(stack.customerFacing.outboxDir, file), 'utf8');
    expect(raw).toMatch(/^To: outbox@example\.com$/m);
    expect(raw.replace(/=\r?\n/g, '')).toContain(invoice.hosted_invoice_url);
  });
});
