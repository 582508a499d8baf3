// The delivery workflow's contract, shared by the dispatcher that starts it, its activities
// and tests. One workflow per event, `delivery/<evt_id>`: starting it twice is a no-op.
import type { DeliverySchedule } from './domain/webhook-retry';

export const EVENT_DELIVERY_WORKFLOW_TYPE = 'eventDeliveryWorkflow';

// Event types whose delivery workflow does more than webhooks (it emails the invoice of
// invoice.sent): those always get their workflow, endpoints or not.
export const TYPES_WITH_MORE_THAN_WEBHOOKS: ReadonlySet<string> = new Set(['invoice.sent']);

export function deliveryWorkflowId(eventId: string): string {
  return `delivery/${eventId}`;
}

export interface EventDeliveryInput {
  eventId: string;
  accountId: string;
  // When to retry; Stripe's three days (DEFAULT_DELIVERY_SCHEDULE) when absent.
  schedule?: DeliverySchedule;
}

// What became of the event at one endpoint.
export type DeliveryOutcome = 'succeeded' | 'failed' | 'canceled';

export interface DeliverWebhookInput {
  eventId: string;
  endpointId: string;
  // Unix seconds of the attempt that follows if this one fails; null when this is the last.
  nextAttemptAt: number | null;
}

// 'retry': this attempt failed and another is scheduled.
export type DeliveryAttemptResult = DeliveryOutcome | 'retry';
