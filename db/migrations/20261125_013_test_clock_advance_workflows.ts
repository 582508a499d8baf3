import type { Knex } from 'knex';

// The workflows one test clock advance waits for: a row each, written when the clock wakes
// them (signalled once told), marked caught_up by the workflow itself when it has processed its
// deadlines up to the new time. The clock polls the count of rows not caught up instead of
// receiving a signal per workflow, so its history stays the same size whatever the number of
// invoices. The rows of an advance are removed when it ends.
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('test_clock_advance_workflows', (t) => {
    t.text('advance_id').notNullable();
    t.text('workflow_id').notNullable();
    t.text('clock_id').notNullable();
    t.boolean('signalled').notNullable().defaultTo(false);
    t.boolean('caught_up').notNullable().defaultTo(false);
    t.primary(['advance_id', 'workflow_id']);
    // Leftovers of earlier advances (a report arriving after its advance ended) go by clock.
    t.index(['clock_id']);
  });
  // The clock's poll counts only the stragglers: the index shrinks as workflows catch up.
  await knex.raw(
    'create index test_clock_advance_workflows_waiting on test_clock_advance_workflows (advance_id) where not caught_up',
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('test_clock_advance_workflows');
}
