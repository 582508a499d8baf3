// Postgres stops while requests keep arriving. Meanwhile the API answers Stripe's 503 api_error
// at once (it neither hangs nor crashes); when Postgres is back on the same data folder and
// port, the same requests, retried with their Idempotency-Keys, succeed, and every invoice is
// finalized and paid exactly once (the workflows retry their activities across the outage).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../db/embedded-postgres';
import { newId } from '../../db/random-ids';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { startPostgresProcess, type PostgresProcess } from './embedded-postgres-process';
import { isStripeError, rawRequest, type RawResponse } from './raw-http';

jest.setTimeout(240_000);

const CLIENTS = 4;

interface Answer {
  status: number;
  type?: string;
  ms: number;
  startedAt: number;
}

let dir: string;
let postgres: PostgresProcess | undefined;
let stack: Stack | undefined;
afterAll(async () => {
  await stack?.stop();
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('answers 503 while Postgres is away, recovers, and loses or doubles nothing', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postgres-outage-'));
  const dataDir = path.join(dir, 'postgres');
  const port = await freePort();
  postgres = await startPostgresProcess(dataDir, port);
  stack = await startStack({ databaseAdminUrl: postgres.url });
  const { api, secretKey } = stack;

  const answers: Answer[] = [];
  // One request, retried with the same Idempotency-Key until it succeeds (as a client should on
  // 503, and on 409 while a cut-off first attempt still holds the key).
  async function call(method: 'GET' | 'POST', urlPath: string, form = ''): Promise<Record<string, unknown>> {
    const key = newId('idem');
    for (;;) {
      const startedAt = Date.now();
      const response: RawResponse = await rawRequest(api.url, {
        method,
        path: method === 'GET' && form ? `${urlPath}?${form}` : urlPath,
        body: method === 'POST' ? form : undefined,
        key: secretKey,
        headers: method === 'POST' ? { 'Idempotency-Key': key } : {},
        timeoutMs: 120_000,
      });
      const type = (response.json as { error?: { type?: string } }).error?.type;
      answers.push({ status: response.status, type, ms: Date.now() - startedAt, startedAt });
      if (response.status === 200) return response.json as Record<string, unknown>;
      if (response.status !== 503 && response.status !== 409) {
        throw new Error(`${method} ${urlPath}: ${response.status} ${response.text}`);
      }
      expect(isStripeError(response.json)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 100)); // a client's back-off
    }
  }

  // A customer's whole invoice life, one step after the other.
  let stopping = false;
  const journeys: Array<{ customer: string; invoice: string; amount: number }> = [];
  async function client(n: number): Promise<void> {
    for (let round = 0; !stopping; round++) {
      const amount = 1000 + n * 100 + round;
      const customer = (await call('POST', '/v1/customers', `name=client${n}-${round}`)).id as string;
      await call('GET', `/v1/customers/${customer}`);
      const invoice = (await call('POST', '/v1/invoices', `customer=${customer}`)).id as string;
      await call('POST', `/v1/invoices/${invoice}/add_lines`, `lines[0][amount]=${amount}`);
      await call('POST', `/v1/invoices/${invoice}/finalize`, 'auto_advance=false');
      await call('GET', '/v1/invoices', `customer=${customer}`);
      await call('POST', `/v1/invoices/${invoice}/pay`, 'payment_method=pm_card_visa');
      journeys.push({ customer, invoice, amount });
    }
  }
  const clients = Array.from({ length: CLIENTS }, (_, n) => client(n));
  // A client that only reads: a workflow update already in flight when Postgres stops waits for
  // it (its activity retries until Postgres is back), so the journeys alone may all be parked
  // there; new requests keep arriving from this one.
  async function reader(): Promise<void> {
    while (!stopping) {
      await call('GET', '/v1/customers', 'limit=1');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  clients.push(reader());

  await waitFor(() => journeys.length >= CLIENTS, 60_000, 'traffic before the outage');
  await postgres.stop();
  const stoppedAt = Date.now();
  await waitFor(
    () =>
      answers.filter((a) => a.startedAt > stoppedAt && a.status === 503).length >= 40 &&
      Date.now() - stoppedAt > 5_000,
    60_000,
    'requests to meet the outage',
  );
  postgres = await startPostgresProcess(dataDir, port);
  const restartedAt = Date.now();
  const doneBefore = journeys.length;
  await waitFor(() => journeys.length >= doneBefore + 2 * CLIENTS, 150_000, 'traffic after the restart');
  stopping = true;
  await Promise.all(clients);
  const doneAt = Date.now();

  // While it was away: every request that arrived got a quick 503 api_error (or, for the few
  // that needed no database, their answer), never a 500, never a hang.
  const during = answers.filter((a) => a.startedAt > stoppedAt + 100 && a.startedAt < restartedAt - 100);
  const unavailable = during.filter((a) => a.status === 503);
  expect(unavailable.length).toBeGreaterThanOrEqual(40);
  expect(unavailable.every((a) => a.type === 'api_error')).toBe(true);
  expect(answers.filter((a) => a.status >= 500 && a.status !== 503)).toEqual([]);
  const slowest503 = Math.max(...unavailable.map((a) => a.ms));
  const recoveredAt = Math.min(
    ...answers.filter((a) => a.startedAt >= restartedAt && a.status === 200).map((a) => a.startedAt),
  );
  console.log(
    `postgres outage: down ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s, ${during.length} requests meanwhile ` +
      `(${unavailable.length} x 503, slowest ${slowest503} ms, median ${unavailable.map((a) => a.ms).sort((x, y) => x - y)[Math.floor(unavailable.length / 2)]} ms), ` +
      `first success ${recoveredAt - restartedAt} ms after the restart, traffic done ${((doneAt - restartedAt) / 1000).toFixed(1)} s after it ` +
      `(${answers.filter((a) => a.status === 409).length} x 409 while a cut-off request held its key; slowest answer ${Math.max(...answers.map((a) => a.ms))} ms), ` +
      `${journeys.length} journeys, ${answers.length} requests`,
  );

  // Nothing lost, nothing doubled: one customer and one paid invoice per journey, each with one
  // finalization, one payment and one charge, numbers distinct.
  const db = stack.db;
  expect(Number((await db('customers').count({ n: '*' }))[0].n)).toBe(journeys.length);
  const invoices = (await db('invoices').select('id', 'status', 'number', 'customer_id')) as Array<{
    id: string;
    status: string;
    number: string;
    customer_id: string;
  }>;
  expect(invoices.map((row) => row.id).sort()).toEqual(journeys.map((j) => j.invoice).sort());
  expect(invoices.every((row) => row.status === 'paid')).toBe(true);
  expect(new Set(invoices.map((row) => `${row.customer_id}/${row.number}`)).size).toBe(journeys.length);
  const perType = (await db('events')
    .whereIn(
      'object_id',
      journeys.map((j) => j.invoice),
    )
    .whereIn('type', ['invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded'])
    .groupBy('object_id', 'type')
    .select('object_id', 'type')
    .count({ n: '*' })) as Array<{ n: string }>;
  expect(perType).toHaveLength(journeys.length * 4);
  expect(perType.every((row) => Number(row.n) === 1)).toBe(true);
  const payments = (await db('payments').select('invoice_id')) as Array<{ invoice_id: string }>;
  expect(payments.map((p) => p.invoice_id).sort()).toEqual(journeys.map((j) => j.invoice).sort());
});
