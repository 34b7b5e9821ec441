/** Trusted-grant storage: single use of (issuer, jti) across connections and processes, expiry and sweep. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, migrate } from '../../src/storage/database.ts';
import { KyselyTrustedJtiRepository } from '../../src/storage/repositories/trusted-jti.ts';
import { sweepExpired } from '../../src/storage/sweeper.ts';

const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-jti-'));
  return { url: `sqlite:${join(dir, 'db.sqlite')}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

const later = () => new Date(Date.now() + 60_000);

describe('trusted_jti', () => {
  it('records an (issuer, jti) once; the same jti of another issuer is independent', async () => {
    const db = tempDb();
    const opened = await openDatabase(db.url);
    await migrate(opened.db);
    const repo = new KyselyTrustedJtiRepository(opened.db);
    assert.equal(await repo.recordOnce('a', 'j1', later()), true);
    assert.equal(await repo.recordOnce('a', 'j1', later()), false);
    assert.equal(await repo.recordOnce('b', 'j1', later()), true);
    await opened.close();
    db.cleanup();
  });

  it('a record whose JWT expired no longer blocks the jti, and the sweep deletes it', async () => {
    const db = tempDb();
    const opened = await openDatabase(db.url);
    await migrate(opened.db);
    const repo = new KyselyTrustedJtiRepository(opened.db);
    const past = new Date(Date.now() - 1000);
    assert.equal(await repo.recordOnce('a', 'old', past), true);
    assert.equal(await repo.recordOnce('a', 'old', later()), true, 'expired record is replaced');
    assert.equal(await repo.recordOnce('a', 'old', later()), false, 'the new record is live');
    await repo.recordOnce('a', 'gone', past);
    const swept = await sweepExpired(opened.db);
    assert.equal(swept.trustedJti, 1);
    const left = await opened.db.selectFrom('trusted_jti').select('jti').execute();
    assert.deepEqual(left.map((r) => r.jti), ['old']);
    await opened.close();
    db.cleanup();
  });

  it('two processes racing on the same jtis record each exactly once', async () => {
    const db = tempDb();
    const opened = await openDatabase(db.url);
    await migrate(opened.db);
    await opened.close();
    const src = resolve(import.meta.dirname, '../../src');
    const script = `
      const { openDatabase } = await import(${JSON.stringify(join(src, 'storage/database.ts'))});
      const { KyselyTrustedJtiRepository } = await import(${JSON.stringify(join(src, 'storage/repositories/trusted-jti.ts'))});
      const { db } = await openDatabase(${JSON.stringify(db.url)});
      const repo = new KyselyTrustedJtiRepository(db);
      const exp = new Date(Date.now() + 60000);
      const won = [];
      for (let i = 0; i < 300; i++) if (await repo.recordOnce('racer', 'jti-' + i, exp)) won.push(i);
      process.stdout.write(JSON.stringify(won));
      await db.destroy();
    `;
    const run = () =>
      new Promise<number[]>((res, rej) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.on('close', (code) => (code === 0 ? res(JSON.parse(out) as number[]) : rej(new Error(err))));
      });
    const [a, b] = await Promise.all([run(), run()]);
    assert.equal(a.length + b.length, 300);
    assert.deepEqual([...a, ...b].sort((x, y) => x - y), Array.from({ length: 300 }, (_, i) => i));
    db.cleanup();
  });
});
