// oidc-provider's cookie signatures: Keygrip's format (HMAC-SHA1, base64url without padding), the
// first key signs, every key verifies (rotation), anything else is refused.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { CookieSigner } from '../../src/provider/cookie-signer.ts';

const NEW_KEY = 'n'.repeat(43);
const OLD_KEY = 'o'.repeat(43);
const keygrip = (key: string, data: string) => createHmac('sha1', key).update(data).digest('base64').replace(/\/|\+|=/g, (x) => ({ '/': '_', '+': '-', '=': '' })[x]!);

test('signs with the first key, as Keygrip does', () => {
  const signer = new CookieSigner([NEW_KEY, OLD_KEY]);
  const data = '_session=Zm9vYmFyYmF6cXV4';
  assert.equal(signer.sign(data), keygrip(NEW_KEY, data));
  assert.equal(signer.sign(data).length, 27);
});

test('finds the key that signed a cookie; refuses a tampered value, a foreign key and malformed digests', () => {
  const signer = new CookieSigner([NEW_KEY, OLD_KEY]);
  const data = '_interaction=abc';
  assert.equal(signer.index(data, keygrip(NEW_KEY, data)), 0);
  assert.equal(signer.index(data, keygrip(OLD_KEY, data)), 1);
  assert.equal(signer.verify(data, keygrip(OLD_KEY, data)), true);
  assert.equal(signer.index('_interaction=abd', keygrip(NEW_KEY, data)), -1);
  assert.equal(signer.index(data, keygrip('f'.repeat(43), data)), -1);
  for (const digest of ['', 'x', keygrip(NEW_KEY, data) + 'A', keygrip(NEW_KEY, data).slice(1), undefined as unknown as string]) {
    assert.equal(signer.index(data, digest), -1, String(digest));
  }
  // A signer that no longer has the old key refuses its cookies.
  assert.equal(new CookieSigner([NEW_KEY]).index(data, keygrip(OLD_KEY, data)), -1);
});

test('needs a key', () => {
  assert.throws(() => new CookieSigner([]), /at least one key/);
});
