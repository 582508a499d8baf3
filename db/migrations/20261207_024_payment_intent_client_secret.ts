import type { Knex } from 'knex';

// A PaymentIntent's client_secret (pi_..._secret_...), made with it, as Stripe shows it to a
// secret key; rows made before it have none (null on the wire).
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.text('client_secret');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('payments', (t) => {
    t.dropColumn('client_secret');
  });
}
