// `npm run cluster`: the production topology on this machine. The real Temporal server (built
// here with `go install`, on first use) on Postgres (embedded under .data/cluster/, or
// DATABASE_URL), two worker processes, two API processes and one port in front of them.
// Ctrl-C (or SIGTERM, SIGHUP) stops the proxy, the APIs, the workers, the Temporal server and Postgres.
// Options: --workers=N, --apis=N (2 each).
import fs from 'node:fs';
import path from 'node:path';
import { option } from '../bench/cli-options';
import { newSecret } from '../db/random-ids';
import { startCluster } from './cluster-stack';

const root = path.resolve(__dirname, '..');
const dataDir = path.resolve(root, process.env.DATA_DIR ?? path.join('.data', 'cluster'));
const log = (line: string) => console.log(line);

function secretKey(): string {
  if (process.env.INVOICING_DEV_KEY) return process.env.INVOICING_DEV_KEY;
  const file = path.join(dataDir, 'dev-secret-key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const key = newSecret('sk_test');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

async function main(): Promise<void> {
  const key = secretKey();
  const temporalAddress = process.env.TEMPORAL_ADDRESS;
  if (temporalAddress)
    throw new Error('npm run cluster runs a Temporal server of its own: unset TEMPORAL_ADDRESS');
  const cluster = await startCluster({
    dataDir,
    secretKey: key,
    workers: Number(option('workers') ?? 2),
    apis: Number(option('apis') ?? 2),
    port: Number(process.env.PORT ?? 4242),
    host: process.env.HOST ?? '127.0.0.1',
    // 0: a free port
    temporalPort: Number(process.env.TEMPORAL_PORT ?? 7233) || undefined,
    namespace: process.env.TEMPORAL_NAMESPACE,
    taskQueue: process.env.TASK_QUEUE,
    log,
  });
  let stopping = false;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    log('[cluster] stopping...');
    await cluster.stop();
    log('[cluster] stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
  process.on('SIGHUP', () => void stopAll());
  log('');
  log('Invoicing engine is running (cluster topology)');
  log(
    `  API:              ${cluster.url} (round robin over ${cluster.apis.map((api) => api.url).join(', ')})`,
  );
  log(
    `  Temporal:         ${cluster.temporalAddress} (server, namespace ${cluster.namespace}, task queue ${cluster.taskQueue})`,
  );
  log(`  Workers:          ${cluster.workers.map((worker) => `pid ${worker.child.pid}`).join(', ')}`);
  log(`  Logs:             ${path.relative(root, path.join(dataDir, 'logs'))}/`);
  log(`  Secret key:       ${key}`);
  log('Press Ctrl-C to stop.');
  for (const child of [...cluster.workers, ...cluster.apis]) {
    child.child.once('exit', (code, signal) => {
      if (!stopping) log(`[cluster] ${child.name} exited (${code ?? signal}); see ${child.logFile}`);
    });
  }
}

main().catch((error: unknown) => {
  console.error(
    `[cluster] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
  );
  process.exit(1);
});
