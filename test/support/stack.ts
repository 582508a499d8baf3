// One running service per test file: its own database, its own task queue and worker, the API
// on a random port, an account, and the official `stripe` client pointed at it.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import Stripe from 'stripe';
import knex from 'knex';
import { connectDatabase, migrateToLatest, type Database } from '../../db/connection';
import { createAccount } from '../../db/repositories/accounts';
import { newId } from '../../db/random-ids';
import { listen, type RunningApi } from '../../api/server';
import { createLogger } from '../../api/logger';
import type { RateLimitConfig } from '../../api/stripe/rate-limit';
import { createWorker } from '../../worker/create-worker';
import type { TemporalConfig } from '../../worker/config';
import { startEventDispatcher } from '../../worker/event-dispatcher';
import type { CustomerFacingConfig } from '../../activities/email-config';
import type { WebhookUrlPolicy } from '../../workflows/domain/webhook-url-policy';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface Stack {
  stripe: Stripe;
  secretKey: string;
  accountId: string;
  db: Database;
  temporal: Client;
  api: RunningApi;
  worker: Worker | null;
  config: TemporalConfig;
  databaseUrl: string;
  // The worker's hosted page base (the API's URL) and where its emails go.
  customerFacing: CustomerFacingConfig;
  stripeFor(secretKey: string): Stripe;
  newAccount(): Promise<{ stripe: Stripe; secretKey: string; accountId: string }>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the tests through jest's global setup (npm test)`);
  return value;
}

async function createDatabase(adminUrl: string): Promise<string> {
  const name = `test_${newId('db').slice(3).toLowerCase()}`;
  const admin = knex({ client: 'pg', connection: adminUrl, pool: { min: 0, max: 1 } });
  await admin.raw(`create database "${name}"`);
  await admin.destroy();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface StackOptions {
  // false: no worker in this process; the test runs workers as child processes (crash tests).
  inProcessWorker?: boolean;
  // The API's per-account limit; none by default, so suites never see 429.
  rateLimit?: RateLimitConfig;
  // How long a write waits for its workflow before 429 lock_timeout (UPDATE_WAIT_MS).
  updateWaitMs?: number;
  // Emails go to a temporary outbox folder unless a test gives an SMTP server.
  customerFacing?: Partial<CustomerFacingConfig>;
  // Another Temporal frontend than the suite's dev server (a test that restarts its own).
  temporalAddress?: string;
  // Another Postgres server to create this stack's database on (a test that stops its own).
  databaseAdminUrl?: string;
  // false: no outbox dispatcher; the test runs its passes itself (event-dispatch.test.ts).
  eventDispatcher?: boolean;
  // Which webhook URLs the API takes and the worker sends to; default permissive (local receivers).
  webhookUrlPolicy?: WebhookUrlPolicy;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  // A suite may install its own Runtime first (metrics.test.ts: the SDK's Prometheus exporter).
  if (!runtimeInstalled && !Runtime._instance) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const databaseUrl = await createDatabase(options.databaseAdminUrl ?? env('TEST_DATABASE_ADMIN_URL'));
  const db = connectDatabase(databaseUrl, { poolMax: 5 });
  await migrateToLatest(db);
  const config: TemporalConfig = {
    address: options.temporalAddress ?? env('TEST_TEMPORAL_ADDRESS'),
    namespace: 'default',
    taskQueue: `test-${newId('tq')}`,
  };
  const nativeConnection = await NativeConnection.connect({ address: config.address });
  const customerFacing: CustomerFacingConfig = {
    publicUrl: 'http://127.0.0.1', // the API's URL once it listens (below)
    emailFrom: 'invoices@example.test',
    smtpUrl: null,
    ...options.customerFacing,
    outboxDir:
      options.customerFacing?.outboxDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-outbox-')),
  };
  const worker =
    options.inProcessWorker === false
      ? null
      : await createWorker({
          connection: nativeConnection,
          config,
          db,
          workflowBundle: { codePath: env('TEST_WORKFLOW_BUNDLE') },
          customerFacing,
          webhookUrlPolicy: options.webhookUrlPolicy,
        });
  const workerRun = worker?.run();
  const connection = await Connection.connect({ address: config.address });
  const temporal = new Client({ connection, namespace: config.namespace });
  const dispatcher =
    options.eventDispatcher === false
      ? null
      : startEventDispatcher({ db, temporal, taskQueue: config.taskQueue });
  const api = await listen(
    { db, temporal, temporalConfig: config },
    {
      host: '127.0.0.1',
      port: 0,
      maxBodyBytes: 1024 * 1024,
      rateLimit: options.rateLimit,
      updateWaitMs: options.updateWaitMs,
      webhookUrlPolicy: options.webhookUrlPolicy,
    },
    // Quiet unless asked: TEST_LOG_LEVEL=info npx jest ... shows the API's request lines.
    createLogger({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  );
  const port = Number(new URL(api.url).port);
  // Activities read it per call, and none has run yet: the first request comes after this.
  if (!options.customerFacing?.publicUrl) customerFacing.publicUrl = api.url;
  const stripeFor = (secretKey: string) =>
    new Stripe(secretKey, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0 });
  const newAccount = async () => {
    const { account, secretKey } = await createAccount(db, { name: 'Test account' });
    return { stripe: stripeFor(secretKey), secretKey, accountId: account.id };
  };
  const main = await newAccount();
  return {
    ...main,
    db,
    temporal,
    api,
    worker,
    config,
    databaseUrl,
    customerFacing,
    stripeFor,
    newAccount,
    async stop() {
      await dispatcher?.stop();
      await api.close();
      worker?.shutdown();
      await workerRun;
      await nativeConnection.close();
      await connection.close();
      await db.destroy();
      if (!options.customerFacing?.outboxDir)
        fs.rmSync(customerFacing.outboxDir, { recursive: true, force: true });
    },
  };
}
