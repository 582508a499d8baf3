import type { Knex } from 'knex';

// The account's tax rates. Like products, the whole record lives in `data`; the columns beside it
// exist for filters (active, inclusive), keyset order and the per-account unique id. Invoices
// keep their own copy of the rates they carry, so nothing references this table.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tax_rates', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.bigInteger('created').notNullable();
    t.boolean('active').notNullable();
    t.boolean('inclusive').notNullable();
    t.jsonb('data').notNullable(); // the TaxRateRecord
    t.unique(['account_id', 'id']);
    t.index(['account_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tax_rates');
}
