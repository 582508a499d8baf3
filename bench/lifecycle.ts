// Scenario 1, the write path: plain Postgres writes (customers, pending invoice items), then the
// whole invoice lifecycle — three pending items, create (taking them), finalize, pay — each
// virtual client on its own customer, so clients never contend for one customer's row.
import type { BenchClient } from './http-client';
import { sweep, type CpuSampler, type Summary } from './load';

export interface LifecycleOptions {
  concurrencies: number[];
  runs: number;
  seconds: number;
  log: (line: string) => void;
  cpu?: CpuSampler;
}

async function newCustomer(client: BenchClient, tag: string): Promise<string> {
  const reply = await client.call('POST', '/v1/customers', {
    email: `${tag}@bench.example`,
    name: `Bench ${tag}`,
    metadata: { bench: 'lifecycle' },
  });
  return reply.body.id as string;
}

async function customersFor(client: BenchClient, count: number, tag: string): Promise<string[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => newCustomer(client, `${tag}-${i}`)));
}

// Plain Postgres-backed writes: no workflow involved.
export async function runPlainWrites(client: BenchClient, options: LifecycleOptions): Promise<Summary[]> {
  const customers = await customersFor(client, Math.max(...options.concurrencies), 'plain');
  return sweep({
    ...options,
    label: 'plain writes',
    task: async (timer, c, i) => {
      await timer.time('POST /v1/customers', () =>
        client.call('POST', '/v1/customers', { email: `p${c}-${i}@bench.example`, name: 'Plain' }),
      );
      await timer.time('POST /v1/invoiceitems (pending)', () =>
        client.call('POST', '/v1/invoiceitems', {
          customer: customers[c],
          amount: 1000 + i,
          currency: 'usd',
          description: 'Plain write',
        }),
      );
    },
  });
}

// Invoice ids the lifecycle made, for the read scenario to fetch.
export async function runLifecycle(
  client: BenchClient,
  options: LifecycleOptions,
  made: Array<{ invoiceId: string; customerId: string }>,
): Promise<Summary[]> {
  const customers = await customersFor(client, Math.max(...options.concurrencies), 'life');
  return sweep({
    ...options,
    label: 'lifecycle',
    task: async (timer, c) => {
      const customer = customers[c];
      for (let line = 1; line <= 3; line++) {
        await timer.time('POST /v1/invoiceitems', () =>
          client.call('POST', '/v1/invoiceitems', {
            customer,
            amount: 500 * line,
            currency: 'usd',
            description: `Item ${line}`,
          }),
        );
      }
      const created = await timer.time('POST /v1/invoices', () =>
        client.call('POST', '/v1/invoices', {
          customer,
          collection_method: 'charge_automatically',
          auto_advance: false,
          pending_invoice_items_behavior: 'include',
        }),
      );
      const invoiceId = created.body.id as string;
      await timer.time('POST /v1/invoices/:id/finalize', () =>
        client.call('POST', `/v1/invoices/${invoiceId}/finalize`, {}),
      );
      await timer.time('POST /v1/invoices/:id/pay', () =>
        client.call('POST', `/v1/invoices/${invoiceId}/pay`, { payment_method: 'pm_card_visa' }),
      );
      made.push({ invoiceId, customerId: customer });
    },
  });
}
