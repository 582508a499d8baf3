import type { Knex } from 'knex';

// Coupons and promotion codes, each account's own (a coupon id may be the caller's, so ids are
// unique per account). The records live in `data`; times_redeemed is a column of its own so a
// redemption is one conditional UPDATE that can never pass max_redemptions, however many
// requests race for the last one. Invoices keep their own copy of the coupons they carry.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('coupons', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.bigInteger('created').notNullable();
    t.integer('times_redeemed').notNullable().defaultTo(0);
    t.integer('max_redemptions');
    t.jsonb('data').notNullable(); // the CouponRecord (times_redeemed from the column)
    t.unique(['account_id', 'id']);
    t.index(['account_id', 'seq']);
  });
  await knex.schema.createTable('promotion_codes', (t) => {
    t.bigIncrements('seq');
    t.text('id').notNullable();
    t.text('account_id').notNullable().references('accounts.id').onDelete('CASCADE');
    t.text('code').notNullable();
    t.text('coupon_id').notNullable();
    t.text('customer_id');
    t.boolean('active').notNullable();
    t.bigInteger('created').notNullable();
    t.integer('times_redeemed').notNullable().defaultTo(0);
    t.integer('max_redemptions');
    t.jsonb('data').notNullable(); // the PromotionCodeRecord (times_redeemed from the column)
    t.unique(['account_id', 'id']);
    t.index(['account_id', 'seq']);
  });
  // Stripe: an active code is unique within the account, whatever its letter case.
  await knex.raw(
    'CREATE UNIQUE INDEX promotion_codes_active_code_unique ON promotion_codes (account_id, upper(code)) WHERE active',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('promotion_codes');
  await knex.schema.dropTableIfExists('coupons');
}
