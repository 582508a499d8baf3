// The one way event rows are written. Each row is skipped when its id or reminder key is already
// stored (a retry, or a reminder the other path wrote first).
//
// Events that no endpoint can want are written already settled: delivery_started_at and
// webhooks_delivered_at are set in the insert itself when the account has no enabled webhook
// endpoint at that moment (and the type's delivery does nothing but webhooks). The outbox
// dispatcher used to settle them a moment later with an UPDATE of each row. That update rewrote
// every index of the table (the column it changes is in a partial index's predicate, so it
// cannot be HOT); on an account without endpoints it was every event, and while a test clock's
// bulk reminders were written it took CPU from them (bench/RESULTS.md). Endpoints are read as
// of the write (a bulk write's page: as of that page): one created a moment later does not
// receive the event, as on Stripe an endpoint receives the events that happen after it exists.
import type { Knex } from 'knex';
import { TYPES_WITH_MORE_THAN_WEBHOOKS } from '../../workflows/delivery-messages';

type Executor = Knex | Knex.Transaction;

export interface EventRow {
  id: string;
  account_id: string;
  type: string;
  created: number;
  object_id: string;
  body: string;
  // Set for due-date reminders only (reminderEventKey): the same reminder is stored once.
  dedupe_key: string | null;
}

const UNLESS_WATCHED = `not exists (select 1 from webhook_endpoints
  where account_id = ? and deleted = false and status = 'enabled')`;

// How a statement learns whether the account's events can be settled as they are written:
// 'in-statement' asks in the insert itself (a scalar subquery per row and column, planned once:
// for the one to three rows of a transition, which run prepared), or the answer of
// settledAtForAccount, asked once before a bulk write (hundreds of subqueries would cost more
// to plan than the rows to insert).
export type Settling = 'in-statement' | { settledAt: number | null };

// `now` (unix seconds) if no enabled endpoint of the account can want its events, else null.
export async function settledAtForAccount(
  db: Executor,
  accountId: string,
  now: number,
): Promise<number | null> {
  const result = (await db.raw(`select ${UNLESS_WATCHED} as quiet`, [accountId])) as {
    rows: Array<{ quiet: boolean }>;
  };
  return result.rows[0].quiet ? now : null;
}

function settledAt(db: Executor, row: EventRow, settling: Settling, now: number): Knex.Raw | number | null {
  if (TYPES_WITH_MORE_THAN_WEBHOOKS.has(row.type)) return null;
  if (settling !== 'in-statement') return settling.settledAt;
  return db.raw(`(select ?::bigint where ${UNLESS_WATCHED})`, [now, row.account_id]);
}

// The insert, unrun (it may be one part of a larger statement). Rows get their seq in order.
export function eventInsert(
  db: Executor,
  rows: EventRow[],
  now: number,
  settling: Settling = 'in-statement',
): Knex.QueryBuilder {
  return db('events')
    .insert(
      rows.map((row) => {
        const settled = settledAt(db, row, settling, now);
        return { ...row, delivery_started_at: settled, webhooks_delivered_at: settled };
      }),
    )
    .onConflict()
    .ignore();
}
