// Scenario: workflow writes that meet on one invoice. Every virtual client adds an invoice item
// to the same draft (the API lets them through one at a time per invoice, workflows/client/workflow-gate.ts),
// beside the same write spread out, each client on a draft of its own. A draft takes
// LINES_PER_DRAFT items before the next one is used, so the figures do not drift as a draft grows.
// A 429 lock_timeout (the write waited past its budget) counts as an error.
import type { BenchClient } from './http-client';
import { sweep, type CpuSampler, type Summary } from './load';

const LINES_PER_DRAFT = 200;

export interface HotInvoiceOptions {
  concurrencies: number[];
  runs: number;
  seconds: number;
  log: (line: string) => void;
  cpu?: CpuSampler;
}

export interface HotInvoiceResult {
  hot: Summary[];
  spread: Summary[];
}

async function newDraft(client: BenchClient, customer: string): Promise<string> {
  const reply = await client.call('POST', '/v1/invoices', { customer, auto_advance: false });
  return reply.body.id as string;
}

// Hands out the draft to write to, moving to a fresh one every LINES_PER_DRAFT writes.
class DraftRotation {
  private written = 0;
  private current: Promise<string> | null = null;
  constructor(
    private readonly client: BenchClient,
    private readonly customer: string,
  ) {}

  next(): Promise<string> {
    if (this.current === null || this.written >= LINES_PER_DRAFT) {
      this.current = newDraft(this.client, this.customer);
      this.written = 0;
    }
    this.written++;
    return this.current;
  }
}

function addItem(client: BenchClient, customer: string, invoice: string, i: number) {
  return client.call('POST', '/v1/invoiceitems', {
    customer,
    invoice,
    amount: 100 + (i % 50),
    currency: 'usd',
    description: 'Hot write',
  });
}

export async function runHotInvoice(
  client: BenchClient,
  options: HotInvoiceOptions,
): Promise<HotInvoiceResult> {
  const customerOf = async (tag: string) =>
    (await client.call('POST', '/v1/customers', { name: `Bench ${tag}` })).body.id as string;
  const hotCustomer = await customerOf('hot');
  const hotDrafts = new DraftRotation(client, hotCustomer);
  const hot = await sweep({
    ...options,
    label: 'hot invoice',
    task: async (timer, _c, i) => {
      const invoice = await hotDrafts.next();
      await timer.time('POST /v1/invoiceitems (one draft)', () => addItem(client, hotCustomer, invoice, i));
    },
  });
  const spreadCustomers: string[] = [];
  const spreadDrafts: DraftRotation[] = [];
  for (let c = 0; c < Math.max(...options.concurrencies); c++) {
    spreadCustomers.push(await customerOf(`spread-${c}`));
    spreadDrafts.push(new DraftRotation(client, spreadCustomers[c]));
  }
  const spread = await sweep({
    ...options,
    label: 'spread writes',
    task: async (timer, c, i) => {
      const invoice = await spreadDrafts[c].next();
      await timer.time('POST /v1/invoiceitems (own draft)', () =>
        addItem(client, spreadCustomers[c], invoice, i),
      );
    },
  });
  return { hot, spread };
}
