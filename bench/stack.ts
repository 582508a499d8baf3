// The benchmark's own service, isolated from `npm start` and the tests: a temp folder holding an
// embedded Postgres and a Temporal dev server persisted to SQLite (--db-filename, as `npm start`
// runs it: the production-like choice), one worker process and N API processes, each the
// project's own entry point (worker/main.ts, api/server.ts) run as a child, on free ports.
// Separate processes let the benchmark read each one's memory and CPU from /proc.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase, migrateToLatest, type Database } from '../db/connection';
import { freePort, startEmbeddedPostgres } from '../db/embedded-postgres';
import { createAccount } from '../db/repositories/accounts';
import { resolveTemporalCli } from '../scripts/temporal-cli';
import { startDevServer, type DevServer } from '../scripts/temporal-dev-server';
import { workflowBundleOptions } from '../worker/workflow-bundle';

const root = path.resolve(__dirname, '..');
const TASK_QUEUE = 'bench';

export interface BenchStack {
  dir: string;
  db: Database;
  databaseUrl: string;
  temporalAddress: string;
  apiUrls: string[];
  secretKey: string;
  accountId: string;
  taskQueue: string;
  workflowBundlePath: string;
  workerPid: number;
  apiPids: number[];
  temporalPid: number | null;
  stop(): Promise<void>;
}

export interface StackOptions {
  apiProcesses: number;
  // false: no worker process (the profiler runs its own in-process worker).
  worker?: boolean;
  // false: the Temporal dev server in memory instead of its SQLite file.
  temporalPersisted?: boolean;
  // Extra environment for the worker (tuning knobs read by worker/config.ts).
  workerEnv?: Record<string, string>;
  // Extra Node flags for the worker (e.g. --cpu-prof: NODE_OPTIONS refuses it).
  workerNodeArgs?: string[];
  // Extra Postgres server flags (the profiler loads pg_stat_statements with them).
  postgresFlags?: string[];
  log: (line: string) => void;
}

export function runChild(
  script: string,
  env: Record<string, string>,
  logFile: string,
  nodeArgs: string[] = [],
): ChildProcess {
  const out = fs.openSync(logFile, 'a');
  return spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(root, script)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', out, out],
  });
}

export async function waitForLine(
  logFile: string,
  pattern: RegExp,
  child: ChildProcess,
  ms: number,
): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    if (pattern.test(text)) return;
    if (child.exitCode !== null) throw new Error(`${logFile}: exited with ${child.exitCode}\n${text}`);
    if (Date.now() > deadline) throw new Error(`${logFile}: not ready after ${ms} ms\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

// A dev server in `dir`/temporal on free ports, started as `npm start` starts it (or in memory),
// and its pid for reading its CPU and memory.
export async function startBenchTemporal(
  dir: string,
  persist: boolean,
  log: (line: string) => void,
): Promise<{ server: DevServer; pid: number | null }> {
  const port = await freePort();
  const server = await startDevServer({
    cli: await resolveTemporalCli(),
    dataDir: path.join(dir, 'temporal'),
    ip: '127.0.0.1',
    port,
    uiPort: await freePort(),
    namespace: 'default',
    log,
    persist,
  });
  return { server, pid: findPid(`--port ${port}`) };
}

export async function startBenchStack(options: StackOptions): Promise<BenchStack> {
  const { log } = options;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-bench-'));
  log(`[stack] state in ${dir}`);
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch((e: unknown) => log(`[stack] stop: ${String(e)}`));
    // BENCH_KEEP=1 keeps the folder (logs of the worker and API processes) for a look.
    if (process.env.BENCH_KEEP === '1') log(`[stack] kept ${dir}`);
    else fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pg = await startEmbeddedPostgres({
      dataDir: path.join(dir, 'postgres'),
      postgresFlags: options.postgresFlags,
    });
    stops.push(() => pg.stop());
    const db = connectDatabase(pg.url, { poolMax: 4 });
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    const { account, secretKey } = await createAccount(db, { name: 'Bench account' });

    const { server, pid: temporalPid } = await startBenchTemporal(
      dir,
      options.temporalPersisted !== false,
      log,
    );
    stops.push(() => server.stop());

    const bundle = await bundleWorkflowCode({
      ...workflowBundleOptions(),
      logger: new DefaultLogger('ERROR'),
    });
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);

    const common = {
      DATABASE_URL: pg.url,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: 'default',
      TASK_QUEUE,
      // The webhook scenario's receiver listens on this machine's loopback.
      WEBHOOK_URL_POLICY: 'permissive',
    };
    let workerPid = 0;
    if (options.worker !== false) {
      const workerLog = path.join(dir, 'worker.log');
      const worker = runChild(
        'worker/main.ts',
        { ...common, WORKFLOW_BUNDLE: bundlePath, ...options.workerEnv },
        workerLog,
        options.workerNodeArgs,
      );
      stops.push(() => stopChild(worker));
      await waitForLine(workerLog, /worker polling/, worker, 120_000);
      workerPid = worker.pid ?? 0;
    }

    const apiUrls: string[] = [];
    const apiPids: number[] = [];
    for (let i = 0; i < options.apiProcesses; i++) {
      const apiPort = await freePort();
      const apiLog = path.join(dir, `api-${i}.log`);
      const api = runChild(
        'api/server.ts',
        { ...common, PORT: String(apiPort), LOG_LEVEL: 'error', RATE_LIMIT_PER_SECOND: '0' },
        apiLog,
      );
      stops.push(() => stopChild(api));
      await waitForLine(apiLog, /API listening/, api, 60_000);
      apiUrls.push(`http://127.0.0.1:${apiPort}`);
      apiPids.push(api.pid ?? 0);
    }
    log(
      `[stack] ready: temporal ${server.address}, ${apiUrls.length} API process(es), worker pid ${workerPid}`,
    );
    return {
      dir,
      db,
      databaseUrl: pg.url,
      temporalAddress: server.address,
      apiUrls,
      secretKey,
      accountId: account.id,
      taskQueue: TASK_QUEUE,
      workflowBundlePath: bundlePath,
      workerPid,
      apiPids,
      temporalPid,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// The environment of an API process on this stack, as the benchmark runs them (no request
// lines, no rate limit): for the tools that start API processes of their own.
export function benchApiEnvironment(
  stack: Pick<BenchStack, 'databaseUrl' | 'temporalAddress' | 'taskQueue'>,
  port: number,
): Record<string, string> {
  return {
    DATABASE_URL: stack.databaseUrl,
    TEMPORAL_ADDRESS: stack.temporalAddress,
    TEMPORAL_NAMESPACE: 'default',
    TASK_QUEUE: stack.taskQueue,
    PORT: String(port),
    LOG_LEVEL: 'error',
    RATE_LIMIT_PER_SECOND: '0',
  };
}

// The dev server's pid, found by its unique --port argument (it is a grandchild of ours).
function findPid(argument: string): number | null {
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes('start-dev') && cmdline.includes(argument)) return Number(entry);
    } catch {
      // the process ended meanwhile
    }
  }
  return null;
}
