// Scenario 2, the read path (Postgres only, never Temporal): retrieve an invoice, list a
// customer's paid invoices, and search, over the invoices the lifecycle scenario made.
import type { BenchClient } from './http-client';
import { sweep, type CpuSampler, type Summary } from './load';

export async function runReads(
  client: BenchClient,
  invoices: Array<{ invoiceId: string; customerId: string }>,
  options: {
    concurrencies: number[];
    runs: number;
    seconds: number;
    log: (line: string) => void;
    cpu?: CpuSampler;
  },
): Promise<Summary[]> {
  if (invoices.length === 0) throw new Error('reads need the invoices of the lifecycle scenario');
  const pick = (i: number) => invoices[(i * 7919) % invoices.length];
  return sweep({
    ...options,
    label: 'reads',
    task: async (timer, c, i) => {
      const { invoiceId, customerId } = pick(c * 1000 + i);
      await timer.time('GET /v1/invoices/:id', () => client.call('GET', `/v1/invoices/${invoiceId}`));
      await timer.time('GET /v1/invoices?customer&status', () =>
        client.call('GET', '/v1/invoices', { customer: customerId, status: 'paid', limit: 10 }),
      );
      await timer.time('GET /v1/invoices/search', () =>
        client.call('GET', '/v1/invoices/search', {
          query: `customer:"${customerId}" AND status:"paid"`,
          limit: 10,
        }),
      );
    },
  });
}
