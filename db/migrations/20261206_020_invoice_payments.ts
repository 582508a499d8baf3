import type { Knex } from 'knex';

// Invoice payments: a projection of those each invoice's workflow holds (its default payment and
// attached PaymentIntents), written with the invoice in one transaction
// (activities/invoice-change.ts), read by /v1/invoice_payments. `body` is the rendered object.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invoice_payments', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('invoice_id').notNullable();
    t.text('payment_intent_id').notNullable();
    t.text('status').notNullable(); // open | paid | canceled
    t.bigInteger('created').notNullable();
    t.json('body').notNullable();
    t.unique(['account_id', 'id']);
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'invoice_id', 'seq']);
    t.index(['account_id', 'payment_intent_id']);
  });
  // An invoice's own PaymentIntent is one row, moved by each charge attempt (its idempotency_key
  // is the latest attempt's); attempts counts them. Earlier rows are one attempt each.
  await knex.schema.alterTable('payments', (t) => {
    t.integer('attempts').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.dropColumn('attempts');
  });
  await knex.schema.dropTableIfExists('invoice_payments');
}
