// The event a change of an account-owned object records (tax_rate.created, coupon.deleted, ...),
// written in the same transaction as the change (the outbox), with Stripe's previous_attributes.
import type { Knex } from 'knex';
import { insertEvents, type EventRequest } from '../../db/repositories/invoices';
import { newId } from '../../db/random-ids';
import { nowSeconds } from './catalog-writes';

type Wire = Record<string, unknown>;

// The top-level fields that changed, with their old values.
export function previousAttributes(before: Wire, after: Wire): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(before).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(after[key])),
  );
}

export async function recordObjectEvent(
  trx: Knex.Transaction,
  object: { accountId: string; id: string },
  type: string,
  body: object,
  request: EventRequest,
  previous?: Record<string, unknown>,
): Promise<void> {
  const event = { id: newId('evt'), type, created: nowSeconds(), previousAttributes: previous };
  await insertEvents(trx, object.accountId, object.id, [event], body as Wire, request);
}
