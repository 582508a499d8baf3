// A process's Prometheus metrics (prom-client's default registry; the API's, the activities' and
// two gauges read from Postgres when scraped, at most every 10 s whatever the scrape rate),
// served on METRICS_PORT by the API, the worker and `npm start` (api/server.ts, worker/main.ts,
// scripts/start.ts); and the Temporal SDK's own worker metrics.
import http from 'node:http';
import { listenOn, type ListeningServer } from './http-listen';
import client from 'prom-client';
import type { Database } from '../db/connection';

const registry = client.register;

// The gauges read Postgres through whichever database the process registered last.
let gaugeDb: Database | null = null;
const CACHE_MS = 10_000;
let cached: { at: number; byStatus: Array<{ status: string; n: number }>; oldest: number | null } | null =
  null;

async function readDatabase(): Promise<typeof cached> {
  if (!gaugeDb) return null;
  if (cached && Date.now() - cached.at < CACHE_MS) return cached;
  const db = gaugeDb;
  const [byStatus, oldest] = await Promise.all([
    db.raw<{ rows: Array<{ status: string; n: number }> }>(
      'select status, count(*)::int as n from invoices where not deleted group by status',
    ),
    db.raw<{ rows: Array<{ created: string | null }> }>(
      "select min(created) as created from webhook_deliveries where status = 'pending'",
    ),
  ]);
  const created = oldest.rows[0]?.created;
  cached = { at: Date.now(), byStatus: byStatus.rows, oldest: created == null ? null : Number(created) };
  return cached;
}

const STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'];

new client.Gauge({
  name: 'invoicing_invoices',
  help: 'Invoices by status (from Postgres, refreshed at most every 10 s)',
  labelNames: ['status'] as const,
  async collect() {
    const data = await readDatabase().catch(() => null);
    if (!data) return;
    for (const status of STATUSES) this.set({ status }, 0);
    for (const row of data.byStatus) this.set({ status: row.status }, row.n);
  },
});

new client.Gauge({
  name: 'invoicing_webhook_oldest_pending_seconds',
  help: 'Age of the oldest webhook delivery not yet accepted (0 when none is pending)',
  async collect() {
    const data = await readDatabase().catch(() => null);
    if (!data) return;
    this.set(data.oldest === null ? 0 : Math.max(0, Date.now() / 1000 - data.oldest));
  },
});

export function registerDatabaseGauges(db: Database): void {
  gaugeDb = db;
  cached = null;
}

// GET /metrics on a port of its own (METRICS_PORT), never on the API's public port.
let defaultsCollected = false;

export async function startMetricsServer(port: number, host: string): Promise<ListeningServer> {
  if (!defaultsCollected) {
    client.collectDefaultMetrics({ prefix: 'invoicing_' }); // memory, CPU, event loop lag
    defaultsCollected = true;
  }
  const server = http.createServer((req, res) => {
    if ((req.url ?? '').split('?')[0] !== '/metrics' || req.method !== 'GET') {
      res.writeHead(404).end();
      return;
    }
    registry.metrics().then(
      (text) => {
        res.writeHead(200, { 'Content-Type': registry.contentType });
        res.end(text);
      },
      (error: unknown) => {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(error));
      },
    );
  });
  return listenOn(server, port, host);
}

// METRICS_PORT (and METRICS_HOST, default 127.0.0.1): the process's /metrics, or nothing.
export async function metricsServerFromEnv(
  db: Database,
  log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ close(): Promise<void> } | null> {
  if (!env.METRICS_PORT) return null;
  registerDatabaseGauges(db);
  const server = await startMetricsServer(Number(env.METRICS_PORT), env.METRICS_HOST || '127.0.0.1');
  log(`metrics on http://${env.METRICS_HOST || '127.0.0.1'}:${server.port}/metrics`);
  return server;
}

// TEMPORAL_METRICS_ADDRESS (host:port): the Temporal SDK's own worker metrics (its Rust core's
// Prometheus exporter: polls, task latencies, slots, sticky cache...), for Runtime.install.
export function temporalTelemetryFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const bindAddress = env.TEMPORAL_METRICS_ADDRESS;
  return bindAddress
    ? { metrics: { prometheus: { bindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } }
    : undefined;
}
