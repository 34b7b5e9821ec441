/** CSRF tokens of the interaction forms: bound to the interaction uid, any configured key, nothing else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsrfTokens } from '../../src/web/shared/csrf.ts';

describe('CsrfTokens', () => {
  const tokens = new CsrfTokens(['key-new', 'key-old']);

  it('accepts the token of the same interaction only', () => {
    const t = tokens.issue('uid-1');
    assert.equal(tokens.verify('uid-1', t), true);
    assert.equal(tokens.verify('uid-2', t), false);
    assert.notEqual(tokens.issue('uid-2'), t);
  });

  it('refuses missing, empty, oversized and altered tokens', () => {
    const t = tokens.issue('uid-1');
    for (const bad of [undefined, null, '', 'x'.repeat(200), t.slice(0, -1), `${t.slice(0, -2)}${t.endsWith('AA') ? 'BB' : 'AA'}`]) {
      assert.equal(tokens.verify('uid-1', bad), false, String(bad));
    }
  });

  it('refuses other spellings of the same bytes: only the token as issued is accepted', () => {
    // A 32-byte HMAC is 43 base64url characters; the last one carries 4 bits and 2 unused ones.
    for (let i = 0; i < 64; i++) {
      const t = tokens.issue(`uid-${i}`);
      const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(t.at(-1)!);
      const sibling = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]!;
      const variants = [`${t.slice(0, -1)}${sibling}`, `${t.slice(0, 10)}*${t.slice(10)}`, `${t}=`, ` ${t}`];
      for (const v of variants) {
        assert.deepEqual(Buffer.from(v, 'base64url'), Buffer.from(t, 'base64url'), `${v} decodes to the same bytes`);
        assert.equal(tokens.verify(`uid-${i}`, v), false, v);
      }
      assert.equal(tokens.verify(`uid-${i}`, t), true);
    }
  });

  it('keeps accepting tokens made with an older cookie key after a rotation', () => {
    const old = new CsrfTokens(['key-old']).issue('uid-1');
    assert.equal(tokens.verify('uid-1', old), true);
    assert.equal(new CsrfTokens(['key-other']).verify('uid-1', old), false);
  });

  it('needs a key', () => {
    assert.throws(() => new CsrfTokens([]), /at least one key/);
  });
});
