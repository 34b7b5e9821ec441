/** Every migration, in order. Kysely's migrator runs the pending ones at start. */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.ts';

const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
