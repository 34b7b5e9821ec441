/**
 * A SQLite file for the storage tools (storage-checkpoints.ts, storage-floor.ts), opened with
 * `node:sqlite` directly as Propusk's dialect opens it (storage/sqlite-dialect.ts): WAL,
 * synchronous=NORMAL and the given checkpoint interval, after Propusk's own migrations when asked.
 */
import { DatabaseSync } from 'node:sqlite';
import { openDatabase, migrate } from '../../packages/server/src/storage/database.ts';

export async function openSqliteFile(file: string, options: { migrated: boolean; checkpointPages: number }): Promise<DatabaseSync> {
  if (options.migrated) {
    const opened = await openDatabase(`sqlite:${file}`);
    await migrate(opened.db);
    await opened.close();
  }
  const db = new DatabaseSync(file);
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  db.exec(`PRAGMA wal_autocheckpoint = ${options.checkpointPages}`);
  return db;
}
