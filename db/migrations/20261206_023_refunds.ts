import type { Knex } from 'knex';

// Refunds through the test processor: of a PaymentIntent on its own (/v1/refunds) or of an
// invoice's payments (a credit note's refund_amount, allocated by the invoice's workflow). A
// PaymentIntent keeps what was refunded of it, so no refund ever takes more than it received.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('refunds', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique(); // re_...
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('payment_intent_id').notNullable();
    t.text('charge_id');
    t.text('customer_id');
    t.text('payment_method');
    t.text('credit_note_id');
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.text('reason');
    t.text('status').notNullable();
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.bigInteger('created').notNullable();
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'payment_intent_id', 'seq']);
    t.index(['account_id', 'charge_id', 'seq']);
  });
  await knex.schema.alterTable('payments', (t) => {
    t.bigInteger('amount_refunded').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.dropColumn('amount_refunded');
  });
  await knex.schema.dropTableIfExists('refunds');
}
