/** Storage: migrations, shared keys, sealing with the master key, the expiry sweep, the demo bootstrap. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logger.ts';
import { createContext } from '../../src/context.ts';
import { bootstrapDemo } from '../../src/bootstrap/demo.ts';
import { sweepExpired } from '../../src/storage/sweeper.ts';
import { KyselyOidcAdapter, storedId } from '../../src/storage/oidc-adapter.ts';
import { basic, postForm, spawnServe } from '../support/server.ts';

const silent = createLogger('silent');
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'propusk-storage-'));
  return { url: `sqlite:${join(dir, 'db.sqlite')}`, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
};

describe('storage', () => {
  it('two processes on one database share the signing key and cookie keys', async () => {
    const db = tempDb();
    const a = await createContext(loadConfig({ DATABASE_URL: db.url }), silent);
    const b = await createContext(loadConfig({ DATABASE_URL: db.url }), silent);
    assert.deepEqual(await a.keys.privateJwks(), await b.keys.privateJwks());
    assert.deepEqual(await a.keys.cookieKeys(), await b.keys.cookieKeys());
    assert.equal((await a.keys.list()).length, 1);
    await a.close();
    await b.close();
    db.cleanup();
  });

  it('seals private keys with the master key and refuses to start with another one', async () => {
    const db = tempDb();
    const key = Buffer.alloc(32, 1).toString('base64');
    const ctx = await createContext(loadConfig({ DATABASE_URL: db.url, PROPUSK_MASTER_KEY: key }), silent);
    const rows = await ctx.db.selectFrom('signing_key').select('private_jwk').execute();
    assert.match(rows[0]!.private_jwk, /^v1\./);
    assert.ok(!rows[0]!.private_jwk.includes('"d"'));
    await ctx.close();
    const other = await createContext(loadConfig({ DATABASE_URL: db.url, PROPUSK_MASTER_KEY: Buffer.alloc(32, 2).toString('base64') }), silent);
    await assert.rejects(other.keys.privateJwks(), /PROPUSK_MASTER_KEY differs/);
    await other.close();
    db.cleanup();
  });

  it('migrations are idempotent and the adapter round-trips, consumes and revokes by grant', async () => {
    const db = tempDb();
    const ctx = await createContext(loadConfig({ DATABASE_URL: db.url }), silent);
    await ctx.close();
    const again = await createContext(loadConfig({ DATABASE_URL: db.url }), silent);
    const codes = new KyselyOidcAdapter(again.db, 'AuthorizationCode');
    await codes.upsert('c1', { grantId: 'g1', accountId: 'acc', clientId: 'cl', kind: 'AuthorizationCode' }, 60);
    await codes.upsert('c2', { grantId: 'g2', kind: 'AuthorizationCode' }, 60);
    assert.equal((await codes.find('c1'))?.grantId, 'g1');
    await codes.consume('c1');
    assert.equal(typeof (await codes.find('c1'))?.consumed, 'number');
    await codes.revokeByGrantId('g1');
    assert.equal(await codes.find('c1'), undefined);
    assert.ok(await codes.find('c2'));
    const devices = new KyselyOidcAdapter(again.db, 'DeviceCode');
    await devices.upsert('d1', { userCode: 'BDWPHQPK', uid: 'u1', kind: 'DeviceCode' }, 60);
    assert.equal((await devices.findByUserCode('BDWPHQPK'))?.uid, 'u1');
    assert.equal((await devices.findByUid('u1'))?.userCode, 'BDWPHQPK');
    assert.equal(await codes.findByUserCode('BDWPHQPK'), undefined, 'lookups are per model');
    await again.close();
    db.cleanup();
  });

  it('expired rows are invisible at once and deleted by the sweep', async () => {
    const db = tempDb();
    const ctx = await createContext(loadConfig({ DATABASE_URL: db.url }), silent);
    const tokens = new KyselyOidcAdapter(ctx.db, 'AccessToken');
    await tokens.upsert('live', { kind: 'AccessToken' }, 3600);
    await tokens.upsert('dead', { kind: 'AccessToken' }, 1);
    await ctx.db.updateTable('oidc_model').set({ expires_at: Date.now() - 1 }).where('id', '=', storedId('AccessToken', 'dead')).execute();
    assert.equal(await tokens.find('dead'), undefined);
    const swept = await sweepExpired(ctx.db);
    assert.equal(swept.models, 1);
    const left = await ctx.db.selectFrom('oidc_model').select('id').execute();
    assert.deepEqual(left.map((r) => r.id), [storedId('AccessToken', 'live')]);
    await ctx.close();
    db.cleanup();
  });

  it('the demo bootstrap creates random secrets once, and only on an empty database', async () => {
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const db = tempDb();
      const ctx = await createContext(loadConfig({ DATABASE_URL: db.url }), silent);
      let text = '';
      const sink = new Writable({ write: (c: Buffer, _e, cb) => ((text += c.toString()), cb()) });
      assert.equal(await bootstrapDemo(ctx, sink), true);
      assert.equal(await bootstrapDemo(ctx, sink), false, 'second start creates nothing');
      outputs.push(text);
      await ctx.close();
      db.cleanup();
    }
    const secret = (t: string) => t.match(/api-key:\s+(\S+)/)![1];
    const password = (t: string) => t.match(/password:\s+(\S+)/)![1];
    assert.notEqual(secret(outputs[0]!), secret(outputs[1]!));
    assert.notEqual(password(outputs[0]!), password(outputs[1]!));
    assert.ok(password(outputs[0]!)!.length >= 16);
  });

  it('propusk serve prints demo credentials on first start, and they work', async () => {
    const db = tempDb();
    // A database per try: a server started again on another port finds an empty one, as the first did.
    const server = await spawnServe((port) => ({ ...process.env, DATABASE_URL: `${db.url}-${port}`, PORT: String(port), PROPUSK_HOST: '127.0.0.1', PROPUSK_LOG_LEVEL: 'info' }), { ready: /Propusk is listening/ });
    try {
      const out = server.output();
      const apiKeys = [...out.matchAll(/api-key:\s+(\S+)/g)].map((m) => m[1]!);
      assert.equal(apiKeys.length, 2);
      assert.match(out, /Demo user:\s+demo-[0-9a-f]{6}@example\.com/);
      const base = `http://127.0.0.1:${server.port}`;
      const token = await postForm(`${base}/connect/token`, { grant_type: 'client_credentials', client_id: 'demo.app', client_secret: apiKeys[0]!, scope: 'extern.api' });
      assert.equal(token.status, 200, token.text);
      const intro = await postForm(`${base}/connect/introspect`, { token: token.json.access_token as string }, { authorization: basic('rs.extern.api', apiKeys[1]!) });
      assert.equal(intro.json.active, true);
    } finally {
      await server.stop();
      db.cleanup();
    }
  });
});
