/**
 * The SQLite connection's settings, as every process opens it (server, admin CLI): WAL with
 * `synchronous=NORMAL` (durable at every checkpoint, no corruption on power loss), foreign keys
 * enforced, a busy timeout for the other processes on the file, and a checkpoint every 4,000 WAL
 * pages (storage/sqlite-dialect.ts; bench/README.md, "seventh round").
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openDatabase, migrate, type OpenedDatabase } from '../../src/storage/database.ts';
import { directSqlite } from '../../src/storage/sqlite-dialect.ts';
import { createTestSqlite } from './support.ts';

describe('sqlite connection settings', () => {
  let database: { url: string; cleanup(): Promise<void> };
  let opened: OpenedDatabase;
  before(async () => {
    database = createTestSqlite();
    opened = await openDatabase(database.url);
    await migrate(opened.db);
  });
  after(async () => {
    await opened?.close();
    await database?.cleanup();
  });

  it('WAL, synchronous NORMAL, foreign keys, busy timeout, a checkpoint every 4,000 pages', () => {
    const raw = directSqlite(opened.db)!.database.raw;
    const pragma = (name: string) => Object.values(raw.prepare(`PRAGMA ${name}`).get() as Record<string, unknown>)[0];
    assert.equal(pragma('journal_mode'), 'wal');
    assert.equal(pragma('synchronous'), 1, 'NORMAL');
    assert.equal(pragma('foreign_keys'), 1);
    assert.equal(pragma('busy_timeout'), 5000);
    assert.equal(pragma('wal_autocheckpoint'), 4000);
  });
});
