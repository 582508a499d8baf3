import type Stripe from 'stripe';
import type { WebhookEndpointRecord } from '../webhook-endpoint';

// The secret leaves the service once: in the answer to the create request, as Stripe does.
export function renderWebhookEndpoint(
  endpoint: WebhookEndpointRecord,
  options: { includeSecret?: boolean } = {},
): Stripe.WebhookEndpoint {
  const rendered: Stripe.WebhookEndpoint = {
    id: endpoint.id,
    object: 'webhook_endpoint',
    api_version: endpoint.apiVersion,
    application: null,
    created: endpoint.created,
    description: endpoint.description,
    enabled_events: endpoint.enabledEvents,
    livemode: false,
    metadata: endpoint.metadata,
    status: endpoint.status,
    url: endpoint.url,
  };
  if (options.includeSecret) rendered.secret = endpoint.secret;
  return rendered;
}

export function renderDeletedWebhookEndpoint(id: string): Stripe.DeletedWebhookEndpoint {
  return { id, object: 'webhook_endpoint', deleted: true };
}
