// The production topology on one machine, shared by `npm run cluster`, the cluster tests and
// `npm run bench -- --cluster`: Postgres (embedded, or DATABASE_URL), the real Temporal server on
// it (scripts/temporal-cluster.ts), N worker processes (worker/main.ts) and N API processes
// (api/server.ts) on ports of their own, and one port in front of the APIs (round robin).
// Every process is the project's own entry point run as a child, so any one can be killed.
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { connectDatabase, migrateToLatest, type Database } from '../db/connection';
import { freePort } from '../db/embedded-postgres';
import { ensureAccountWithKey } from '../db/repositories/accounts';
import { waitForReady } from '../worker/health';
import { workflowBundleOptions } from '../worker/workflow-bundle';
import { openLocalDatabase } from './local-database';
import { startRoundRobinProxy, type Proxy } from './round-robin-proxy';
import {
  postgresTarget,
  registerNamespace,
  setupTemporalSchemas,
  startTemporalServer,
  temporalServerPlace,
  type TemporalServer,
  type TemporalServerPlace,
} from './temporal-cluster';
import { resolveTemporalServer } from './temporal-server-build';

const root = path.resolve(__dirname, '..');

export interface ClusterOptions {
  dataDir: string;
  // A Postgres of someone else's (the tests'): used as it is, never stopped. Otherwise
  // DATABASE_URL, else an embedded one under dataDir.
  databaseUrl?: string;
  secretKey: string;
  workers?: number;
  apis?: number;
  // The one port in front of the API processes (0: a free one).
  port?: number;
  host?: string;
  // Temporal's frontend port (default: a free one).
  temporalPort?: number;
  namespace?: string;
  taskQueue?: string;
  // Extra environment for every worker and API process.
  workerEnv?: Record<string, string>;
  apiEnv?: Record<string, string>;
  log: (line: string) => void;
}

export interface ClusterProcess {
  name: string;
  child: ChildProcess;
  logFile: string;
  url?: string;
}

export interface Cluster {
  url: string;
  databaseUrl: string;
  db: Database;
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  workers: ClusterProcess[];
  apis: ClusterProcess[];
  temporal(): TemporalServer;
  // Fault injection: a crash of one process, and starting it (or a new one) again.
  killProcess(process: ClusterProcess): Promise<void>;
  startWorker(): Promise<ClusterProcess>;
  startApi(index: number): Promise<ClusterProcess>;
  killTemporal(): Promise<void>;
  startTemporal(): Promise<void>;
  stop(): Promise<void>;
}

