// `npx tsx bench/profile.ts`: where one request's time goes. Runs the API and the worker in
// this process (over an isolated stack, see stack.ts), each with its own knex whose query
// events are counted, and the API's Temporal client with a gRPC interceptor that counts its
// calls; after each request it reads the invoice workflow's history to count what the request
// added there (workflow tasks, activities). One lifecycle is profiled after a warm-up one.
// `--statements` also lists every statement each call caused, API's and worker's.
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporal as temporalProto } from '@temporalio/proto';
import { listen } from '../api/server';
import { createLogger } from '../api/logger';
import { connectDatabase, type Database } from '../db/connection';
import { createWorker } from '../worker/create-worker';
import { startEventDispatcher } from '../worker/event-dispatcher';
import { BenchClient } from './http-client';
import { startBenchStack } from './stack';

type GrpcInterceptor = NonNullable<ConnectionOptions['interceptors']>[number];

const log = (line: string) => process.stdout.write(`${line}\n`);

const listStatements = process.argv.includes('--statements');

function countedDatabase(url: string): { db: Database; count: () => number; texts: string[] } {
  const db = connectDatabase(url);
  const texts: string[] = [];
  db.on('query', (query: { sql: string }) => texts.push(query.sql.replace(/\s+/g, ' ').slice(0, 140)));
  return { db, count: () => texts.length, texts };
}

interface Row {
  call: string;
  apiStatements: number;
  workerStatements: number;
  temporalCalls: string;
  historyEvents: number;
  workflowTasks: number;
  activities: string;
  events: number;
}

