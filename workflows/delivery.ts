// eventDeliveryWorkflow: delivers one event to every endpoint that was subscribed to it when
// delivery began, each endpoint on its own retry schedule (a slow or failing endpoint never
// holds back the others), for up to three days. Its id is `delivery/<evt_id>`.
import { getExternalWorkflowHandle, log, patched, proxyActivities, sleep } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { EmailInvoiceResult } from '../activities/email-invoice';
import type { DeliveryOutcome, EventDeliveryInput } from './delivery-messages';
import { attemptOffsets, DEFAULT_DELIVERY_SCHEDULE } from './domain/webhook-retry';
import { invoiceWorkflowId, webhooksDelivered } from './messages';

type Activities = ReturnType<typeof createActivities>;

// Retries here cover database faults only: an endpoint's failure is a result, and its retries
// follow the delivery schedule below. One attempt waits at most 10 s for the endpoint.
const activities = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

// The invoice email of an invoice.sent event: rendering a long PDF and an SMTP exchange take a
// while, and a mail server that is down is retried for up to three days, as webhooks are.
const emailActivities = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

async function emailInvoice(eventId: string): Promise<EmailInvoiceResult | null> {
  try {
    return await emailActivities.emailInvoice({ eventId });
  } catch (error) {
    // Out of retries: the webhooks' outcome stands on its own; the failure is in the history.
    log.warn('invoice email failed', { eventId, error: String(error) });
    return null;
  }
}

export interface EventDeliveryResult {
  eventId: string;
  type: string | null;
  objectId: string | null;
  endpoints: Record<string, DeliveryOutcome>;
  // When every endpoint had accepted the event (unix seconds; the planning time when there was
  // none); null when one failed or was canceled. Auto-finalization waits for this.
  deliveredAt: number | null;
  // invoice.sent only: the email to the customer (null: it failed for good).
  email?: EmailInvoiceResult | null;
}

export async function eventDeliveryWorkflow(input: EventDeliveryInput): Promise<EventDeliveryResult> {
  const startedAt = Date.now(); // workflow time: replay-safe
  const offsets = attemptOffsets(input.schedule ?? DEFAULT_DELIVERY_SCHEDULE);
  const plan = await activities.planEventDelivery({ eventId: input.eventId });

  async function deliverTo(endpointId: string): Promise<DeliveryOutcome> {
    for (let attempt = 0; attempt < offsets.length; attempt++) {
      const wait = startedAt + offsets[attempt] - Date.now();
      if (wait > 0) await sleep(wait);
      const next = offsets[attempt + 1];
      const result = await activities.deliverWebhook({
        eventId: input.eventId,
        endpointId,
        nextAttemptAt: next === undefined ? null : Math.ceil((startedAt + next) / 1000),
      });
      if (result !== 'retry') return result;
    }
    return 'failed';
  }

  const endpointIds = plan?.endpointIds ?? [];
  // Sent alongside the webhooks, never waiting for them (patched: deliveries that began before
  // emails existed replay without it).
  const email =
    plan?.type === 'invoice.sent' && patched('invoice-email') ? emailInvoice(input.eventId) : undefined;
  const outcomes = await Promise.all(endpointIds.map(deliverTo));
  const allAccepted = outcomes.every((outcome) => outcome === 'succeeded');
  // invoice.upcoming is about a subscription's future invoice: no invoice workflow waits for it.
  const invoiceEvent = plan?.type?.startsWith('invoice.') && plan.objectId?.startsWith('in_');
  if (plan && endpointIds.length > 0 && allAccepted && plan.objectId && invoiceEvent) {
    await tellInvoiceDelivered(plan.objectId, input.eventId);
  }
  return {
    eventId: input.eventId,
    type: plan?.type ?? null,
    objectId: plan?.objectId ?? null,
    endpoints: Object.fromEntries(endpointIds.map((id, index) => [id, outcomes[index]])),
    deliveredAt: plan?.deliveredAt ?? (plan && allAccepted ? Math.floor(Date.now() / 1000) : null),
    ...(email ? { email: await email } : {}),
  };
}

// An invoice's draft finalizes one hour after its webhooks were delivered: tell its workflow.
async function tellInvoiceDelivered(invoiceId: string, eventId: string): Promise<void> {
  try {
    await getExternalWorkflowHandle(invoiceWorkflowId(invoiceId)).signal(webhooksDelivered, {
      eventId,
      at: Math.floor(Date.now() / 1000),
    });
  } catch (error) {
    // The invoice's workflow has ended (a deleted draft): nothing waits for this delivery.
    log.info('invoice workflow did not take the delivery signal', { invoiceId, error: String(error) });
  }
}
