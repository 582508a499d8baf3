// `npm run bench`: the load benchmark of issue #9 against an isolated stack of its own (see
// stack.ts), a few minutes in all. `npm run bench -- --long` runs longer rounds, more
// concurrency and 10,000 then 100,000 open invoices. Options (after `--`):
//   --long                 the long mode
//   --only=a,b             scenarios among plain,lifecycle,hot,reads,floor,open,webhooks (reads need
//                          lifecycle; floor: bare Temporal updates on the same server, bench/floor/)
//   --open=1000,10000      open-invoice counts instead of the mode's
//   --api=N                API processes (default 2: one per core), round-robin from the generator
//   --worker-env=K=V,K=V   extra environment for the worker (e.g. WORKER_MAX_CACHED_WORKFLOWS=5000)
//   --worker-node-args=A,B Node flags for the worker (e.g. --cpu-prof,--cpu-prof-dir=/tmp/prof)
//   --temporal=memory      the Temporal dev server in memory (default: persisted to its SQLite file)
//   --cluster              the production topology instead (bench/cluster-stack.ts: the real
//                          Temporal server on Postgres, two workers, two APIs); the floor runs on
//                          that server too; its own block of bench/RESULTS.md; no open scenario
//                          (worker memory with two workers is another question)
//   --workers=N            worker processes on the cluster (default 2)
//   --no-write             print the report without touching bench/RESULTS.md (runs with
//                          --only or --open never touch it)
import { TEMPORAL_SERVER_VERSION } from '../scripts/temporal-server-build';
import { option } from './cli-options';
import { FLOOR_VARIANTS, runUpdateFloor } from './floor/scenario';
import { BenchClient } from './http-client';
import { runLifecycle, runPlainWrites } from './lifecycle';
import { describeMachine, loadAverage, stackCpu } from './machine';
import { runHotInvoice } from './hot-invoice';
import { runOpenInvoices } from './open-invoices';
import { runReads } from './reads';
import { renderReport, writeReport, type RunReport } from './report';
import { startBenchCluster } from './cluster-stack';
import { startBenchStack, type BenchStack } from './stack';
import { runWebhookFanOut } from './webhooks';

const log = (line: string) => process.stdout.write(`${line}\n`);

const long = option('long') !== undefined;
const onCluster = option('cluster') !== undefined;
const MODE = long
  ? {
      concurrencies: [1, 4, 16, 32, 64],
      readConcurrencies: [1, 4, 8, 16, 64],
      runs: 3,
      seconds: 15,
      open: [10_000, 100_000],
      events: 2_000,
    }
  : {
      concurrencies: [1, 4, 16],
      // 8: the level where 1,000 reads/s meet p99 <= 20 ms, if any does
      readConcurrencies: [1, 4, 8, 16, 64],
      runs: 3,
      seconds: 5,
      open: [1_000],
      events: 300,
    };

