// `npm run bench -- --cluster`: the benchmark's stack on the production topology instead of the
// dev server: scripts/cluster-stack.ts (the real Temporal server on an embedded Postgres, two
// worker processes, two API processes) in a temp folder, shaped as the BenchStack the
// scenarios take. The generator talks to each API process's own port (round robin), not
// through the one-port proxy, so the proxy's CPU is not counted as ours.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findAccountByApiKey } from '../db/repositories/accounts';
import { newSecret } from '../db/random-ids';
import { startCluster } from '../scripts/cluster-stack';
import type { BenchStack } from './stack';

export interface BenchCluster extends BenchStack {
  workerPids: number[];
}

export async function startBenchCluster(options: {
  workers: number;
  apis: number;
  workerEnv?: Record<string, string>;
  log: (line: string) => void;
}): Promise<BenchCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'invoicing-bench-cluster-'));
  options.log(`[cluster] state in ${dir}`);
  const secretKey = newSecret('sk_test');
  const cluster = await startCluster({
    dataDir: dir,
    secretKey,
    workers: options.workers,
    apis: options.apis,
    port: 0,
    taskQueue: 'bench',
    // The webhook scenario's receiver listens on this machine's loopback.
    workerEnv: { WEBHOOK_URL_POLICY: 'permissive', ...options.workerEnv },
    apiEnv: { LOG_LEVEL: 'error', RATE_LIMIT_PER_SECOND: '0', WEBHOOK_URL_POLICY: 'permissive' },
    log: options.log,
  });
  const account = await findAccountByApiKey(cluster.db, secretKey);
  const workerPids = cluster.workers.map((worker) => worker.child.pid ?? 0);
  return {
    dir,
    db: cluster.db,
    databaseUrl: cluster.databaseUrl,
    temporalAddress: cluster.temporalAddress,
    apiUrls: cluster.apis.map((api) => api.url!),
    secretKey,
    accountId: account!.id,
    taskQueue: cluster.taskQueue,
    workflowBundlePath: path.join(dir, 'workflow-bundle.js'),
    workerPid: workerPids[0],
    workerPids,
    apiPids: cluster.apis.map((api) => api.child.pid ?? 0),
    temporalPid: cluster.temporal().pid,
    async stop() {
      await cluster.stop();
      if (process.env.BENCH_KEEP === '1') options.log(`[cluster] kept ${dir}`);
      else fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
