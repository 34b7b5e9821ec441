/** The integrator portal's signed session cookie: accepted only as issued, under a configured key, before it expires. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PortalSessions } from '../../src/web/portal/session.ts';

/** The cookie codec alone: no session is ever recorded or looked up here. */
const noStore = { create: async () => undefined, isLive: async () => true, end: async () => undefined };

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('PortalSessions', () => {
  const sessions = new PortalSessions(['key-new', 'key-old'], noStore);
  const session = { sid: 'sid-1', accountId: 'acct-1', expiresAt: Date.now() + 60_000 };

  it('decodes what it encoded, also under an older key; not under another key or once expired', () => {
    assert.deepEqual(sessions.decode(sessions.encode(session)), session);
    assert.deepEqual(sessions.decode(new PortalSessions(['key-old'], noStore).encode(session)), session);
    assert.equal(new PortalSessions(['key-other'], noStore).decode(sessions.encode(session)), undefined);
    assert.equal(sessions.decode(sessions.encode(session), session.expiresAt + 1), undefined);
  });

  it('refuses an altered payload or signature, and other spellings of the same signature bytes', () => {
    const value = sessions.encode(session);
    const [payload, signature] = value.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ s: 'sid-1', a: 'acct-2', e: session.expiresAt })).toString('base64url');
    assert.equal(sessions.decode(`${forged}.${signature}`), undefined);
    assert.equal(sessions.decode(`${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`), undefined);
    // 32 bytes are 43 characters; the last one has 2 unused bits that Buffer's decoder ignores.
    const sibling = `${signature.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(signature.at(-1)!) ^ 1]}`;
    for (const other of [sibling, `${signature}=`, `${signature.slice(0, 5)}*${signature.slice(5)}`]) {
      assert.deepEqual(Buffer.from(other, 'base64url'), Buffer.from(signature, 'base64url'));
      assert.equal(sessions.decode(`${payload}.${other}`), undefined, other);
    }
  });
});
