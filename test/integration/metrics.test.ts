// /metrics after a lifecycle: parsed as Prometheus' text format and checked for counters that
// moved (requests by route template, webhook deliveries, emails, invoices by status) and for the
// Temporal SDK's own worker metrics on TEMPORAL_METRICS_ADDRESS.
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { freePort } from '../../db/embedded-postgres';
import {
  registerDatabaseGauges,
  startMetricsServer,
  temporalTelemetryFromEnv,
} from '../../worker/metrics-server';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

let stack: Stack;
let receiver: WebhookReceiver;
let metrics: Awaited<ReturnType<typeof startMetricsServer>>;
let sdkPort: number;

beforeAll(async () => {
  sdkPort = await freePort();
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    telemetryOptions: temporalTelemetryFromEnv({ TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${sdkPort}` }),
  });
  stack = await startStack();
  receiver = await startWebhookReceiver();
  registerDatabaseGauges(stack.db);
  metrics = await startMetricsServer(0, '127.0.0.1');
});
afterAll(async () => {
  await metrics?.close();
  await stack?.stop();
  await receiver?.close();
});

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

// Prometheus' text exposition format: `name{a="b",c="d"} value`, comments skipped.
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(url = `http://127.0.0.1:${metrics.port}/metrics`): Promise<Sample[]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return parse(await response.text());
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

it('counts a lifecycle: requests by route, deliveries, emails, invoices by status', async () => {
  const before = await scrape();
  const { stripe } = stack;
  await stripe.webhookEndpoints.create({ url: receiver.url('/metrics-hook'), enabled_events: ['*'] });
  const customer = await stripe.customers.create({ email: 'metrics@example.test' });
  const invoice = await stripe.invoices.create({ customer: customer.id });
  await stripe.invoices.addLines(invoice.id, { lines: [{ amount: 1500 }] });
  await stripe.invoices.finalizeInvoice(invoice.id, { auto_advance: false });
  await stripe.invoices.pay(invoice.id, { payment_method: 'pm_card_visa' });
  await stripe.invoices.retrieve(invoice.id);
  await expect(stripe.invoices.retrieve('in_missing')).rejects.toThrow();
  const sent = await stripe.invoices.create({
    customer: customer.id,
    collection_method: 'send_invoice',
    days_until_due: 30,
  });
  await stripe.invoices.addLines(sent.id, { lines: [{ amount: 900 }] });
  await stripe.invoices.sendInvoice(sent.id);
  await waitFor(() => receiver.received('/metrics-hook').length >= 6, 20_000, 'the webhooks');

  const after = await waitFor(
    async () => {
      const samples = await scrape();
      const moved =
        value(samples, 'invoicing_emails_total', { outcome: 'sent' }) >
        value(before, 'invoicing_emails_total', { outcome: 'sent' });
      return moved ? samples : null;
    },
    20_000,
    'the email to be counted',
  );

  const delta = (name: string, labels: Record<string, string>) =>
    value(after, name, labels) - value(before, name, labels);
  // Requests by route template (never an id), method and status, and their latency.
  expect(
    delta('invoicing_http_requests_total', {
      route: '/v1/invoices/:id/finalize',
      method: 'POST',
      status: '200',
    }),
  ).toBe(1);
  expect(
    delta('invoicing_http_requests_total', { route: '/v1/invoices/:id/pay', method: 'POST', status: '200' }),
  ).toBe(1);
  expect(
    delta('invoicing_http_requests_total', { route: '/v1/invoices/:id', method: 'GET', status: '200' }),
  ).toBe(1);
  expect(
    delta('invoicing_http_requests_total', { route: '/v1/invoices/:id', method: 'GET', status: '404' }),
  ).toBe(1);
  expect(
    delta('invoicing_http_requests_total', { route: '/v1/invoices', method: 'POST', status: '200' }),
  ).toBe(2);
  expect(
    delta('invoicing_http_request_duration_seconds_count', {
      route: '/v1/invoices/:id/finalize',
      method: 'POST',
    }),
  ).toBe(1);
  expect(after.some((s) => s.name === 'invoicing_http_requests_total' && /in_/.test(s.labels.route))).toBe(
    false,
  );
  // Webhooks and emails.
  expect(delta('invoicing_webhook_deliveries_total', { outcome: 'succeeded' })).toBeGreaterThanOrEqual(6);
  expect(
    delta('invoicing_webhook_delivery_duration_seconds_count', { outcome: 'succeeded' }),
  ).toBeGreaterThanOrEqual(6);
  expect(delta('invoicing_emails_total', { outcome: 'sent' })).toBeGreaterThanOrEqual(1);
  expect(value(after, 'invoicing_webhook_oldest_pending_seconds')).toBeGreaterThanOrEqual(0);
  // Invoices by status, from Postgres (refreshed at most every 10 s).
  const fresh = await waitFor(
    async () => {
      const samples = await scrape();
      return value(samples, 'invoicing_invoices', { status: 'paid' }) >= 1 ? samples : null;
    },
    15_000,
    'the invoice gauge',
  );
  expect(value(fresh, 'invoicing_invoices', { status: 'open' })).toBeGreaterThanOrEqual(1);
  // Update refusals are declared (they move only under contention: hot-invoice.test.ts).
  const text = await (await fetch(`http://127.0.0.1:${metrics.port}/metrics`)).text();
  expect(text).toContain('# TYPE invoicing_workflow_update_refusals_total counter');
  expect(text).toContain('# TYPE invoicing_process_resident_memory_bytes gauge');
});

it("serves the Temporal SDK's own worker metrics on TEMPORAL_METRICS_ADDRESS", async () => {
  const samples = await scrape(`http://127.0.0.1:${sdkPort}/metrics`);
  const names = new Set(samples.map((s) => s.name));
  expect([...names].some((name) => name.startsWith('temporal_workflow_task'))).toBe(true);
  expect([...names].some((name) => name.startsWith('temporal_request'))).toBe(true);
});
