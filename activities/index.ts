// Activities are built from their dependencies, so tests and the worker wire real ones alike.
import type { Client } from '@temporalio/client';
import type { Database } from '../db/connection';
import type { Faults } from './faults';
import type { WebhookUrlPolicy } from './webhook-url-policy';
import { createEventDispatchActivities } from './event-dispatch';
import { createEmailActivities } from './email-invoice';
import type { CustomerFacingConfig } from './email-config';
import { createFinalizeActivities } from './finalize';
import { createInvoiceActivities } from './invoices';
import { createPaymentActivities } from './payments';
import { createSubscriptionActivities } from './subscriptions';
import { createTestClockActivities } from './test-clocks';
import { createWebhookDeliveryActivities } from './webhook-delivery';

export interface ActivityDeps {
  db: Database;
  // Only activities that start workflows (event dispatch) use these.
  temporal?: Client;
  taskQueue?: string;
  // Crash tests only: points where a worker stops dead (activities/faults.ts).
  faults?: Faults;
  // Hosted page links and email (activities/email-config.ts); absent: from the environment.
  customerFacing?: CustomerFacingConfig;
  // Where webhooks may go (WEBHOOK_URL_POLICY); absent: permissive.
  webhookUrlPolicy?: WebhookUrlPolicy;
}

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
