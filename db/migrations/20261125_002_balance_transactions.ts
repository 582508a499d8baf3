import type { Knex } from 'knex';

// The customer balance ledger. customers.balance stays the running total (it is what invoices
// read); every change to it is one row here, written in the same transaction.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('customer_balance_transactions', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique(); // callers choose it, so a retried write is recognised
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('customer_id').notNullable();
    t.bigInteger('amount').notNullable();
    t.text('currency').notNullable();
    t.bigInteger('ending_balance').notNullable();
    t.text('type').notNullable();
    t.text('invoice_id');
    t.text('description');
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.bigInteger('created').notNullable();
    t.index(['account_id', 'customer_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('customer_balance_transactions');
}
