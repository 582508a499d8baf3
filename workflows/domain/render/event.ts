import type Stripe from 'stripe';
import type { DomainEvent } from '../types';

export const API_VERSION = '2026-10-28.endive';

export function renderEvent(
  event: DomainEvent,
  object: Record<string, unknown>,
  request: { id: string | null; idempotencyKey: string | null } = { id: null, idempotencyKey: null },
): Stripe.Event {
  const data: { object: Record<string, unknown>; previous_attributes?: Record<string, unknown> } = { object };
  if (event.previousAttributes) data.previous_attributes = event.previousAttributes;
  return {
    id: event.id,
    object: 'event',
    api_version: API_VERSION,
    created: event.created,
    data,
    livemode: false,
    pending_webhooks: 0,
    request: { id: request.id, idempotency_key: request.idempotencyKey },
    type: event.type,
  } as unknown as Stripe.Event;
}
