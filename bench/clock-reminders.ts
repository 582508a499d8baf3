// The bulk reminder pass of a test clock advance by itself (activities/clock-reminders.ts):
// `npx tsx bench/clock-reminders.ts` fills a fresh database with BENCH_INVOICES open
// send_invoice invoices on one clock (default 10,000; copies of one invoice made by the domain
// code, each with its own id and hosted token), then times the pass that writes their
// invoice.will_be_due, BENCH_RUNS times (default 3; the events are removed between runs), and
// prints when each page of reminders was written. Postgres only: no Temporal, no HTTP; the whole
// advance, workflows included, is the open-invoices scenario of `npm run bench`.
//   BENCH_DATABASE_URL=... use that server (a new database is created on it)
//   BENCH_DISPATCHER=1     run the events outbox dispatcher meanwhile, as the worker does
import { performance } from 'node:perf_hooks';
import type { Client } from '@temporalio/client';
import { writeDueReminders } from '../activities/clock-reminders';
import { startEventDispatcher } from '../worker/event-dispatcher';
import { connectDatabase, migrateToLatest } from '../db/connection';
import { writeInvoiceProjection } from '../db/repositories/invoices';
import { DEFAULT_COLLECTION_SETTINGS } from '../workflows/domain/collection-settings';
import { createIdFactory } from '../workflows/domain/ids';
import { createInvoice, finalize } from '../workflows/domain/invoice';
import type { CreateInvoiceCommand } from '../workflows/domain/invoice-create';
import { ONE_DAY } from '../workflows/domain/schedule';
import { freshDatabase } from './fresh-database';

const INVOICES = Number(process.env.BENCH_INVOICES ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WITH_DISPATCHER = process.env.BENCH_DISPATCHER === '1';
const ACCOUNT = 'acct_bench_reminders';
const CLOCK = 'clock_bench_reminders';
const START = 1_893_456_000;
const log = (line: string) => process.stdout.write(`${line}\n`);

function sampleInvoice() {
  let n = 0;
  const ids = createIdFactory(() => (n++ % 997) / 997);
  const command: CreateInvoiceCommand = {
    invoiceId: 'in_template',
    accountId: ACCOUNT,
    customerId: 'cus_bench',
    currency: 'usd',
    collectionMethod: 'send_invoice',
    daysUntilDue: 30,
    autoAdvance: false,
    testClockId: CLOCK,
    customer: { email: 'bench@example.test', name: 'Bench', phone: null, address: null, taxExempt: 'none' },
    lines: [1, 2, 3].map((i) => ({ amount: 1000 * i, description: `Widget ${i}` })),
  };
  const draft = createInvoice(command, START, ids).state;
  return finalize(draft, { number: 'BENCH-0001', customerBalance: 0 }, START + 10, ids).state;
}

async function main(): Promise<void> {
  const database = await freshDatabase('bench_reminders');
  const db = connectDatabase(database.url);
  try {
    await migrateToLatest(db);
    await db('accounts').insert({ id: ACCOUNT, name: ACCOUNT, created: START, settings: '{}' });
    const template = sampleInvoice();
    await db.transaction((trx) => writeInvoiceProjection(trx, template, DEFAULT_COLLECTION_SETTINGS));
    // Copies of the template, each its own invoice (id, number, hosted token).
    await db.raw(
      `insert into invoices (id, account_id, customer_id, status, currency, collection_method, total,
         amount_due, created, due_date, test_clock, deleted, metadata, version, state, collection_settings, number)
       select 'in_bulk' || g, account_id, customer_id, status, currency, collection_method, total, amount_due,
         created, due_date, test_clock, deleted, metadata, version,
         jsonb_set(jsonb_set(state, '{id}', to_jsonb('in_bulk' || g)), '{number}', to_jsonb('BENCH-' || g)),
         collection_settings, 'BENCH-' || g
       from invoices, generate_series(2, ?) g where id = 'in_template'`,
      [INVOICES],
    );
    await db.raw('analyze invoices');
    const frozenTime = (template.dueDate as number) - 7 * ONE_DAY + 3600;
    log(
      `${INVOICES.toLocaleString('en-US')} open invoices on one clock; state ${JSON.stringify(template).length} bytes each`,
    );
    // The account has no webhook endpoint, so the dispatcher only settles events: it never
    // reaches Temporal, and needs no client.
    const dispatcher = WITH_DISPATCHER
      ? startEventDispatcher({ db, temporal: null as unknown as Client, taskQueue: 'bench', log })
      : null;
    for (let run = 1; run <= RUNS; run++) {
      await db('events').del();
      const started = performance.now();
      const pages: string[] = [];
      const written = await writeDueReminders(
        db,
        { clockId: CLOCK, frozenTime },
        'http://localhost:4242',
        (n) => pages.push(`${n}@${((performance.now() - started) / 1000).toFixed(2)}s`),
      );
      const seconds = (performance.now() - started) / 1000;
      log(
        `run ${run}: ${written.toLocaleString('en-US')} reminders in ${seconds.toFixed(2)} s (${Math.round(written / seconds)}/s); pages ${pages.join(' ')}`,
      );
    }
    await dispatcher?.stop();
  } finally {
    await db.destroy();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
