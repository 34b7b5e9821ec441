/**
 * One account per phone number, on SQLite and PostgreSQL: the admin CLI refuses a second account
 * (or a set-phone) with a phone another account has, in any spelling, in one line with a non-zero
 * exit; a database from before, where two accounts share a phone, migrates without failing, every
 * start names the accounts, and once an operator gives them their own phones the unique index
 * exists and phone sign-in works again.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { openDatabase, migrate } from '../../src/storage/database.ts';
import { isSqlite } from '../../src/storage/dialect.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import { hashPassword } from '../../src/accounts/passwords.ts';
import { runCli } from '../support/server.ts';
import { createTestSchema, createTestSqlite, describePostgres } from '../storage/support.ts';

const PASSWORD = 'a long enough password';

function phoneTests(newDatabase: () => Promise<{ url: string; cleanup(): Promise<void> }>): void {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const c of cleanups) await c();
  });
  const database = async () => {
    const db = await newDatabase();
    cleanups.push(db.cleanup);
    return db.url;
  };
  const cli = (url: string, args: string[], stdin?: string) => runCli(['admin', ...args], { DATABASE_URL: url }, stdin);

  it('the CLI refuses a phone another account has, in any spelling', async () => {
    const url = await database();
    assert.equal((await cli(url, ['user', 'create', '--create-database', '--login', 'ivan@example.com', '--password-stdin', '--phone', '9123456789'], PASSWORD)).code, 0);
    const second = await cli(url, ['user', 'create', '--login', 'petr@example.com', '--password-stdin', '--phone', '+7 (912) 345-67-89'], PASSWORD);
    assert.equal(second.code, 1);
    assert.equal(second.stderr.trim().split('\n').length, 1, second.stderr);
    assert.match(second.stderr, /phone 9123456789 already belongs to another account \(ivan@example\.com\)/);
    assert.equal((await cli(url, ['user', 'create', '--login', 'petr@example.com', '--password-stdin', '--phone', '9123456780'], PASSWORD)).code, 0);
    const taken = await cli(url, ['user', 'set-phone', 'petr@example.com', '--phone', '8 912 345 67 89']);
    assert.equal(taken.code, 1);
    assert.match(taken.stderr, /already belongs to another account/);
    assert.equal((await cli(url, ['user', 'set-phone', 'ivan@example.com', '--phone', '89123456789'])).code, 0, 'its own phone again is fine');
    assert.equal((await cli(url, ['user', 'set-phone', 'petr@example.com'])).code, 2, 'one of --phone or --clear');
  });

  it('a database where two accounts share a phone migrates, says which, and is fixed with set-phone', async () => {
    const url = await database();
    const opened = await openDatabase(url);
    try {
      const schema = isSqlite(opened.db) ? undefined : (await sql<{ schema: string }>`select current_schema() as schema`.execute(opened.db)).rows[0]?.schema;
      const migrator = new Migrator({ db: opened.db, provider: migrationProvider, migrationTableName: 'propusk_migration', migrationLockTableName: 'propusk_migration_lock', ...(schema ? { migrationTableSchema: schema } : {}) });
      assert.equal((await migrator.migrateTo('0012-application-type')).error, undefined);
      const hash = await hashPassword(PASSWORD);
      const account = (id: string, login: string) => ({ id, login, email: login, email_verified: 0, phone: '9001112233', given_name: null, family_name: null, middle_name: null, password_hash: hash, disabled: 0, created_at: Date.now(), updated_at: Date.now() });
      await opened.db.insertInto('account').values([account('a1', 'anna@example.com'), account('a2', 'boris@example.com')] as never).execute();
      await migrate(opened.db);
    } finally {
      await opened.close();
    }

    const listed = await cli(url, ['user', 'list', '--json']);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stderr, /phone \*{6}2233 is shared by anna@example\.com, boris@example\.com/);
    assert.doesNotMatch(listed.stderr, /9001112233/, 'the number itself is not printed');
    assert.equal((await cli(url, ['user', 'set-phone', 'boris@example.com', '--clear'])).code, 0);
    const after = await cli(url, ['user', 'list', '--json']);
    assert.doesNotMatch(after.stderr, /is shared by/);

    const check = await openDatabase(url);
    try {
      await assert.rejects(
        check.db.updateTable('account').set({ phone: '9001112233' }).where('login', '=', 'boris@example.com').execute(),
        'the unique index exists now',
      );
    } finally {
      await check.close();
    }
  });
}

describe('unique phones (SQLite)', () => {
  phoneTests(async () => {
    const db = createTestSqlite();
    return { url: db.url, cleanup: db.cleanup };
  });
});

describePostgres('unique phones (PostgreSQL)', () => {
  phoneTests(async () => {
    const schema = await createTestSchema();
    return { url: schema.url, cleanup: schema.drop };
  });
});
