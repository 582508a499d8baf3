// Scenario 3, many open invoices: N send_invoice invoices finalized on customers of one test
// clock, each workflow then waiting for its next deadline (invoice.will_be_due, 7 days before
// the due date). Measures the worker, Temporal and Postgres at rest, then advances the clock
// past every deadline at once and times, from the advance request, when each invoice's
// invoice.will_be_due event is written.
import type { BenchStack } from './stack';
import type { BenchClient } from './http-client';
import { Histogram, type CpuSampler } from './load';
import { measureAtRest, sampleProcess } from './machine';

const DAY = 86_400;
const CUSTOMERS = 100;

export interface OpenInvoicesResult {
  invoices: number;
  createSeconds: number;
  createPerSecond: number;
  worker: { cpuPercent: number; rssMiB: number };
  temporal: { cpuPercent: number; rssMiB: number } | null;
  postgresMiB: number;
  temporalDbMiB: number;
  wake: {
    // The advance request's own answer, and the first reminder seen: together they show how much
    // of the lateness comes before the reminders start to land.
    answerMs?: number;
    first?: number;
    p50: number;
    p99: number;
    max: number;
    fired: number;
    readySeconds: number | null;
  };
  // CPU ms of each process of the stack per invoice made (item, create, finalize) and per
  // invoice woken (from the advance request until the clock is ready).
  cpuMsPerCreated?: Record<string, number>;
  cpuMsPerWoken?: Record<string, number>;
}

function cpuMsPer(before: Record<string, number>, after: Record<string, number>, tasks: number) {
  return Object.fromEntries(
    Object.keys(after).map((part) => [part, ((after[part] - (before[part] ?? 0)) * 1000) / tasks]),
  );
}

async function inParallel(
  count: number,
  concurrency: number,
  fn: (i: number, slot: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, slot) => {
      for (let i = next++; i < count; i = next++) await fn(i, slot);
    }),
  );
}

async function fileMiB(path: string): Promise<number> {
  const fs = await import('node:fs');
  let bytes = 0;
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(path + suffix)) bytes += fs.statSync(path + suffix).size;
  }
  return bytes / 1024 ** 2;
}

export async function runOpenInvoices(
  stack: BenchStack,
  client: BenchClient,
  options: { invoices: number; concurrency: number; log: (line: string) => void; cpu?: CpuSampler },
): Promise<OpenInvoicesResult> {
  const { log } = options;
  const frozenTime = Math.floor(Date.now() / 1000);
  const clock = await client.call('POST', '/v1/test_helpers/test_clocks', {
    frozen_time: frozenTime,
    name: 'bench',
  });
  const clockId = clock.body.id as string;
  const customers: string[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
    const reply = await client.call('POST', '/v1/customers', {
      email: `clock${i}@bench.example`,
      test_clock: clockId,
    });
    customers.push(reply.body.id as string);
  }

  const createCpu = options.cpu?.();
  const started = performance.now();
  let done = 0;
  await inParallel(options.invoices, options.concurrency, async (_i, slot) => {
    // Each slot has its customers to itself: an invoice takes all of its customer's pending
    // items, so a customer's item and invoice must not interleave with another slot's.
    const customer =
      customers[slot + options.concurrency * (done % Math.floor(CUSTOMERS / options.concurrency))];
    await client.call('POST', '/v1/invoiceitems', { customer, amount: 2500, currency: 'usd' });
    const invoice = await client.call('POST', '/v1/invoices', {
      customer,
      collection_method: 'send_invoice',
      days_until_due: 30,
      auto_advance: false,
      pending_invoice_items_behavior: 'include',
    });
    await client.call('POST', `/v1/invoices/${invoice.body.id as string}/finalize`, {});
    if (++done % 1000 === 0) {
      const worker = sampleProcess(stack.workerPid)?.rssMiB ?? NaN;
      const temporal = stack.temporalPid ? (sampleProcess(stack.temporalPid)?.rssMiB ?? NaN) : NaN;
      const rate = done / ((performance.now() - started) / 1000);
      log(
        `[open invoices] ${done}/${options.invoices} (${rate.toFixed(1)}/s): worker RSS ${worker.toFixed(0)} MiB, Temporal RSS ${temporal.toFixed(0)} MiB`,
      );
    }
  });
  const createSeconds = (performance.now() - started) / 1000;
  const cpuMsPerCreated = createCpu && cpuMsPer(createCpu, options.cpu!(), options.invoices);
  log(`[open invoices] ${options.invoices} open in ${createSeconds.toFixed(1)} s; measuring at rest...`);

  await new Promise((resolve) => setTimeout(resolve, 5_000)); // let the last tasks settle
  const [worker, temporal] = await Promise.all([
    measureAtRest(stack.workerPid, 15),
    stack.temporalPid ? measureAtRest(stack.temporalPid, 15) : Promise.resolve(null),
  ]);
  const size = await stack.db.raw<{ rows: Array<{ bytes: string }> }>(
    'select pg_database_size(current_database()) as bytes',
  );
  const postgresMiB = Number(size.rows[0].bytes) / 1024 ** 2;
  const temporalDbMiB = await fileMiB(`${stack.dir}/temporal/temporal.db`);
  // Printed before the wake-up: a long run can be stopped here with its at-rest figures.
  log(
    `[open invoices] at rest: worker RSS ${worker.rssMiB.toFixed(0)} MiB, CPU ${worker.cpuPercent.toFixed(1)}%; ` +
      (temporal
        ? `Temporal RSS ${temporal.rssMiB.toFixed(0)} MiB, CPU ${temporal.cpuPercent.toFixed(1)}%; `
        : '') +
      `Postgres ${postgresMiB.toFixed(0)} MiB, Temporal SQLite ${temporalDbMiB.toFixed(0)} MiB`,
  );

  const wakeCpu = options.cpu?.();
  const wake = await wakeAll(stack, client, clockId, frozenTime + 23 * DAY + 3600, options.invoices, log);
  const cpuMsPerWoken = wakeCpu && cpuMsPer(wakeCpu, options.cpu!(), Math.max(1, wake.fired));
  for (const [what, figures] of [
    ['made', cpuMsPerCreated],
    ['woken', cpuMsPerWoken],
  ] as const) {
    if (figures)
      log(
        `[open invoices] CPU ms per invoice ${what}: ` +
          Object.entries(figures)
            .map(([part, ms]) => `${part} ${ms.toFixed(1)}`)
            .join(', '),
      );
  }
  log(
    `[open invoices] worker RSS after the wake-up: ${sampleProcess(stack.workerPid)?.rssMiB.toFixed(0)} MiB`,
  );
  return {
    invoices: options.invoices,
    createSeconds,
    createPerSecond: options.invoices / createSeconds,
    worker,
    temporal,
    postgresMiB,
    temporalDbMiB,
    wake,
    cpuMsPerCreated,
    cpuMsPerWoken,
  };
}

