import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Faults } from '../activities/faults';
import { customerFacingConfigFromEnv, type CustomerFacingConfig } from '../activities/email-config';
import type { Database } from '../db/connection';
import type { TemporalConfig } from './config';
import type { WebhookUrlPolicy } from '../workflows/domain/webhook-url-policy';
import { workerBundlingOptions } from './workflow-bundle';

export interface WorkerDeps {
  connection: NativeConnection;
  config: TemporalConfig;
  db: Database;
  // A prebuilt bundle (tests build it once per run); otherwise the worker bundles the source.
  workflowBundle?: { codePath: string };
  faults?: Faults;
  // Hosted page links and email; absent: PUBLIC_URL, SMTP_URL... from the environment.
  customerFacing?: CustomerFacingConfig;
  // Where webhooks may go; absent: permissive (worker/main.ts reads WEBHOOK_URL_POLICY, strict).
  webhookUrlPolicy?: WebhookUrlPolicy;
}

export async function createWorker(
  deps: WorkerDeps,
  overrides: Partial<WorkerOptions> = {},
): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.config.namespace,
    taskQueue: deps.config.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : workerBundlingOptions()),
    activities: createActivities({
      db: deps.db,
      // A client over the worker's own connection, for activities that start workflows.
      temporal: new Client({ connection: deps.connection, namespace: deps.config.namespace }),
      taskQueue: deps.config.taskQueue,
      faults: deps.faults,
      customerFacing: deps.customerFacing ?? customerFacingConfigFromEnv(),
      webhookUrlPolicy: deps.webhookUrlPolicy,
    }),
    ...overrides,
  });
}

export async function connectWorkerToTemporal(config: TemporalConfig): Promise<NativeConnection> {
  return NativeConnection.connect({ address: config.address });
}
