// WEBHOOK_URL_POLICY: strict refuses URLs on the server's own networks at creation (Stripe's
// url_invalid on `url`) and checks the resolved address again at every delivery; permissive
// (the npm start default) still delivers to a receiver on this machine. Names resolve through a
// real DNS server on loopback (test/support/dns-server.ts) whose answers the tests change.
import type Stripe from 'stripe';
import { startDnsServer, type DnsServer } from '../support/dns-server';
import { startStack, type Stack } from '../support/stack';
import { stripeError } from '../support/stripe-helpers';
import { waitFor } from '../support/wait-for';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

let strict: Stack;
let permissive: Stack;
let dnsServer: DnsServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  dnsServer = await startDnsServer();
  receiver = await startWebhookReceiver();
  strict = await startStack({ webhookUrlPolicy: { mode: 'strict', resolve: dnsServer.resolve } });
  permissive = await startStack();
});
afterAll(async () => {
  await strict?.stop();
  await permissive?.stop();
  await receiver?.close();
  await dnsServer?.close();
});

const port = () => new URL(receiver.url('/')).port;
const create = (stripe: Stripe, url: string) =>
  stripe.webhookEndpoints.create({ url, enabled_events: ['invoice.created'] });

interface DeliveryRow {
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
}
const deliveryOf = async (stack: Stack, endpointId: string) =>
  (await stack.db('webhook_deliveries').where({ endpoint_id: endpointId }).first()) as
    DeliveryRow | undefined;

