// One row per (event, endpoint) the event is owed to. The event row's pending_webhooks counts
// the rows not yet succeeded: it moves down exactly once per row, when the row first becomes
// 'succeeded', in the same transaction.
import type { Knex } from 'knex';
import type Stripe from 'stripe';
import { matchesEnabledEvents } from '../../workflows/domain/webhook-endpoint';
import type { Database } from '../connection';
import { enabledWebhookEndpoints } from './webhook-endpoints';

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface DeliveryPlan {
  accountId: string;
  type: string;
  objectId: string; // the invoice (or item) the event is about
  endpointIds: string[];
  // Set when there is nobody to deliver to: the event counts as delivered at planning time.
  deliveredAt: number | null;
}

interface PlannedEventRow {
  account_id: string;
  type: string;
  object_id: string;
  webhooks_delivered_at: number | null;
}

// Chooses the endpoints once: the account's enabled endpoints whose enabled_events match the
// event now. A retry finds the rows it made (or, with no endpoint, webhooks_delivered_at set)
// and answers the same plan. Null when the event no longer exists.
export async function planEventDelivery(
  db: Database,
  eventId: string,
  now: number,
): Promise<DeliveryPlan | null> {
  return db.transaction(async (trx) => {
    const event = (await trx('events')
      .where({ id: eventId })
      .forUpdate()
      .first('account_id', 'type', 'object_id', 'webhooks_delivered_at')) as PlannedEventRow | undefined;
    if (!event) return null;
    const plan = { accountId: event.account_id, type: event.type, objectId: event.object_id };
    const planned = (await trx('webhook_deliveries')
      .where({ event_id: eventId })
      .orderBy('seq')
      .pluck('endpoint_id')) as string[];
    if (planned.length > 0 || event.webhooks_delivered_at !== null) {
      return {
        ...plan,
        endpointIds: planned,
        deliveredAt: planned.length > 0 ? null : event.webhooks_delivered_at,
      };
    }
    const endpoints = (await enabledWebhookEndpoints(trx, event.account_id)).filter((endpoint) =>
      matchesEnabledEvents(endpoint.enabledEvents, event.type),
    );
    if (endpoints.length > 0) {
      await trx('webhook_deliveries').insert(
        endpoints.map((endpoint) => ({
          event_id: eventId,
          endpoint_id: endpoint.id,
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created: now,
        })),
      );
    }
    // With nobody to tell, the event counts as delivered at once (auto-finalization reads it);
    // pending_webhooks is then left alone, at its default of 0.
    await trx('events')
      .where({ id: eventId })
      .update(endpoints.length > 0 ? { pending_webhooks: endpoints.length } : { webhooks_delivered_at: now });
    return {
      ...plan,
      endpointIds: endpoints.map((endpoint) => endpoint.id),
      deliveredAt: endpoints.length === 0 ? now : null,
    };
  });
}

export interface DeliveryTarget {
  status: DeliveryStatus;
  url: string;
  secret: string;
  endpointLive: boolean; // neither deleted nor disabled
  event: Stripe.Event; // as stored, with pending_webhooks as of now
}

interface TargetRow {
  status: DeliveryStatus;
  url: string;
  secret: string;
  endpoint_status: string;
  deleted: boolean;
  pending_webhooks: number;
  body: Stripe.Event;
}

// The endpoint must belong to the event's account: a plan never crosses accounts, and this
// join makes sure a stray row could not either.
export async function loadDeliveryTarget(
  db: Database,
  eventId: string,
  endpointId: string,
): Promise<DeliveryTarget | null> {
  const row = (await db('webhook_deliveries as d')
    .join('events as e', 'e.id', 'd.event_id')
    .join('webhook_endpoints as w', function () {
      this.on('w.id', '=', 'd.endpoint_id').andOn('w.account_id', '=', 'e.account_id');
    })
    .where({ 'd.event_id': eventId, 'd.endpoint_id': endpointId })
    .first(
      'd.status',
      'w.url',
      'w.secret',
      'w.status as endpoint_status',
      'w.deleted',
      'e.pending_webhooks',
      'e.body',
    )) as TargetRow | undefined;
  if (!row) return null;
  return {
    status: row.status,
    url: row.url,
    secret: row.secret,
    endpointLive: !row.deleted && row.endpoint_status === 'enabled',
    event: { ...row.body, pending_webhooks: row.pending_webhooks },
  };
}

function pendingRow(db: Database | Knex.Transaction, eventId: string, endpointId: string) {
  return db('webhook_deliveries').where({ event_id: eventId, endpoint_id: endpointId, status: 'pending' });
}

// True when this call moved the row to 'succeeded' (and so counted the event down).
export async function recordDeliverySuccess(
  db: Database,
  eventId: string,
  endpointId: string,
  outcome: { statusCode: number; now: number },
): Promise<boolean> {
  return db.transaction(async (trx) => {
    const moved = await pendingRow(trx, eventId, endpointId)
      .update({
        status: 'succeeded',
        attempts: trx.raw('attempts + 1'),
        last_status_code: outcome.statusCode,
        last_error: null,
        delivered_at: outcome.now,
        next_attempt_at: null,
      })
      .returning('event_id');
    if (moved.length === 0) return false;
    await trx('events')
      .where({ id: eventId })
      .update({
        pending_webhooks: trx.raw('greatest(pending_webhooks - 1, 0)'),
        // The last endpoint to accept completes the event's delivery.
        webhooks_delivered_at: trx.raw(
          'case when pending_webhooks <= 1 then coalesce(webhooks_delivered_at, ?) else webhooks_delivered_at end',
          [outcome.now],
        ),
      });
    return true;
  });
}

// A failed attempt: stays 'pending' until its next attempt, or becomes 'failed' when there is
// none left.
export async function recordDeliveryFailure(
  db: Database,
  eventId: string,
  endpointId: string,
  outcome: { statusCode: number | null; error: string; nextAttemptAt: number | null },
): Promise<void> {
  await pendingRow(db, eventId, endpointId).update({
    status: outcome.nextAttemptAt === null ? 'failed' : 'pending',
    attempts: db.raw('attempts + 1'),
    last_status_code: outcome.statusCode,
    last_error: outcome.error.slice(0, 1000),
    next_attempt_at: outcome.nextAttemptAt,
  });
}

// The endpoint was disabled or deleted while the event was still owed to it.
export async function cancelDelivery(
  db: Database,
  eventId: string,
  endpointId: string,
  reason: string,
): Promise<void> {
  await pendingRow(db, eventId, endpointId).update({
    status: 'canceled',
    last_error: reason,
    next_attempt_at: null,
  });
}
