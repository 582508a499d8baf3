import type { Knex } from 'knex';

// Products and prices, each account's own catalogue. A product id may be the caller's own
// (`id` on create), so ids are unique per account, not globally. Prices reference their product
// through (account_id, product_id): Postgres itself refuses to delete a product that has prices,
// the rule Stripe applies. The whole record lives in `data`, rendered on read; the columns
// beside it exist for filters, keyset order and constraints.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('products', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.bigInteger('created').notNullable();
    t.boolean('active').notNullable();
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.jsonb('data').notNullable(); // the ProductRecord
    t.unique(['account_id', 'id']);
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'active', 'seq']);
  });
  await knex.schema.createTable('prices', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('product_id').notNullable();
    t.text('currency').notNullable();
    t.text('type').notNullable(); // one_time | recurring
    t.text('interval'); // recurring[interval], null for one_time
    t.boolean('active').notNullable();
    t.text('lookup_key');
    t.bigInteger('created').notNullable();
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.jsonb('data').notNullable(); // the PriceRecord
    t.unique(['account_id', 'id']);
    t.foreign(['account_id', 'product_id']).references(['account_id', 'id']).inTable('products');
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'product_id', 'seq']);
  });
  // Stripe: a lookup key names one price of the account at a time.
  await knex.raw(
    'CREATE UNIQUE INDEX prices_account_lookup_key_unique ON prices (account_id, lookup_key) WHERE lookup_key IS NOT NULL',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('prices');
  await knex.schema.dropTableIfExists('products');
}
