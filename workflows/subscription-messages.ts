// The subscription workflow's messages, shared by the API, the worker, invoice workflows and tests.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CollectionSettings } from './domain/collection-settings';
import type { CreateSubscriptionCommand } from './domain/subscription-create';
import type { InvoiceOutcome, SubscriptionDeadline } from './domain/subscription-lifecycle';
import type { SubscriptionState } from './domain/subscription-types';
import type { UpdateSubscriptionCommand } from './domain/subscription-update';
import type { Caller, ClockBinding } from './messages';

export const SUBSCRIPTION_WORKFLOW_TYPE = 'subscriptionWorkflow';
export function subscriptionWorkflowId(subscriptionId: string): string {
  return `subscription/${subscriptionId}`;
}

export interface SubscriptionWorkflowInput {
  subscriptionId: string;
  accountId: string;
  clock?: ClockBinding | null;
  // Collection settings at creation (invoice.upcoming's notice comes from them).
  settings?: CollectionSettings;
  // Carried across continue-as-new; absent on the first run.
  state?: SubscriptionState;
}

export type CreateSubscriptionArgs = Caller & { command: CreateSubscriptionCommand };
export type UpdateSubscriptionArgs = Caller & { command: UpdateSubscriptionCommand };
export type CancelSubscriptionArgs = Caller & { prorate?: boolean; invoiceNow?: boolean };

export const createSubscription = defineUpdate<SubscriptionState, [CreateSubscriptionArgs]>(
  'createSubscription',
);
export const updateSubscription = defineUpdate<SubscriptionState, [UpdateSubscriptionArgs]>(
  'updateSubscription',
);
export const cancelSubscription = defineUpdate<SubscriptionState, [CancelSubscriptionArgs]>(
  'cancelSubscription',
);
export const getSubscription = defineQuery<SubscriptionState | null>('getSubscription');
export const getSubscriptionPlan = defineQuery<{
  next: SubscriptionDeadline | null;
  clock: ClockBinding | null;
}>('getSubscriptionPlan');

// Sent by an invoice workflow of the subscription when its status changes or a payment fails.
export type SubscriptionInvoiceSignal = InvoiceOutcome & { accountId: string };
export const subscriptionInvoiceChanged = defineSignal<[SubscriptionInvoiceSignal]>(
  'subscriptionInvoiceChanged',
);
