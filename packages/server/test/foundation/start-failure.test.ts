/**
 * A start that fails late (the port is taken once storage is open and migrated): startServer()
 * rejects with the listen error and leaves nothing of itself running. Checked in a child process
 * that must then end by itself (no timer, change feed or database connection keeps it alive), with
 * its SQLite file and its PostgreSQL connections closed right after the failure.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { adminQuery, createTestSchema, describePostgres } from '../storage/support.ts';

const FIXTURE = resolve(import.meta.dirname, '../support/failed-start.ts');

/** A listener on 127.0.0.1 that keeps its port taken. */
async function takenPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as { port: number }).port, server };
}

/** Runs the fixture; resolves with what it printed once it has ended by itself, or fails after `ms`. */
function failedStart(env: Record<string, string>, ms = 15_000): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { env: { ...process.env, PROPUSK_HOST: '127.0.0.1', PROPUSK_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`the process did not end by itself ${ms} ms after the failed start: something it started still runs. Output:\n${out}`));
    }, ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) res(out);
      else rej(new Error(`exited ${code}:\n${out}`));
    });
  });
}

describe('a start that fails once storage is open (SQLite)', () => {
  it('rejects with EADDRINUSE, closes the database and leaves nothing running', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'propusk-start-failure-'));
    const taken = await takenPort();
    try {
      const file = join(dir, 'p.sqlite');
      const out = await failedStart({ DATABASE_URL: `sqlite:${file}`, PORT: String(taken.port), PROPUSK_DEMO: '0', PROPUSK_MAIL_DIR: join(dir, 'mail') });
      assert.equal(out, 'EADDRINUSE\nopen sockets: 0\nwrite-ahead log: closed\n');
      assert.ok(existsSync(file), 'storage was opened and migrated before the listen failed');
    } finally {
      taken.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describePostgres('a start that fails once storage is open (PostgreSQL)', () => {
  it('rejects with EADDRINUSE, closes every database connection and leaves nothing running', async () => {
    const schema = await createTestSchema();
    const taken = await takenPort();
    try {
      const out = await failedStart({ DATABASE_URL: schema.url, PORT: String(taken.port), PROPUSK_DEMO: '0' });
      // Checked in the process right after the failure: once it has ended, every socket is closed anyway.
      assert.equal(out, 'EADDRINUSE\nopen sockets: 0\n');
      const [{ migrated }] = (await adminQuery<{ migrated: boolean }>('select count(*) > 0 as migrated from information_schema.tables where table_schema = $1', [schema.schema])) as [{ migrated: boolean }];
      assert.equal(migrated, true, 'storage was opened and migrated before the listen failed');
    } finally {
      taken.server.close();
      await schema.drop();
    }
  });
});
