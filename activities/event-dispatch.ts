// The outbox's reader: every event row is written with delivery_started_at null in the same
// transaction as the change that caused it; this starts its delivery workflow and marks it.
// A crash between the start and the mark only means the next pass starts it again, which the
// workflow id makes a no-op; SKIP LOCKED lets several dispatchers share the table.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import type { ActivityDeps } from '.';
import type { Database } from '../db/connection';
import {
  deliveryWorkflowId,
  EVENT_DELIVERY_WORKFLOW_TYPE,
  type EventDeliveryInput,
} from '../workflows/delivery-messages';
import { DEFAULT_DELIVERY_SCHEDULE, type DeliverySchedule } from '../workflows/domain/webhook-retry';
import { AccountId } from '../workflows/search-attributes';

function seconds(env: NodeJS.ProcessEnv, name: string, fallbackMs: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallbackMs;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number of seconds`);
  return Math.round(value * 1000);
}

// The retry schedule given to every delivery workflow this process starts (tests shorten it).
export function deliveryScheduleFromEnv(env: NodeJS.ProcessEnv = process.env): DeliverySchedule {
  const fallback = DEFAULT_DELIVERY_SCHEDULE;
  return {
    initialDelayMs: seconds(env, 'WEBHOOK_RETRY_INITIAL_SECONDS', fallback.initialDelayMs),
    maxDelayMs: seconds(env, 'WEBHOOK_RETRY_MAX_SECONDS', fallback.maxDelayMs),
    windowMs: seconds(env, 'WEBHOOK_RETRY_WINDOW_SECONDS', fallback.windowMs),
  };
}

interface PendingEventRow {
  id: string;
  account_id: string;
  type: string;
}

async function startDelivery(
  client: Client,
  taskQueue: string,
  event: PendingEventRow,
  schedule: DeliverySchedule,
): Promise<void> {
  const input: EventDeliveryInput = { eventId: event.id, accountId: event.account_id, schedule };
  try {
    await client.workflow.start(EVENT_DELIVERY_WORKFLOW_TYPE, {
      workflowId: deliveryWorkflowId(event.id),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: new TypedSearchAttributes([{ key: AccountId, value: event.account_id }]),
      staticSummary: `Webhooks of ${event.type} ${event.id}`,
    });
  } catch (error) {
    // Already ran to completion: this event's delivery is done.
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

// Starts the delivery workflows of up to `limit` undispatched events, oldest first, and returns
// how many it took (fewer than `limit` means the queue is drained).
export async function startPendingDeliveries(
  db: Database,
  temporalClient: Client,
  taskQueue: string,
  limit = 100,
  schedule: DeliverySchedule = deliveryScheduleFromEnv(),
): Promise<number> {
  return db.transaction(async (trx) => {
    const rows = (await trx('events')
      .whereNull('delivery_started_at')
      .orderBy('seq')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .select('id', 'account_id', 'type')) as PendingEventRow[];
    if (rows.length === 0) return 0;
    await Promise.all(rows.map((row) => startDelivery(temporalClient, taskQueue, row, schedule)));
    await trx('events')
      .whereIn(
        'id',
        rows.map((row) => row.id),
      )
      .update({ delivery_started_at: Math.floor(Date.now() / 1000) });
    return rows.length;
  });
}

// The same, as an activity, for a workflow that wants its events on their way before it goes on
// (the dispatcher loop does it anyway within a fraction of a second).
export function createEventDispatchActivities(deps: ActivityDeps) {
  return {
    async dispatchPendingEvents(
      input: { limit?: number; schedule?: DeliverySchedule } = {},
    ): Promise<number> {
      if (!deps.temporal || !deps.taskQueue) {
        throw ApplicationFailure.nonRetryable('This worker has no Temporal client to start deliveries with.');
      }
      return startPendingDeliveries(deps.db, deps.temporal, deps.taskQueue, input.limit, input.schedule);
    },
  };
}