async function main(): Promise<void> {
  const stack = await startBenchStack({ apiProcesses: 0, worker: false, log });
  const apiDb = countedDatabase(stack.databaseUrl);
  const workerDb = countedDatabase(stack.databaseUrl);
  const grpcCalls: string[] = [];
  const connection = await Connection.connect({
    address: stack.temporalAddress,
    // Replaces the default retry interceptor: fine for one request at a time on a quiet stack.
    interceptors: [
      ((options: { method_definition: { path: string } }, nextCall: (o: unknown) => unknown) => {
        grpcCalls.push(options.method_definition.path.split('/').pop() ?? '?');
        return nextCall(options);
      }) as unknown as GrpcInterceptor,
    ],
  });
  const temporal = new Client({ connection, namespace: 'default' });
  const nativeConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const config = { address: stack.temporalAddress, namespace: 'default', taskQueue: stack.taskQueue };
  const worker = await createWorker({
    connection: nativeConnection,
    config,
    db: workerDb.db,
    workflowBundle: { codePath: stack.workflowBundlePath },
  });
  const workerRun = worker.run();
  // The dispatcher's Temporal calls are the worker side's: its own connection, not counted.
  const dispatcherConnection = await Connection.connect({ address: stack.temporalAddress });
  const dispatcher = startEventDispatcher({
    db: workerDb.db,
    temporal: new Client({ connection: dispatcherConnection, namespace: 'default' }),
    taskQueue: stack.taskQueue,
    // Woken by NOTIFY only: its idle polls (3 statements every 200 ms) would blur the counts.
    pollIntervalMs: 600_000,
  });
  const api = await listen(
    { db: apiDb.db, temporal, temporalConfig: config },
    { host: '127.0.0.1', port: 0, maxBodyBytes: 1024 * 1024 },
    createLogger({ level: 'silent' }),
  );
  const client = new BenchClient([api.url], stack.secretKey);

  async function rawHistory(invoiceId: string | null) {
    if (!invoiceId) return [];
    const h = await temporal.workflow.getHandle(`invoice/${invoiceId}`).fetchHistory();
    return (h.events ?? []).map((e) => ({
      type: temporalProto.api.enums.v1.EventType[e.eventType ?? 0].replace('EVENT_TYPE_', ''),
      ms: Number(e.eventTime?.seconds ?? 0) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6),
    }));
  }
  async function history(invoiceId: string | null) {
    return (await rawHistory(invoiceId)).map((e) => e.type);
  }
  // Each history event of the call, with the ms since the call was sent.
  const timelines: Array<{ call: string; lines: string[] }> = [];
  const statementLists: Array<{ call: string; lines: string[] }> = [];

  // Counted through the stack's own connection, outside the counted ones.
  const eventCount = async () =>
    Number(((await stack.db('events').count('* as n').first()) as { n: string | number }).n);
  const rows: Row[] = [];
  let invoiceId: string | null = null;
  async function profiled(call: string, fn: () => Promise<unknown>): Promise<void> {
    const eventsWritten = await eventCount();
    const before = { api: apiDb.count(), worker: workerDb.count(), grpc: grpcCalls.length };
    const eventsBefore = await history(invoiceId);
    grpcCalls.length = before.grpc; // the history fetch above is the profiler's, not the API's
    const sentAt = Date.now();
    await fn();
    const answeredMs = Date.now() - sentAt;
    // What the call set off in the worker (the outbox dispatcher, deliveries) counts with it.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const grpc = grpcCalls.slice(before.grpc);
    const apiStatements = apiDb.count() - before.api;
    const workerStatements = workerDb.count() - before.worker;
    statementLists.push({
      call,
      lines: [
        ...apiDb.texts.slice(before.api).map((sql) => `  api     ${sql}`),
        ...workerDb.texts.slice(before.worker).map((sql) => `  worker  ${sql}`),
      ],
    });
    const addedRaw = (await rawHistory(invoiceId)).slice(eventsBefore.length);
    const added = addedRaw.map((e) => e.type);
    if (addedRaw.length > 0) {
      timelines.push({
        call,
        lines: [
          ...addedRaw.map((e) => `${String(e.ms - sentAt).padStart(5)} ms  ${e.type}`),
          `${String(answeredMs).padStart(5)} ms  (answer received)`,
        ],
      });
    }
    const scheduled = added.filter((t) => t.includes('ACTIVITY_TASK_SCHEDULED')).length;
    rows.push({
      call,
      apiStatements,
      workerStatements,
      temporalCalls: grpc.join(', ') || '—',
      historyEvents: added.length,
      workflowTasks: added.filter((t) => t.includes('WORKFLOW_TASK_COMPLETED')).length,
      activities: String(scheduled),
      events: (await eventCount()) - eventsWritten,
    });
  }

  try {
    for (let round = 0; round < 2; round++) {
      rows.length = 0;
      timelines.length = 0;
      statementLists.length = 0;
      invoiceId = null;
      let customer = '';
      await profiled('POST /v1/customers', async () => {
        customer = (await client.call('POST', '/v1/customers', { email: 'p@bench.example' })).body
          .id as string;
      });
      for (let i = 1; i <= 3; i++) {
        await profiled('POST /v1/invoiceitems', () =>
          client.call('POST', '/v1/invoiceitems', { customer, amount: 500 * i, currency: 'usd' }),
        );
      }
      await profiled('POST /v1/invoices', async () => {
        const reply = await client.call('POST', '/v1/invoices', {
          customer,
          collection_method: 'charge_automatically',
          auto_advance: false,
          pending_invoice_items_behavior: 'include',
        });
        invoiceId = reply.body.id as string;
      });
      await profiled('POST /v1/invoices/:id/finalize', () =>
        client.call('POST', `/v1/invoices/${invoiceId}/finalize`),
      );
      await profiled('POST /v1/invoices/:id/pay', () =>
        client.call('POST', `/v1/invoices/${invoiceId}/pay`, { payment_method: 'pm_card_visa' }),
      );
      await profiled('GET /v1/invoices/:id', () => client.call('GET', `/v1/invoices/${invoiceId}`));
      await profiled('GET /v1/invoices?customer&status', () =>
        client.call('GET', '/v1/invoices', { customer, status: 'paid', limit: 10 }),
      );
      await profiled('GET /v1/invoices/search', () =>
        client.call('GET', '/v1/invoices/search', { query: `customer:"${customer}" AND status:"paid"` }),
      );
    }
    log(
      '| call | API statements | worker statements | API → Temporal calls | invoice history events | workflow tasks | activities | events written |',
    );
    log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
    for (const r of rows) {
      log(
        `| \`${r.call}\` | ${r.apiStatements} | ${r.workerStatements} | ${r.temporalCalls} | ${r.historyEvents} | ${r.workflowTasks} | ${r.activities} | ${r.events} |`,
      );
    }
    log('(worker statements include the event dispatcher and webhook deliveries the call caused)');
    for (const t of timelines)
      log(`\n${t.call}: history events, ms after the request was sent\n${t.lines.join('\n')}`);
    if (listStatements) {
      for (const t of statementLists) log(`\n${t.call}: statements\n${t.lines.join('\n')}`);
    }
  } finally {
    client.close();
    await api.close();
    await dispatcher.stop();
    worker.shutdown();
    await workerRun;
    await nativeConnection.close();
    await dispatcherConnection.close();
    await connection.close();
    await apiDb.db.destroy();
    await workerDb.db.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
