// The API's Prometheus metrics: every request by route template (`/v1/invoices/:id`, never an
// id), method and status, with its latency. Served by worker/metrics-server.ts; the Workflow
// Updates Temporal refused are counted where they are sent (workflows/client/workflow-updates.ts).
import type { NextFunction, Request, Response } from 'express';
import client from 'prom-client';

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

// The matched route's template once the answer is sent; `unmatched` for 404s of unknown URLs.
// Routers are mounted at '/v1' or at the root (api/app.ts); after an error left the router,
// Express has already reset req.baseUrl, so the mount is read from the URL.
function routeOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return 'unmatched';
  const mount = req.baseUrl || (req.originalUrl.startsWith('/v1/') ? '/v1' : '');
  return `${mount}${path}`;
}

// Each (route, method, status) gets its labelled children once; a request then costs a map
// lookup, an increment and a bucket search, not prom-client's label hashing twice.
const children = new Map<
  string,
  { count: ReturnType<typeof requests.labels>; seconds: ReturnType<typeof requestSeconds.labels> }
>();

function childrenOf(route: string, method: string, status: string) {
  const key = `${route} ${method} ${status}`;
  let found = children.get(key);
  if (!found) {
    found = {
      count: requests.labels(route, method, status),
      seconds: requestSeconds.labels(route, method, status),
    };
    children.set(key, found);
  }
  return found;
}

export function httpMetrics() {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    res.once('finish', () => {
      const { count, seconds } = childrenOf(routeOf(req), req.method, String(res.statusCode));
      count.inc();
      seconds.observe((performance.now() - started) / 1000);
    });
    next();
  };
}
