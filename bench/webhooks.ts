// Scenario 4, webhook fan-out: three endpoints on a local receiver (two fast, one answering
// after SLOW_MS), subscribed to invoiceitem.created; N pending items are created as fast as the
// API takes them, and the receiver counts what arrives. The slow endpoint must not hold back
// the fast ones (each endpoint is delivered on its own).
import type { BenchClient } from './http-client';
import { startReceiver } from './receiver';

const SLOW_MS = 2_000;
const PATHS = ['/fast-a', '/fast-b', '/slow'];

export interface WebhookResult {
  events: number;
  createSeconds: number;
  endpoints: Array<{ path: string; delivered: number; seconds: number; perSecond: number }>;
}

export async function runWebhookFanOut(
  client: BenchClient,
  options: { events: number; concurrency: number; log: (line: string) => void },
): Promise<WebhookResult> {
  const receiver = await startReceiver({ '/slow': SLOW_MS });
  const endpointIds: string[] = [];
  try {
    for (const path of PATHS) {
      const reply = await client.call('POST', '/v1/webhook_endpoints', {
        url: receiver.url(path),
        enabled_events: ['invoiceitem.created'],
      });
      endpointIds.push(reply.body.id as string);
    }
    const customer = (await client.call('POST', '/v1/customers', { email: 'hooks@bench.example' })).body
      .id as string;
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next++ < options.events) {
          await client.call('POST', '/v1/invoiceitems', { customer, amount: 100, currency: 'usd' });
        }
      }),
    );
    const createSeconds = (performance.now() - started) / 1000;
    options.log(`[webhooks] ${options.events} events written in ${createSeconds.toFixed(1)} s`);
    const giveUpAt = performance.now() + 120_000 + options.events * SLOW_MS;
    const everyFast = () =>
      PATHS.filter((p) => p !== '/slow').every((p) => receiver.received(p).events >= options.events);
    while (
      performance.now() < giveUpAt &&
      !(everyFast() && receiver.received('/slow').events >= options.events)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      // The slow endpoint is only followed for a while: its rate shows after a minute.
      if (everyFast() && performance.now() - started > 60_000) break;
    }
    const endpoints = PATHS.map((path) => {
      const { events, lastAt } = receiver.received(path);
      const seconds = (lastAt - started) / 1000;
      return { path, delivered: events, seconds, perSecond: events / seconds };
    });
    for (const e of endpoints)
      options.log(
        `[webhooks] ${e.path}: ${e.delivered} in ${e.seconds.toFixed(1)} s = ${e.perSecond.toFixed(1)}/s`,
      );
    return { events: options.events, createSeconds, endpoints };
  } finally {
    for (const id of endpointIds)
      await client.call('DELETE', `/v1/webhook_endpoints/${id}`).catch(() => undefined);
    await receiver.close();
  }
}
