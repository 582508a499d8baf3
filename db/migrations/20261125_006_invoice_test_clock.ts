import type { Knex } from 'knex';

// Advancing a test clock wakes every invoice of its customers: find them by clock.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.text('test_clock');
    t.index(['test_clock']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => t.dropColumn('test_clock'));
}
