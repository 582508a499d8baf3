import type { Knex } from 'knex';

// An event's body is stored uncompressed, out of line (`storage external`). A rendered invoice
// event is about 3.8 kB, over the 2 kB at which Postgres compresses a row's large values with
// pglz, and compressing took about a third of the time of inserting such an event: 10,000
// reminder events, pages of 250, 1.65–2.14 s → 1.27–1.50 s (bench/RESULTS.md, change 26). A body is
// written once and read whole, so nothing else changes but the size on disk (about three
// times the compressed size for those bodies); reading one back costs no decompression. Rows
// already stored keep their compressed bodies.
export async function up(knex: Knex): Promise<void> {
  await knex.raw('alter table events alter column body set storage external');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table events alter column body set storage extended');
}