function ended(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function waitForLine(file: string, pattern: RegExp, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (pattern.test(text)) return;
    if (ended(child)) throw new Error(`${file}: exited (${child.exitCode ?? child.signalCode})\n${text}`);
    if (Date.now() > deadline) throw new Error(`${file}: not ready after ${ms} ms\n${text.slice(-4000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function signalChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (ended(child)) return resolve();
    child.once('exit', () => resolve());
    child.kill(signal);
    if (signal !== 'SIGKILL') setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
  });
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { log } = options;
  const namespace = options.namespace ?? 'default';
  const taskQueue = options.taskQueue ?? 'invoicing';
  const logDir = path.join(options.dataDir, 'logs');
  fs.mkdirSync(logDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const fn of stops.splice(0).reverse())
      await fn().catch((e: unknown) => log(`[cluster] stop: ${String(e)}`));
  };
  try {
    const tools = await resolveTemporalServer();
    const database = options.databaseUrl
      ? { url: options.databaseUrl, stop: async () => undefined }
      : await openLocalDatabase(options.dataDir, log);
    stops.push(() => database.stop());
    const db = connectDatabase(database.url, { poolMax: 4 });
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    await ensureAccountWithKey(db, 'Development account', options.secretKey);

    const target = postgresTarget(process.env.TEMPORAL_DATABASE_URL ?? database.url);
    log(`[cluster] Temporal schemas on ${target.host}:${target.port}`);
    await setupTemporalSchemas(tools.sqlTool, target, log);
    const place: TemporalServerPlace = await temporalServerPlace(
      target,
      path.join(logDir, 'temporal.log'),
      options.temporalPort,
    );
    let server = await startTemporalServer(tools.server, place);
    stops.push(() => server.stop());
    if (await registerNamespace(server.address, namespace)) {
      // The server reads search attributes through caches that refresh every 60 s: a restart
      // makes the new ones known at once instead of failing the first workflows' upserts.
      log('[cluster] namespace and search attributes registered; restarting the server once');
      await server.stop();
      server = await startTemporalServer(tools.server, place);
    }
    log(`[cluster] Temporal server ${server.address} (pid ${server.pid})`);

    const bundle = await bundleWorkflowCode({
      ...workflowBundleOptions(),
      logger: new DefaultLogger('ERROR'),
    });
    const bundlePath = path.join(options.dataDir, 'workflow-bundle.js');
    fs.writeFileSync(bundlePath, bundle.code);

    const common = {
      DATABASE_URL: database.url,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: namespace,
      TASK_QUEUE: taskQueue,
    };
    const spawnChild = (name: string, script: string, env: Record<string, string>): ClusterProcess => {
      const logFile = path.join(logDir, `${name}.log`);
      const out = fs.openSync(logFile, 'a');
      // Node itself with tsx's loader, not the tsx CLI: the CLI would run the script in a
      // grandchild that a SIGKILL of its parent leaves running.
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, script)], {
        cwd: root,
        env: { ...process.env, ...common, ...env },
        stdio: ['ignore', out, out],
        // A group of its own: a terminal's Ctrl-C reaches the supervisor alone, which stops
        // the processes in order (the APIs, then the workers, then the server).
        detached: true,
      });
      fs.closeSync(out);
      return { name, child, logFile };
    };
    const workers: ClusterProcess[] = [];
    const apis: ClusterProcess[] = [];
    stops.push(async () => {
      await Promise.all(apis.map((api) => signalChild(api.child, 'SIGTERM')));
      await Promise.all(workers.map((worker) => signalChild(worker.child, 'SIGTERM')));
    });
    let workerCount = 0;
    const startWorker = async () => {
      const healthPort = await freePort();
      const worker = spawnChild(`worker-${++workerCount}`, 'worker/main.ts', {
        WORKFLOW_BUNDLE: bundlePath,
        WORKER_HEALTH_PORT: String(healthPort),
        ...options.workerEnv,
      });
      workers.push(worker);
      await waitForLine(worker.logFile, /worker polling/, worker.child, 120_000);
      // Polling, with Temporal and Postgres answering (worker/health.ts), before the next starts.
      await waitForReady(`http://127.0.0.1:${healthPort}`, worker.child, 60_000);
      return worker;
    };
    const apiPorts: number[] = [];
    const startApi = async (index: number) => {
      apiPorts[index] ??= await freePort();
      const api = spawnChild(`api-${index + 1}`, 'api/server.ts', {
        HOST: '127.0.0.1',
        PORT: String(apiPorts[index]),
        ...options.apiEnv,
      });
      api.url = `http://127.0.0.1:${apiPorts[index]}`;
      apis[index] = api;
      await waitForLine(api.logFile, /API listening/, api.child, 60_000);
      await waitForReady(api.url, api.child, 60_000); // Postgres and Temporal answer it
      return api;
    };
    // One at a time: each bundles nothing (the bundle is prebuilt) but both load the code.
    for (let i = 0; i < (options.workers ?? 2); i++) await startWorker();
    for (let i = 0; i < (options.apis ?? 2); i++) await startApi(i);

    const proxy: Proxy = await startRoundRobinProxy({
      host: options.host ?? '127.0.0.1',
      port: options.port ?? 0,
      backends: () => apiPorts.map((port) => ({ host: '127.0.0.1', port })),
    });
    stops.push(() => proxy.close());

    return {
      url: `http://${options.host ?? '127.0.0.1'}:${proxy.port}`,
      databaseUrl: database.url,
      db,
      temporalAddress: server.address,
      namespace,
      taskQueue,
      workers,
      apis,
      temporal: () => server,
      killProcess: (process) => signalChild(process.child, 'SIGKILL'),
      startWorker,
      startApi,
      killTemporal: () => server.kill(),
      async startTemporal() {
        server = await startTemporalServer(tools.server, place);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
