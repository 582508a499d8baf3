// The outbox's reader: every event row is written with delivery_started_at null in the same
// transaction as the change that caused it; this starts its delivery workflow and marks it (or,
// when no endpoint wants the event, settles it at once without a workflow: see below).
// A crash between the start and the mark only means the next pass starts it again, which the
// workflow id makes a no-op; SKIP LOCKED lets several dispatchers share the table.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes } from '@temporalio/common';
import type { ActivityDeps } from './deps';
import type { Database } from '../db/connection';
import {
  deliveryWorkflowId,
  EVENT_DELIVERY_WORKFLOW_TYPE,
  TYPES_WITH_MORE_THAN_WEBHOOKS,
  type EventDeliveryInput,
} from '../workflows/delivery-messages';
import { DEFAULT_DELIVERY_SCHEDULE, type DeliverySchedule } from '../workflows/domain/webhook-retry';
import { AccountId } from '../workflows/search-attributes';
import { enabledWebhookEndpoints } from '../db/repositories/webhook-endpoints';
import { matchesEnabledEvents } from '../workflows/domain/webhook-endpoint';
import type { Knex } from 'knex';
import { prepared } from '../db/prepared-statements';

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
  const now = Math.floor(Date.now() / 1000);
  const taken = await takePendingEvents(db, limit, now);
  const rest = taken.filter((row) => !row.settled).map((row) => row.id);
  if (rest.length > 0) await startDeliveries(db, temporalClient, taskQueue, rest, schedule, now);
  return taken.length;
}

// The oldest pending events, and in the same statement the settling (see below) of those whose
// account has no enabled endpoint at all: most passes end here, one statement instead of a
// transaction of six (bench/RESULTS.md). The rest are only read: startDeliveries takes them.
async function takePendingEvents(
  db: Database,
  limit: number,
  now: number,
): Promise<Array<PendingEventRow & { settled: boolean }>> {
  const result = await prepared(
    db.raw(
      `with picked as (
         select id, account_id, type, seq from events
         where delivery_started_at is null
         order by seq limit ? for update skip locked
       ), settled as (
         update events as e
         set delivery_started_at = ?, webhooks_delivered_at = coalesce(e.webhooks_delivered_at, ?)
         from picked as p
         where e.id = p.id and p.type <> all(?::text[]) and not exists (
           select 1 from webhook_endpoints as w
           where w.account_id = p.account_id and w.deleted = false and w.status = 'enabled')
         returning e.id
       )
       select p.id, p.account_id, p.type, p.id in (select id from settled) as settled
       from picked as p order by p.seq`,
      [limit, now, now, [...TYPES_WITH_MORE_THAN_WEBHOOKS]],
    ),
  );
  return result.rows as Array<PendingEventRow & { settled: boolean }>;
}

// Events of accounts with endpoints (or whose workflow does more than webhooks), as before: in
// one transaction, settled if no endpoint wants them, else their delivery workflow started, and
// marked. Another dispatcher may have taken some meanwhile: SKIP LOCKED and the null check
// leave those to it.
async function startDeliveries(
  db: Database,
  temporalClient: Client,
  taskQueue: string,
  ids: string[],
  schedule: DeliverySchedule,
  now: number,
): Promise<void> {
  await db.transaction(async (trx) => {
    const rows = (await prepared(
      trx('events')
        .whereRaw('id = any(?)', [ids])
        .whereNull('delivery_started_at')
        .forUpdate()
        .skipLocked()
        .select('id', 'account_id', 'type'),
    )) as PendingEventRow[];
    if (rows.length === 0) return;
    const settled = await settleEventsWithoutEndpoints(trx, rows, now);
    await Promise.all(
      rows
        .filter((row) => !settled.has(row.id))
        .map((row) => startDelivery(temporalClient, taskQueue, row, schedule)),
    );
    await prepared(
      trx('events')
        .whereRaw('id = any(?)', [rows.map((row) => row.id)])
        .update({ delivery_started_at: now }),
    );
  });
}

// An event that no enabled endpoint of its account subscribes to right now has nothing to
// deliver: it is settled here as the delivery workflow's planning would settle it (delivered at
// once, pending_webhooks left at 0), without starting a workflow. Most events of an account
// without endpoints go this way; on this 2-core machine a delivery workflow per event cost more
// Temporal work than the invoice workflows themselves (bench/RESULTS.md). Endpoints are read as
// of now, exactly as planning reads them as of its own moment.
async function settleEventsWithoutEndpoints(
  trx: Knex.Transaction,
  rows: PendingEventRow[],
  now: number,
): Promise<Set<string>> {
  const endpointsByAccount = new Map<string, string[][]>();
  for (const accountId of new Set(rows.map((row) => row.account_id))) {
    const endpoints = await enabledWebhookEndpoints(trx, accountId);
    endpointsByAccount.set(
      accountId,
      endpoints.map((endpoint) => endpoint.enabledEvents),
    );
  }
  const settled = rows.filter(
    (row) =>
      !TYPES_WITH_MORE_THAN_WEBHOOKS.has(row.type) &&
      !(endpointsByAccount.get(row.account_id) ?? []).some((enabled) =>
        matchesEnabledEvents(enabled, row.type),
      ),
  );
  if (settled.length > 0) {
    await prepared(trx('events').whereRaw('id = any(?)', [settled.map((row) => row.id)]))
      .whereNull('webhooks_delivered_at')
      .update({ webhooks_delivered_at: now });
  }
  return new Set(settled.map((row) => row.id));
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