describe('strict policy', () => {
  describe('at creation', () => {
    it.each([
      ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
      ['the Postgres port on loopback', 'http://127.0.0.1:5432/'],
      ['IPv6 loopback', 'http://[::1]:4242/hooks'],
      ['loopback spelled as one number', 'http://2130706433/'],
      ['the unspecified address', 'http://0.0.0.0:4242/'],
      ['the IPv6 unspecified address', 'http://[::]/'],
      ['a private 10/8 address', 'https://10.1.2.3/hooks'],
      ['a private 172.16/12 address', 'https://172.20.0.5/hooks'],
      ['a private 192.168/16 address', 'http://192.168.1.10/hooks'],
      ['a carrier-grade NAT address', 'http://100.64.12.1/hooks'],
      ['a multicast address', 'http://224.0.0.251/'],
      ['an IPv6 multicast address', 'http://[ff02::1]/'],
      ['an IPv6 link-local address', 'http://[fe80::1]/'],
      ['an IPv6 unique-local address', 'http://[fd00::10]/'],
      ['IPv4-mapped loopback', 'http://[::ffff:127.0.0.1]:4242/'],
      ['IPv4-mapped metadata address', 'http://[::ffff:a9fe:a9fe]/latest'],
    ])('refuses %s with url_invalid', async (_name, url) => {
      const error = await stripeError(create(strict.stripe, url));
      expect(error).toMatchObject({
        statusCode: 400,
        type: 'StripeInvalidRequestError',
        code: 'url_invalid',
        param: 'url',
      });
      expect(error.message).toMatch(/URL must be publicly accessible/);
    });

    it('refuses a name that resolves to loopback, IPv4 or IPv6', async () => {
      dnsServer.set('loop.example.test', ['127.0.0.1']);
      dnsServer.set('loop6.example.test', ['::1']);
      for (const host of ['loop.example.test', 'loop6.example.test']) {
        const error = await stripeError(create(strict.stripe, `http://${host}:${port()}/hook`));
        expect(error).toMatchObject({ statusCode: 400, code: 'url_invalid', param: 'url' });
        expect(error.message).toContain(`${host} resolves to`);
      }
    });

    it('refuses a name when any of its addresses is not public', async () => {
      dnsServer.set('mixed.example.test', ['93.184.216.34', '10.0.0.7']);
      const error = await stripeError(create(strict.stripe, 'https://mixed.example.test/hook'));
      expect(error).toMatchObject({ code: 'url_invalid', param: 'url' });
      expect(error.message).toContain('10.0.0.7, a private address');
    });

    it('refuses such a URL on update too, and leaves the endpoint as it was', async () => {
      dnsServer.set('public.example.test', ['93.184.216.34']);
      const endpoint = await create(strict.stripe, 'https://public.example.test/hook');
      const error = await stripeError(
        strict.stripe.webhookEndpoints.update(endpoint.id, { url: 'http://169.254.169.254/' }),
      );
      expect(error).toMatchObject({ statusCode: 400, code: 'url_invalid', param: 'url' });
      expect((await strict.stripe.webhookEndpoints.retrieve(endpoint.id)).url).toBe(
        'https://public.example.test/hook',
      );
      await strict.stripe.webhookEndpoints.del(endpoint.id);
    });

    it('takes public addresses and names that resolve to them', async () => {
      dnsServer.set('ok.example.test', ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
      for (const url of [
        'https://93.184.216.34/hook',
        'https://[2606:4700:4700::1111]/hook',
        'https://ok.example.test/hook',
      ]) {
        const endpoint = await create(strict.stripe, url);
        expect(endpoint.url).toBe(url);
        await strict.stripe.webhookEndpoints.del(endpoint.id);
      }
    });
  });

  describe('at delivery', () => {
    it('refuses a name that now resolves to loopback, without connecting, and records why', async () => {
      // Public when the endpoint is made; loopback, where a receiver listens, when the event goes.
      const path = '/rebound';
      dnsServer.set('rebind.example.test', ['93.184.216.34']);
      const endpoint = await create(strict.stripe, `http://rebind.example.test:${port()}${path}`);
      dnsServer.set('rebind.example.test', ['127.0.0.1']);
      const before = dnsServer.queries('rebind.example.test');

      const customer = await strict.stripe.customers.create({ email: 'rebind@example.test' });
      await strict.stripe.invoices.create({ customer: customer.id });

      const row = await waitFor(async () => {
        const delivery = await deliveryOf(strict, endpoint.id);
        return delivery && delivery.attempts >= 1 ? delivery : null;
      }, 15_000);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
      expect(row.last_error).toBe(
        'refused by WEBHOOK_URL_POLICY=strict: rebind.example.test resolves to 127.0.0.1, a loopback address',
      );
      expect(dnsServer.queries('rebind.example.test')).toBeGreaterThan(before); // resolved again
      expect(receiver.received(path)).toHaveLength(0);
    });
  });
});

describe('permissive policy (the npm start default)', () => {
  it('takes loopback URLs and delivers to a local receiver', async () => {
    const path = '/local';
    const endpoint = await permissive.stripe.webhookEndpoints.create({
      url: `http://localhost:${port()}${path}`,
      enabled_events: ['invoice.created'],
    });
    const customer = await permissive.stripe.customers.create({ email: 'local@example.test' });
    const invoice = await permissive.stripe.invoices.create({ customer: customer.id });
    await waitFor(() => receiver.received(path).length > 0, 15_000, 'the delivery');
    const event = JSON.parse(receiver.received(path)[0].body) as Stripe.Event;
    expect(event).toMatchObject({ type: 'invoice.created', data: { object: { id: invoice.id } } });
    // The receiver has the event before the worker records the attempt's outcome.
    await waitFor(
      async () => (await deliveryOf(permissive, endpoint.id))?.status !== 'pending',
      15_000,
      'the attempt recorded',
    );
    expect(await deliveryOf(permissive, endpoint.id)).toMatchObject({
      status: 'succeeded',
      last_status_code: 200,
    });
  });

  it('takes the metadata address too (nothing is checked)', async () => {
    const endpoint = await permissive.stripe.webhookEndpoints.create({
      url: 'http://169.254.169.254/latest/meta-data',
      enabled_events: ['invoice.created'],
    });
    expect(endpoint.url).toBe('http://169.254.169.254/latest/meta-data');
    await permissive.stripe.webhookEndpoints.del(endpoint.id);
  });
});
