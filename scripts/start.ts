// `npm start`: the whole service on one machine — Temporal dev server, embedded Postgres (or
// DATABASE_URL), migrations, one worker and the API. Ctrl-C stops every part cleanly.
import fs from 'node:fs';
import path from 'node:path';
import { connectClient, listen } from '../api/server';
import { apiConfigFromEnv } from '../api/config';
import { connectDatabase, migrateToLatest } from '../db/connection';
import { newSecret } from '../db/random-ids';
import { ensureAccountWithKey } from '../db/repositories/accounts';
import { temporalConfigFromEnv, webhookUrlPolicyFromEnv } from '../worker/config';
import { connectWorkerToTemporal, createWorker } from '../worker/create-worker';
import { startEventDispatcher } from '../worker/event-dispatcher';
import { workerCheck } from '../worker/health';
import { metricsServerFromEnv, temporalTelemetryFromEnv } from '../worker/metrics-server';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { endProgressLine, shownPath } from './progress';
import { resolveTemporalCli } from './temporal-cli';
import { openLocalDatabase, type LocalDatabase } from './local-database';
import { supervise, type SupervisedChild } from './supervise';
import { startDevServer } from './temporal-dev-server';

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
const log = (line: string) => {
  endProgressLine(); // a build's progress line, when Ctrl-C comes during it
  console.log(line);
};

function devSecretKey(): string {
  if (process.env.INVOICING_DEV_KEY) return process.env.INVOICING_DEV_KEY;
  const file = path.join(dataDir, 'dev-secret-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const key = newSecret('sk_test');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

async function main(): Promise<void> {
  // This supervisor owns shutdown: the SDK must not stop the worker on signals by itself.
  Runtime.install({
    logger: new DefaultLogger('WARN'),
    shutdownSignals: [],
    telemetryOptions: temporalTelemetryFromEnv(),
  });
  const stops: Array<() => Promise<void>> = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('[start] stopping...');
    for (const stop of stops.reverse()) {
      await stop().catch((error: unknown) => log(`[start] while stopping: ${String(error)}`));
    }
    log('[start] stopped');
    process.exit(code);
  };
  // SIGHUP: the terminal closed (bootstrap.js passes it on to this process group of ours).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stopAll(0));

  try {
    const cli = await resolveTemporalCli();
    log(`[start] temporal CLI: ${shownPath(cli)}`);

    const opened = await openLocalDatabase(dataDir, log);
    // Our own embedded cluster is restarted when it dies (same folder, port and URL): the pool
    // reconnects by itself, and requests meanwhile get a 503 to retry.
    const database =
      opened.exited && opened.restart
        ? supervise({
            name: 'embedded Postgres',
            first: opened as LocalDatabase & SupervisedChild,
            restart: () => opened.restart!() as Promise<LocalDatabase & SupervisedChild>,
            log,
            onGiveUp: (message) => {
              log(message);
              void stopAll(1);
            },
          })
        : null;
    if (opened.pid) log(`[start] embedded Postgres pid ${opened.pid}`);
    stops.push(() => (database ? database.stop() : opened.stop()));
    const db = connectDatabase(opened.url);
    stops.push(() => db.destroy());
    await migrateToLatest(db);
    const secretKey = devSecretKey();
    await ensureAccountWithKey(db, 'Development account', secretKey);

    // TEMPORAL_PORT: where our own dev server listens (when TEMPORAL_ADDRESS names none).
    const temporalConfig = temporalConfigFromEnv(
      process.env.TEMPORAL_ADDRESS
        ? process.env
        : { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${process.env.TEMPORAL_PORT || 7233}` },
    );
    let uiUrl = process.env.TEMPORAL_UI_URL ?? '(external Temporal: see its own Web UI)';
    if (!process.env.TEMPORAL_ADDRESS) {
      const [ip, port] = temporalConfig.address.split(':');
      log(
        `[start] starting the Temporal dev server (state in ${shownPath(path.join(dataDir, 'temporal.db'))}, ` +
          `log in ${shownPath(path.join(dataDir, 'temporal.log'))})`,
      );
      const startServer = () =>
        startDevServer({
          cli,
          dataDir,
          ip,
          port: Number(port),
          uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
          namespace: temporalConfig.namespace,
          log,
        });
      const server = await startServer();
      log(`[start] Temporal dev server pid ${server.pid}`);
      // Restarted on its SQLite file when it dies; the worker and the API reconnect by themselves.
      const supervision = supervise({
        name: 'Temporal dev server',
        first: server,
        restart: startServer,
        log,
        onGiveUp: (message) => {
          log(message);
          void stopAll(1);
        },
      });
      stops.push(() => supervision.stop());
      uiUrl = server.uiUrl;
    }

    const workerConnection = await connectWorkerToTemporal(temporalConfig);
    stops.push(() => workerConnection.close());
    log('[start] bundling workflows and starting the worker...');
    const worker = await createWorker({
      connection: workerConnection,
      config: temporalConfig,
      db,
      // One machine, a developer's: webhooks may go to a receiver on it (WEBHOOK_URL_POLICY).
      webhookUrlPolicy: webhookUrlPolicyFromEnv('permissive'),
    });
    const workerRun = worker.run();
    stops.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun;
    });

    const temporal = await connectClient(temporalConfig);
    stops.push(() => temporal.connection.close());
    const dispatcher = startEventDispatcher({ db, temporal, taskQueue: temporalConfig.taskQueue, log });
    stops.push(() => dispatcher.stop());
    // One process: the API is ready when its worker polls too.
    const api = await listen(
      { db, temporal, temporalConfig, readinessChecks: [workerCheck(worker)] },
      apiConfigFromEnv(process.env, 'permissive'),
    );
    stops.push(() => api.close());
    const metrics = await metricsServerFromEnv(db, (line) => log(`[start] ${line}`));
    if (metrics) stops.push(() => metrics.close());

    log('');
    log('Invoicing engine is running');
    log(`  API:              ${api.url}`);
    log(`  Temporal Web UI:  ${uiUrl}`);
    log(
      `  Temporal:         ${temporalConfig.address} (namespace ${temporalConfig.namespace}, task queue ${temporalConfig.taskQueue})`,
    );
    log(`  Secret key:       ${secretKey}`);
    log(`  Try: curl ${api.url}/v1/customers -u ${secretKey}: -d email=jenny@example.com`);
    log('Press Ctrl-C to stop.');
    workerRun.catch((error: unknown) => {
      log(`[start] worker failed: ${String(error)}`);
      void stopAll(1);
    });
  } catch (error) {
    log(`[start] failed: ${error instanceof Error ? error.stack : String(error)}`);
    const logs = ['postgres.log', 'temporal.log']
      .map((name) => path.join(dataDir, name))
      .filter(fs.existsSync);
    if (logs.length > 0) log(`[start] logs: ${logs.map(shownPath).join(', ')}`);
    await stopAll(1);
  }
}

void main();