// Advances the clock and polls Postgres every 50 ms for the reminder events; an event's
// lateness is when the poll first saw it, measured from the advance request. A poll counts only
// the rows past the highest seq seen so far: counting all of them every 50 ms cost the 10,000
// reminders' own writes about a second on this machine (bench/RESULTS.md, change 24). A row that
// commits after a higher seq was seen is found by a full count once a second, and counted then
// (late: the figure can only err on the slow side).
async function wakeAll(
  stack: BenchStack,
  client: BenchClient,
  clockId: string,
  target: number,
  expected: number,
  log: (line: string) => void,
) {
  // How many reminders have a seq above `after`, and the highest seq among them: one snapshot.
  const countAfter = async (after: number) => {
    const row = (await stack
      .db('events')
      .where({ account_id: stack.accountId, type: 'invoice.will_be_due' })
      .andWhere('seq', '>', after)
      .first(
        stack.db.raw('count(*)::int as n'),
        stack.db.raw('coalesce(max(seq), ?)::bigint as top', [after]),
      )) as {
      n: number;
      top: string;
    };
    return { n: row.n, top: Number(row.top) };
  };
  const baseline = await countAfter(0);
  let highestSeen = baseline.top;
  let found = 0;
  let fullCountAt = performance.now();
  const histogram = new Histogram();
  const started = performance.now();
  await client.call('POST', `/v1/test_helpers/test_clocks/${clockId}/advance`, { frozen_time: target });
  const answerMs = performance.now() - started;
  let seen = 0;
  let readySeconds: number | null = null;
  // Long enough for this machine to finish, bounded so that a stuck clock cannot hang the run.
  const giveUpAt = started + Math.max(180_000, Math.min(expected * 150, 900_000));
  while (performance.now() < giveUpAt) {
    if (performance.now() - fullCountAt >= 1_000) {
      const all = await countAfter(0);
      found = all.n - baseline.n;
      highestSeen = all.top;
      fullCountAt = performance.now();
    } else {
      const fresh = await countAfter(highestSeen);
      found += fresh.n;
      highestSeen = fresh.top;
    }
    const fired = found;
    const elapsed = performance.now() - started;
    const before = seen;
    for (; seen < fired; seen++) histogram.add(elapsed);
    if (before < expected && seen >= expected) {
      log(
        `[open invoices] all ${expected} reminders seen after ${(elapsed / 1000).toFixed(1)} s ` +
          `(p50 ${(histogram.percentile(50) / 1000).toFixed(1)} s, p99 ${(histogram.percentile(99) / 1000).toFixed(1)} s); waiting for the clock`,
      );
    }
    if (readySeconds === null) {
      const row = (await stack.db('test_clocks').where({ id: clockId }).first('status')) as {
        status: string;
      };
      if (row.status === 'ready') readySeconds = elapsed / 1000;
    }
    if (seen >= expected && readySeconds !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  log(`[open invoices] ${seen}/${expected} reminders fired; clock ready after ${readySeconds ?? 'never'} s`);
  log(
    `[open invoices] the advance answered after ${answerMs.toFixed(0)} ms; ` +
      `first reminder seen after ${histogram.percentile(0).toFixed(0)} ms`,
  );
  return {
    answerMs,
    first: histogram.percentile(0) / 1000,
    p50: histogram.percentile(50) / 1000,
    p99: histogram.percentile(99) / 1000,
    max: histogram.percentile(100) / 1000,
    fired: seen,
    readySeconds,
  };
}
