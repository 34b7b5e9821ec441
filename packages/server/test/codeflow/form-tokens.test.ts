/** Form tokens (CSRF): bound to their binding and value, under any configured key, nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FormTokens } from '../../src/web/shared/form-tokens.ts';

describe('FormTokens', () => {
  const tokens = new FormTokens(['key-new', 'key-old']);

  it('accepts the token of the same interaction only', () => {
    const t = tokens.issue('interaction', 'uid-1');
    assert.equal(tokens.verify('interaction', 'uid-1', t), true);
    assert.equal(tokens.verify('interaction', 'uid-2', t), false);
    assert.notEqual(tokens.issue('interaction', 'uid-2'), t);
  });

  it('a token of one binding is refused for another binding of the same value', () => {
    const t = tokens.issue('interaction', 'same-id');
    assert.equal(tokens.verify('session', 'same-id', t), false);
    assert.equal(tokens.verify('session', 'same-id', tokens.issue('session', 'same-id')), true);
    assert.notEqual(tokens.issue('session', 'same-id'), t);
  });

  it('refuses missing, empty, oversized and altered tokens', () => {
    const t = tokens.issue('interaction', 'uid-1');
    for (const bad of [undefined, null, '', 'x'.repeat(200), t.slice(0, -1), `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`]) {
      assert.equal(tokens.verify('interaction', 'uid-1', bad), false, String(bad));
    }
  });

  it('refuses other spellings of the same bytes: only the token as issued is accepted', () => {
    // A 32-byte HMAC is 43 base64url characters; the last one carries 4 bits and 2 unused ones.
    for (let i = 0; i < 64; i++) {
      const t = tokens.issue('interaction', `uid-${i}`);
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(t.at(-1)!);
      const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]!;
      const variants = [`${t.slice(0, -1)}${sibling}`, `${t.slice(0, 10)}*${t.slice(10)}`, `${t}=`, ` ${t}`];
      for (const v of variants) {
        assert.deepEqual(Buffer.from(v, 'base64url'), Buffer.from(t, 'base64url'), `${v} decodes to the same bytes`);
        assert.equal(tokens.verify('interaction', `uid-${i}`, v), false, v);
      }
      assert.equal(tokens.verify('interaction', `uid-${i}`, t), true);
    }
  });

  it('keeps accepting tokens made with an older cookie key after a rotation', () => {
    const old = new FormTokens(['key-old']).issue('interaction', 'uid-1');
    assert.equal(tokens.verify('interaction', 'uid-1', old), true);
    assert.equal(new FormTokens(['key-other']).verify('interaction', 'uid-1', old), false);
  });

  it('needs a key', () => {
    assert.throws(() => new FormTokens([]), /at least one key/);
  });
});
