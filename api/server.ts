// The API process on its own (production): PORT, HOST, DATABASE_URL, TEMPORAL_ADDRESS,
// TEMPORAL_NAMESPACE, TASK_QUEUE.
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import type { Server } from 'node:http';
import { connectDatabase, migrateToLatest, type Database } from '../db/connection';
import { requireEnv, temporalConfigFromEnv, type TemporalConfig } from '../worker/config';
import { createApp } from './app';
import { stripeClientErrors } from './client-errors';
import { apiConfigFromEnv, type ApiConfig } from './config';
import { createLogger, type Logger } from './logger';
import { setUpdateWait } from '../workflows/client/workflow-updates';
import type { ReadinessCheck } from '../worker/health';
import { metricsServerFromEnv } from '../worker/metrics-server';

export interface RunningApi {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function listen(
  deps: {
    db: Database;
    temporal: Client;
    temporalConfig: TemporalConfig;
    readinessChecks?: ReadinessCheck[];
  },
  config: ApiConfig,
  logger: Logger = createLogger(),
): Promise<RunningApi> {
  if (config.updateWaitMs !== undefined) setUpdateWait(config.updateWaitMs);
  const app = createApp({
    db: deps.db,
    temporal: deps.temporal,
    taskQueue: deps.temporalConfig.taskQueue,
    maxBodyBytes: config.maxBodyBytes,
    rateLimit: config.rateLimit,
    publicUrl: config.publicUrl,
    webhookUrlPolicy: config.webhookUrlPolicy,
    readinessChecks: deps.readinessChecks,
    logger,
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  stripeClientErrors(server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    server,
    url: `http://${config.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// While the Temporal frontend is away, a request must fail soon (a 503 the client retries), not
// after the SDK's ten attempts (about 20 s); and once it is back the channel must find it soon,
// not after grpc-js' reconnect backoff has grown to minutes.
const GRPC_UNAVAILABLE = 14;

export const TEMPORAL_CHANNEL_ARGS = {
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 2_000,
};

export function apiGrpcRetryInterceptor() {
  const defaults = defaultGrpcRetryOptions();
  return makeGrpcRetryInterceptor({
    delayFunction: defaults.delayFunction,
    // UNAVAILABLE: 4 attempts, about 0.6 s of back-off (the update refusals that come as
    // UNAVAILABLE are sent again by workflows/client/update-retry.ts); anything else as the SDK decides.
    retryableDecider: (attempt, status) =>
      defaults.retryableDecider(attempt, status) && (status.code !== GRPC_UNAVAILABLE || attempt < 4),
  });
}

export async function connectClient(config: TemporalConfig): Promise<Client> {
  const connection = await Connection.connect({
    address: config.address,
    channelArgs: TEMPORAL_CHANNEL_ARGS,
    interceptors: [apiGrpcRetryInterceptor()],
  });
  return new Client({ connection, namespace: config.namespace });
}

async function main(): Promise<void> {
  const temporalConfig = temporalConfigFromEnv();
  const db = connectDatabase(requireEnv('DATABASE_URL'));
  await migrateToLatest(db);
  const temporal = await connectClient(temporalConfig);
  const api = await listen({ db, temporal, temporalConfig }, apiConfigFromEnv());
  console.log(`API listening on ${api.url}`);
  const metrics = await metricsServerFromEnv(db, (line) => console.log(line));
  const stop = async () => {
    await metrics?.close();
    await api.close();
    await temporal.connection.close();
    await db.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
