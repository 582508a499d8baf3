import type { Knex } from 'knex';

// Charges made by the test-mode payment processor. idempotency_key makes a retried charge
// activity find the first attempt's outcome instead of charging twice.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique(); // pi_...
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('customer_id');
    t.text('invoice_id');
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.text('payment_method').notNullable();
    t.text('status').notNullable(); // succeeded | requires_action | declined
    t.jsonb('outcome').notNullable();
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.text('description');
    t.text('idempotency_key').notNullable().unique();
    t.bigInteger('created').notNullable();
    t.index(['account_id', 'invoice_id']);
  });
  // Invoice numbers are unique within an account (prefixes are unique per account too).
  await knex.raw(
    'create unique index invoices_account_number_unique on invoices (account_id, number) where number is not null',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists invoices_account_number_unique');
  await knex.schema.dropTableIfExists('payments');
}
