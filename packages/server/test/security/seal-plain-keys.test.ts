/**
 * A database started without PROPUSK_MASTER_KEY (development) stores its signing and cookie keys
 * marked plain. The first start with a master key (production) seals them: no readable private key
 * stays in the database, the keys themselves do not change (same kid, tokens and cookies keep
 * working), the start says so, and afterwards the database opens only with that master key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openDatabase } from '../../src/storage/database.ts';
import { startTestServer } from '../support/server.ts';

async function stored(url: string) {
  const opened = await openDatabase(url);
  try {
    const keys = await opened.db.selectFrom('signing_key').select(['kid', 'private_jwk']).execute();
    const cookie = await opened.db.selectFrom('secret').select('value').where('name', '=', 'cookie-keys').executeTakeFirst();
    return { keys, cookie: cookie?.value };
  } finally {
    await opened.close();
  }
}

describe('plain keys of a development database under a master key', () => {
  let dir: string;
  let url: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'propusk-seal-'));
    url = `sqlite:${join(dir, 'p.sqlite')}`;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('are sealed at the first production start; the keys stay the same', async () => {
    const dev = await startTestServer({ DATABASE_URL: url });
    const jwksBefore = (await (await fetch(`${dev.url}/.well-known/openid-configuration/jwks`)).json()) as { keys: { kid: string }[] };
    await dev.server.close();
    await dev.context.close();
    const plain = await stored(url);
    assert.ok(plain.keys.length > 0 && plain.keys.every((k) => k.private_jwk.startsWith('plain.')), 'development stores them plain');
    assert.ok(plain.cookie?.startsWith('plain.'));

    const masterKey = randomBytes(32).toString('base64');
    const lines: string[] = [];
    const prod = await startTestServer(
      { DATABASE_URL: url, NODE_ENV: 'production', PROPUSK_MASTER_KEY: masterKey, PROPUSK_ISSUER: 'https://id.example.test', PROPUSK_LOG_LEVEL: 'warn' },
      { logStream: { write: (line: string) => void lines.push(line) } },
    );
    try {
      const sealed = await stored(url);
      assert.ok(sealed.keys.every((k) => k.private_jwk.startsWith('v1.')), 'every private key is encrypted');
      assert.ok(sealed.cookie?.startsWith('v1.'), 'the cookie keys are encrypted');
      assert.ok(sealed.keys.every((k) => !k.private_jwk.includes(plain.keys.find((p) => p.kid === k.kid)!.private_jwk.slice(6, 40))));
      assert.ok(lines.some((l) => /sealed \d+ key\(s\) that were stored unencrypted/.test(l)), lines.join('\n'));
      const jwksAfter = (await (await fetch(`${prod.url}/.well-known/openid-configuration/jwks`)).json()) as { keys: { kid: string }[] };
      assert.deepEqual(jwksAfter.keys.map((k) => k.kid), jwksBefore.keys.map((k) => k.kid), 'the same signing keys');
      const events = await prod.context.audit.tail({ type: 'keys.sealed' });
      assert.equal(events.length, 1);
    } finally {
      await prod.server.close();
      await prod.context.close();
    }

    // From now on the database needs that master key.
    await assert.rejects(startTestServer({ DATABASE_URL: url }), /PROPUSK_MASTER_KEY/);
  });
});
