// The API's Prometheus metrics: every request by route template (`/v1/invoices/:id`, never an
// id), method and status, with its latency; and the Workflow Updates Temporal refused and the
// API sent again or gave up on (api/update-retry.ts). Same registry as activities/metrics.ts.
import type { NextFunction, Request, Response } from 'express';
import client from 'prom-client';
import type { UpdateRefusal } from './update-retry';

const requests = new client.Counter({
  name: 'invoicing_http_requests_total',
  help: 'HTTP requests by route template, method and status',
  labelNames: ['route', 'method', 'status'] as const,
});

const requestSeconds = new client.Histogram({
  name: 'invoicing_http_request_duration_seconds',
  help: 'HTTP request latency by route template, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25],
});

const refusals = new client.Counter({
  name: 'invoicing_workflow_update_refusals_total',
  help: 'Workflow Updates Temporal refused before running them, by kind, and whether the API sent them again or gave up (429 lock_timeout)',
  labelNames: ['refusal', 'outcome'] as const,
});

export function countRefusal(refusal: UpdateRefusal, outcome: 'sent-again' | 'gave-up'): void {
  refusals.inc({ refusal, outcome });
}

// The matched route's template once the answer is sent; `unmatched` for 404s of unknown URLs.
// Routers are mounted at '/v1' or at the root (api/app.ts); after an error left the router,
// Express has already reset req.baseUrl, so the mount is read from the URL.
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return 'unmatched';
  const mount = req.baseUrl || (req.originalUrl.startsWith('/v1/') ? '/v1' : '');
  return `${mount}${path}`;
}

export function httpMetrics() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const end = requestSeconds.startTimer();
    res.once('finish', () => {
      const labels = { route: routeOf(req), method: req.method, status: String(res.statusCode) };
      requests.inc(labels);
      end(labels);
    });
    next();
  };
}
