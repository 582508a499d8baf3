// Activities are built from their dependencies, so tests and the worker wire real ones alike.
import type { ActivityDeps } from './deps';
import { createEventDispatchActivities } from './event-dispatch';
import { createEmailActivities } from './email-invoice';
import { createFinalizeActivities } from './finalize';
import { createInvoiceActivities } from './invoices';
import { createPaymentActivities } from './payments';
import { createSubscriptionActivities } from './subscriptions';
import { createTestClockActivities } from './test-clocks';
import { createWebhookDeliveryActivities } from './webhook-delivery';

export function createActivities(deps: ActivityDeps) {
  return {
    ...createInvoiceActivities(deps),
    ...createFinalizeActivities(deps),
    ...createPaymentActivities(deps),
    ...createWebhookDeliveryActivities(deps),
    ...createEventDispatchActivities(deps),
    ...createTestClockActivities(deps),
    ...createSubscriptionActivities(deps),
    ...createEmailActivities(deps),
  };
}
