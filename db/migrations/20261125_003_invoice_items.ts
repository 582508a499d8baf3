import type { Knex } from 'knex';

// Invoice items. A pending item (invoice_id null) is owned by this table; an item on an invoice
// is one of that invoice's lines, and its row is a projection the invoice's persist activity
// keeps in step, in the same transaction as the invoice row.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('invoice_items', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable().unique();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('customer_id').notNullable();
    t.text('invoice_id');
    // The il_ line it is on in the persisted invoice; null while pending, and while claimed by an
    // invoice that has not yet been persisted with it.
    t.text('line_id');
    t.text('currency').notNullable();
    t.bigInteger('amount').notNullable();
    t.bigInteger('created').notNullable(); // Stripe's `date`
    t.boolean('deleted').notNullable().defaultTo(false);
    t.jsonb('metadata').notNullable().defaultTo('{}');
    t.jsonb('data').notNullable(); // the InvoiceItemRecord, rendered on read
    t.index(['account_id', 'seq']);
    // Serves the pending-item claim (invoice_id null), the customer and invoice list filters,
    // and the invoice's own rows during a sync.
    t.index(['account_id', 'customer_id', 'invoice_id', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('invoice_items');
}
