// Prometheus counters of the activities (prom-client's default registry, one per process; under
// `npm start` the API's are in the same one): webhook deliveries and emails as they happen.
// Served with the rest of the process's metrics on METRICS_PORT (worker/metrics-server.ts).
import client from 'prom-client';

export const webhookDeliveries = new client.Counter({
  name: 'invoicing_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome: succeeded, failed (an answer other than 2xx, an error or a timeout), refused (WEBHOOK_URL_POLICY)',
  labelNames: ['outcome'] as const,
});

export const webhookDeliverySeconds = new client.Histogram({
  name: 'invoicing_webhook_delivery_duration_seconds',
  help: 'Time of one webhook delivery attempt (the POST), by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export const emails = new client.Counter({
  name: 'invoicing_emails_total',
  help: 'Invoice emails by outcome: sent (or written to the outbox), failed',
  labelNames: ['outcome'] as const,
});
