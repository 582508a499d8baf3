import type { Knex } from 'knex';

// PaymentIntents with a life of their own: made without confirming (no payment method, no
// outcome yet), confirmed, canceled, captured. `status` now holds Stripe's PaymentIntent status
// (rows written before keep succeeded | requires_action | declined, read as Stripe's).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.text('payment_method').nullable().alter();
    t.jsonb('outcome').nullable().alter();
    t.text('capture_method').notNullable().defaultTo('automatic');
    t.text('confirmation_method').notNullable().defaultTo('automatic');
    t.bigInteger('canceled_at');
    t.text('cancellation_reason');
    t.text('latest_charge');
    t.bigInteger('amount_received');
    t.index(['account_id', 'customer_id', 'seq']);
    t.index(['account_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.dropIndex(['account_id', 'customer_id', 'seq']);
    t.dropIndex(['account_id', 'seq']);
    t.dropColumn('capture_method');
    t.dropColumn('confirmation_method');
    t.dropColumn('canceled_at');
    t.dropColumn('cancellation_reason');
    t.dropColumn('latest_charge');
    t.dropColumn('amount_received');
  });
}