async function main(): Promise<void> {
  const scenarios = onCluster
    ? 'plain,lifecycle,hot,reads,floor,webhooks'
    : 'plain,lifecycle,hot,reads,floor,open,webhooks';
  const only = new Set((option('only') ?? scenarios).split(','));
  const workers = Number(option('workers') ?? 2);
  const open = option('open')?.split(',').map(Number) ?? MODE.open;
  const apiProcesses = Number(option('api') ?? 2);
  const workerEnv = Object.fromEntries(
    (option('worker-env') ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  const temporalNote = onCluster
    ? `the Temporal server ${TEMPORAL_SERVER_VERSION} (all services in one process, scripts/temporal/invoicing.yaml) on the embedded Postgres that also holds ours, ${workers} worker processes`
    : `Temporal dev server (${option('temporal') === 'memory' ? 'in memory' : 'persisted to its SQLite file'}), embedded Postgres, one worker process`;
  const report: RunReport = {
    mode: onCluster ? 'cluster' : long ? 'long' : 'short',
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    stackNote: `Everything on this machine: ${temporalNote}, ${apiProcesses} API process(es), the load generator; ${MODE.runs} runs of ${MODE.seconds} s per concurrency (after a 2 s warm-up), medians shown.${Object.keys(workerEnv).length ? ` Worker environment: ${JSON.stringify(workerEnv)}.` : ''}`,
    plain: null,
    lifecycle: null,
    hot: null,
    reads: null,
    open: [],
    webhooks: null,
    floor: [],
  };
  log(`[bench] ${report.mode} mode, load average ${loadAverage()}`);
  const temporalPersisted = option('temporal') !== 'memory';
  const workerNodeArgs = (option('worker-node-args') ?? '').split(',').filter(Boolean);
  const stack: BenchStack & { workerPids?: number[] } = onCluster
    ? await startBenchCluster({ workers, apis: apiProcesses, workerEnv, log })
    : await startBenchStack({ apiProcesses, workerEnv, workerNodeArgs, temporalPersisted, log });
  // Ctrl-C stops the stack's processes and removes its folder before leaving.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void stack.stop().finally(() => process.exit(130)));
  }
  const client = new BenchClient(stack.apiUrls, stack.secretKey);
  const cpu = () =>
    stackCpu({
      temporal: stack.temporalPid,
      worker: stack.workerPids ?? stack.workerPid,
      api: stack.apiPids,
      postgresDir: `${stack.dir}/postgres`,
    });
  const sweepOptions = {
    concurrencies: MODE.concurrencies,
    runs: MODE.runs,
    seconds: MODE.seconds,
    log,
    cpu,
  };
  try {
    if (only.has('plain')) {
      const load = loadAverage();
      report.plain = {
        summaries: await runPlainWrites(client, sweepOptions),
        load: `${load} → ${loadAverage()}`,
      };
    }
    const made: Array<{ invoiceId: string; customerId: string }> = [];
    if (only.has('lifecycle')) {
      const load = loadAverage();
      report.lifecycle = {
        summaries: await runLifecycle(client, sweepOptions, made),
        load: `${load} → ${loadAverage()}`,
      };
    }
    if (only.has('hot')) {
      const load = loadAverage();
      report.hot = { result: await runHotInvoice(client, sweepOptions), load: `${load} → ${loadAverage()}` };
    }
    if (only.has('reads')) {
      const load = loadAverage();
      const summaries = await runReads(client, made, {
        ...sweepOptions,
        concurrencies: MODE.readConcurrencies,
      });
      report.reads = { summaries, load: `${load} → ${loadAverage()}` };
    }
    if (only.has('floor')) {
      report.floor = await runUpdateFloor({
        temporalAddress: stack.temporalAddress,
        temporalPid: stack.temporalPid,
        dir: stack.dir,
        variants: [...FLOOR_VARIANTS],
        concurrencies: MODE.concurrencies,
        runs: MODE.runs,
        seconds: MODE.seconds,
        log,
        loadAverage,
      });
    }
    if (only.has('open')) {
      for (const invoices of open) {
        const load = loadAverage();
        const result = await runOpenInvoices(stack, client, { invoices, concurrency: 16, log, cpu });
        report.open.push({ result, load: `${load} → ${loadAverage()}` });
      }
    }
    if (only.has('webhooks')) {
      const load = loadAverage();
      const result = await runWebhookFanOut(client, { events: MODE.events, concurrency: 16, log });
      report.webhooks = { result, load: `${load} → ${loadAverage()}` };
    }
  } finally {
    client.close();
    await stack.stop();
  }
  const markdown = renderReport(report);
  log('');
  log(markdown);
  // Only a whole run of a mode replaces its block of bench/RESULTS.md; partial runs just print.
  const whole = option('only') === undefined && option('open') === undefined;
  if (whole && option('no-write') === undefined) {
    await writeReport(report, markdown);
    log(`[bench] bench/RESULTS.md: the ${report.mode} block is rewritten`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
