// The worker process on its own (production): TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TASK_QUEUE,
// DATABASE_URL, optionally WORKFLOW_BUNDLE (a prebuilt bundle: faster start). It runs migrations
// too, so either process may start first.
import { Client } from '@temporalio/client';
import { connectDatabase, migrateToLatest } from '../db/connection';
import { requireEnv, temporalConfigFromEnv, webhookUrlPolicyFromEnv, workerTuningFromEnv } from './config';
import { connectWorkerToTemporal, createWorker } from './create-worker';
import { startEventDispatcher } from './event-dispatcher';
import { faultsFromEnv } from '../activities/faults';
import { metricsServerFromEnv, temporalTelemetryFromEnv } from './metrics-server';
import { Runtime } from '@temporalio/worker';
import { postgresCheck, readinessProbe, startHealthServer, temporalCheck, workerCheck } from './health';

async function main(): Promise<void> {
  const telemetryOptions = temporalTelemetryFromEnv();
  if (telemetryOptions) Runtime.install({ telemetryOptions });
  const config = temporalConfigFromEnv();
  const db = connectDatabase(requireEnv('DATABASE_URL'));
  await migrateToLatest(db);
  const connection = await connectWorkerToTemporal(config);
  const bundle = process.env.WORKFLOW_BUNDLE;
  const worker = await createWorker(
    {
      connection,
      config,
      db,
      workflowBundle: bundle ? { codePath: bundle } : undefined,
      faults: faultsFromEnv(),
      // Standalone means production: webhooks only to public addresses unless told otherwise.
      webhookUrlPolicy: webhookUrlPolicyFromEnv('strict'),
    },
    workerTuningFromEnv(),
  );
  console.log(`worker polling task queue "${config.taskQueue}" on ${config.address} (${config.namespace})`);
  const temporal = new Client({ connection, namespace: config.namespace });
  // EVENT_DISPATCHER=off leaves starting deliveries to other processes.
  const dispatcher =
    process.env.EVENT_DISPATCHER === 'off'
      ? null
      : startEventDispatcher({ db, temporal, taskQueue: config.taskQueue });
  // WORKER_HEALTH_PORT: GET /healthz (alive) and /readyz (polling, Temporal and Postgres answer).
  const healthPort = process.env.WORKER_HEALTH_PORT;
  const health = healthPort
    ? await startHealthServer(
        Number(healthPort),
        process.env.WORKER_HEALTH_HOST || '127.0.0.1',
        readinessProbe([workerCheck(worker), temporalCheck(connection), postgresCheck(db)]),
      )
    : null;
  if (health) console.log(`worker health on port ${health.port} (/healthz, /readyz)`);
  const metrics = await metricsServerFromEnv(db, (line) => console.log(line));
  // Worker.run() installs SIGINT/SIGTERM handlers and drains in-flight tasks before resolving.
  await worker.run();
  await health?.close();
  await metrics?.close();
  await dispatcher?.stop();
  await connection.close();
  await db.destroy();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
