// Migrations are listed here, not discovered from the folder, so they load the same way under
// tsx, jest and a bundler.
import type { Knex } from 'knex';
import * as foundation from './20261125_001_foundation';

const MIGRATIONS: Record<string, Knex.Migration> = {
  '20261125_001_foundation': foundation,
};

export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () => Object.keys(MIGRATIONS).sort(),
  getMigrationName: (name) => name,
  getMigration: async (name) => MIGRATIONS[name],
};
