// eventDeliveryWorkflow: delivers one event to every endpoint that was subscribed to it when
// delivery began, each endpoint on its own retry schedule (a slow or failing endpoint never
// holds back the others), for up to three days. Its id is `delivery/<evt_id>`.
import { proxyActivities, sleep } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import type { DeliveryOutcome, EventDeliveryInput } from './delivery-messages';
import { attemptOffsets, DEFAULT_DELIVERY_SCHEDULE } from './domain/webhook-retry';

type Activities = ReturnType<typeof createActivities>;

// Retries here cover database faults only: an endpoint's failure is a result, and its retries
// follow the delivery schedule below. One attempt waits at most 10 s for the endpoint.
const activities = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export interface EventDeliveryResult {
  eventId: string;
  endpoints: Record<string, DeliveryOutcome>;
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
  const outcomes = await Promise.all(endpointIds.map(deliverTo));
  return {
    eventId: input.eventId,
    endpoints: Object.fromEntries(endpointIds.map((id, index) => [id, outcomes[index]])),
  };
}
