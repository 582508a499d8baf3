// Liveness and readiness while the dependencies come and go: the API's /readyz (Postgres and
// Temporal) and a standalone worker's (WORKER_HEALTH_PORT: polling, Temporal, Postgres) go
// unready within a couple of seconds when Postgres is stopped or the Temporal server killed, and
// ready again once it is back, by themselves; /healthz stays 200 throughout, and every probe
// answers within a bounded time.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../db/embedded-postgres';
import { startStack, type Stack } from '../support/stack';
import { waitFor } from '../support/wait-for';
import { spawnWorker, type WorkerProcess } from '../support/worker-process';
import { devServerPlace, startPersistentDevServer, type PersistentDevServer } from './dev-server';
import { startPostgresProcess, type PostgresProcess } from './embedded-postgres-process';

jest.setTimeout(240_000);

let dir: string;
let postgres: PostgresProcess | undefined;
let temporal: PersistentDevServer | undefined;
let stack: Stack | undefined;
let worker: WorkerProcess | undefined;
afterAll(async () => {
  await worker?.kill();
  await stack?.stop();
  await temporal?.kill();
  await postgres?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Probe {
  status: number;
  checks: Record<string, string>;
  ms: number;
}

async function probe(url: string): Promise<Probe> {
  const started = Date.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    const body = (await response.json()) as { checks?: Record<string, string> };
    return { status: response.status, checks: body.checks ?? {}, ms: Date.now() - started };
  } catch {
    return { status: 0, checks: {}, ms: Date.now() - started };
  }
}

it('goes unready when Postgres or Temporal is away, and ready again when it is back', async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'health-'));
  const pgDir = path.join(dir, 'postgres');
  const pgPort = await freePort();
  postgres = await startPostgresProcess(pgDir, pgPort);
  const place = await devServerPlace(path.join(dir, 'temporal.db'));
  temporal = await startPersistentDevServer(place);
  stack = await startStack({
    databaseAdminUrl: postgres.url,
    temporalAddress: temporal.address,
    inProcessWorker: false,
  });
  const workerPort = await freePort();
  worker = spawnWorker(stack, undefined, { WORKER_HEALTH_PORT: String(workerPort) });

  const api = (p: string) => probe(`${stack!.api.url}${p}`);
  const work = (p: string) => probe(`http://127.0.0.1:${workerPort}${p}`);
  const probes: Probe[] = [];
  const until = async (what: string, check: () => Promise<boolean>) => waitFor(check, 60_000, what);
  const readiness = async (ready: boolean, name: string) => {
    await until(`the API ${ready ? 'ready' : 'unready'} (${name})`, async () => {
      const answer = await api('/readyz');
      probes.push(answer);
      return ready ? answer.status === 200 : answer.status === 503 && answer.checks[name] !== 'ok';
    });
    await until(`the worker ${ready ? 'ready' : 'unready'} (${name})`, async () => {
      const answer = await work('/readyz');
      probes.push(answer);
      return ready ? answer.status === 200 : answer.status === 503 && answer.checks[name] !== 'ok';
    });
  };

  await readiness(true, 'postgres');
  probes.length = 0; // from here on every probe must be answered (the worker's server is up)
  expect(await api('/readyz')).toMatchObject({
    status: 200,
    checks: { postgres: 'ok', temporal: 'ok' },
  });
  expect(await work('/readyz')).toMatchObject({
    status: 200,
    checks: { worker: 'ok', temporal: 'ok', postgres: 'ok' },
  });
  // Not behind authentication: no key was sent.

  // Postgres stops: unready (Temporal still ok), alive; back on the same folder and port: ready.
  await postgres.stop();
  const stoppedAt = Date.now();
  await readiness(false, 'postgres');
  expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  expect((await api('/readyz')).checks.temporal).toBe('ok');
  expect((await api('/healthz')).status).toBe(200);
  expect((await work('/healthz')).status).toBe(200);
  postgres = await startPostgresProcess(pgDir, pgPort);
  await readiness(true, 'postgres');

  // The Temporal server is killed: unready (Postgres ok), alive; restarted on its file: ready.
  await temporal.kill();
  const killedAt = Date.now();
  await readiness(false, 'temporal');
  expect(Date.now() - killedAt).toBeLessThan(10_000);
  expect((await api('/readyz')).checks.postgres).toBe('ok');
  expect((await api('/healthz')).status).toBe(200);
  expect((await work('/healthz')).status).toBe(200);
  temporal = await startPersistentDevServer(place);
  await readiness(true, 'temporal');

  // Every probe answered, and within its bound (1.5 s per check, checks run side by side; the
  // margin is for a machine at load 13).
  expect(probes.every((answer) => answer.status === 200 || answer.status === 503)).toBe(true);
  expect(Math.max(...probes.map((answer) => answer.ms))).toBeLessThan(5_000);
});
