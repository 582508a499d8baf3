import type { Knex } from 'knex';

// Credit notes: a projection of those each invoice's workflow holds, written with the invoice in
// the same transaction (activities/invoice-change.ts), read by the credit note endpoints.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('credit_notes', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('invoice_id').notNullable();
    t.text('customer_id').notNullable();
    t.bigInteger('created').notNullable();
    t.text('status').notNullable();
    t.jsonb('data').notNullable(); // StoredCreditNote: the note and its invoice's context
    t.unique(['account_id', 'id']);
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'invoice_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('credit_notes');
}
