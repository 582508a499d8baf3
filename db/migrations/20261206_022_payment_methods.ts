import type { Knex } from 'knex';

// Payment methods made from Stripe's test cards (created from a test token or number, or a
// pm_card_* attached to a customer): each names the test card it charges as (`card`).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payment_methods', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique(); // pm_...
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('customer_id');
    t.text('card').notNullable(); // pm_card_visa, ...
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.bigInteger('created').notNullable();
    t.index(['account_id', 'customer_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('payment_methods');
}
