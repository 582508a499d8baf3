import type { Knex } from 'knex';

// seq columns give every list a stable newest-first order for keyset pagination: Stripe ids
// are random, and many objects share a `created` second.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.bigInteger('created').notNullable();
    t.jsonb('settings').notNullable().defaultTo('{}');
  });
  await knex.schema.createTable('api_keys', (t) => {
    t.text('key_hash').primary(); // sha256 of the secret key; the key itself is never stored
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('last4').notNullable();
    t.bigInteger('created').notNullable();
    t.index(['account_id']);
  });
  await knex.schema.createTable('customers', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.bigInteger('created').notNullable();
    t.text('email');
    t.text('name');
    t.bigInteger('balance').notNullable().defaultTo(0);
    t.text('currency');
    t.text('invoice_prefix').notNullable();
    t.integer('next_invoice_sequence').notNullable().defaultTo(1);
    t.text('test_clock');
    t.boolean('deleted').notNullable().defaultTo(false);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.jsonb('attributes').notNullable().defaultTo('{}'); // the rest of Stripe's customer fields
    t.index(['account_id', 'seq']);
    t.unique(['account_id', 'invoice_prefix']);
  });
  await knex.schema.createTable('invoices', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('customer_id').notNullable();
    t.text('status').notNullable();
    t.text('currency').notNullable();
    t.text('collection_method').notNullable();
    t.text('subscription_id');
    t.text('number');
    t.text('receipt_number');
    t.bigInteger('total').notNullable();
    t.bigInteger('amount_due').notNullable();
    t.bigInteger('created').notNullable();
    t.bigInteger('due_date');
    t.text('last_finalization_error_code');
    t.text('last_finalization_error_type');
    t.boolean('deleted').notNullable().defaultTo(false);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.integer('version').notNullable(); // the workflow's state version: writes never go backwards
    t.jsonb('state').notNullable(); // the workflow's InvoiceState, rendered on read
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'customer_id', 'seq']);
    t.index(['account_id', 'status', 'seq']);
  });
  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('type').notNullable();
    t.bigInteger('created').notNullable();
    t.text('object_id').notNullable();
    t.integer('pending_webhooks').notNullable().defaultTo(0);
    t.jsonb('body').notNullable(); // the rendered Stripe.Event, frozen at the time it happened
    t.index(['account_id', 'seq']);
    t.index(['account_id', 'type', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['events', 'invoices', 'customers', 'api_keys', 'accounts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
