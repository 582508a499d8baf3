// Liveness and readiness, for load balancers, orchestrators and the supervisors: the API mounts
// them on its own port (api/app.ts), the worker serves them on WORKER_HEALTH_PORT. Liveness is
// "the process answers"; readiness runs cheap checks (Postgres `select 1`, Temporal's
// GetSystemInfo, the worker polling), each bounded by a timeout, at most once per second
// whatever the probe rate (concurrent probes share one run).
import http from 'node:http';
import { listenOn, type ListeningServer } from './http-listen';
import type { Worker } from '@temporalio/worker';
import type { Database } from '../db/connection';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, string>; // 'ok' or why not
}

export interface ReadinessProbe {
  (): Promise<Readiness>;
}

const CHECK_TIMEOUT_MS = 1500;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function readinessProbe(checks: ReadinessCheck[], cacheMs = 1000): ReadinessProbe {
  let last: { at: number; result: Readiness } | null = null;
  let running: Promise<Readiness> | null = null;
  const run = async (): Promise<Readiness> => {
    const outcomes = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), CHECK_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (error) {
          return [name, error instanceof Error ? error.message.split('\n')[0] : String(error)] as const;
        }
      }),
    );
    return { ready: outcomes.every(([, outcome]) => outcome === 'ok'), checks: Object.fromEntries(outcomes) };
  };
  return () => {
    if (last && Date.now() - last.at < cacheMs) return Promise.resolve(last.result);
    running ??= run()
      .then((result) => {
        last = { at: Date.now(), result };
        return result;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
}

export const postgresCheck = (db: Database): ReadinessCheck => ({
  name: 'postgres',
  check: async () => {
    await db.raw('select 1');
  },
});

// The frontend answers GetSystemInfo: what every client call goes through first.
export const temporalCheck = (connection: {
  workflowService: { getSystemInfo(request: object): Promise<unknown> };
  withDeadline<T>(deadline: number, fn: () => Promise<T>): Promise<T>;
}): ReadinessCheck => ({
  name: 'temporal',
  check: async () => {
    await connection.withDeadline(Date.now() + CHECK_TIMEOUT_MS, () =>
      connection.workflowService.getSystemInfo({}),
    );
  },
});

// The worker is polling its task queue (it polls while RUNNING; the SDK retries a lost server).
export const workerCheck = (worker: Pick<Worker, 'getState'>): ReadinessCheck => ({
  name: 'worker',
  check: async () => {
    const state = worker.getState();
    if (state !== 'RUNNING') throw new Error(`worker ${state.toLowerCase()}`);
  },
});

export function readinessBody(readiness: Readiness): { status: number; body: string } {
  return {
    status: readiness.ready ? 200 : 503,
    body: JSON.stringify({ status: readiness.ready ? 'ready' : 'unready', checks: readiness.checks }),
  };
}

export const LIVENESS_BODY = JSON.stringify({ status: 'ok' });

// The worker's own small server: GET /healthz and /readyz, nothing else.
export async function startHealthServer(
  port: number,
  host: string,
  probe: ReadinessProbe,
): Promise<ListeningServer> {
  const server = http.createServer((req, res) => {
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, '{"status":"method not allowed"}');
    if (path === '/healthz') return send(200, LIVENESS_BODY);
    if (path === '/readyz') {
      void probe().then((readiness) => {
        const { status, body } = readinessBody(readiness);
        send(status, body);
      });
      return;
    }
    send(404, '{"status":"not found"}');
  });
  return listenOn(server, port, host);
}

// For supervisors (the cluster script): resolves once `<baseUrl>/readyz` answers 200; fails when
// the process exits first or after `timeoutMs`.
export async function waitForReady(
  baseUrl: string,
  child: { exitCode: number | null; signalCode: NodeJS.Signals | null },
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${baseUrl}: the process exited before it was ready`);
    }
    const status = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(3_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${baseUrl}/readyz not ready after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
