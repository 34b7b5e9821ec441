import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthorization, ResourceServerError } from '../src/index.ts';
import { authorizationFromHeaders, authorizationFromRawHeaders, isToken68 } from '../src/bearer.ts';

const code = (expected: string) => (error: unknown) => {
  assert.ok(error instanceof ResourceServerError);
  assert.equal(error.code, expected);
  return true;
};

describe('bearer header parsing', () => {
  it('accepts Bearer case-insensitively with one token68 token', () => {
    assert.equal(parseAuthorization('Bearer abc'), 'abc');
    assert.equal(parseAuthorization('bearer abc'), 'abc');
    assert.equal(parseAuthorization('BEARER   a-b.c_d~e+f/g=='), 'a-b.c_d~e+f/g==');
    assert.equal(parseAuthorization('Bearer abc  '), 'abc');
    assert.equal(parseAuthorization(['Bearer one']), 'one');
  });

  it('treats no header or another scheme as a missing token', () => {
    assert.throws(() => parseAuthorization(undefined), code('ERR_TOKEN_MISSING'));
    assert.throws(() => parseAuthorization([]), code('ERR_TOKEN_MISSING'));
    assert.throws(() => parseAuthorization('Basic dXNlcjpwYXNz'), code('ERR_TOKEN_MISSING'));
    assert.throws(() => parseAuthorization('Bearerabc'), code('ERR_TOKEN_MISSING'));
    assert.throws(() => parseAuthorization('Beare abc'), code('ERR_TOKEN_MISSING'));
  });

  it('treats malformed values and repeated headers as malformed (400)', () => {
    for (const value of ['', 'Bearer', 'Bearer ', 'Bearer a b', 'Bearer a,b', 'Bearer =abc', 'Bearer ab=c', 'Bearer "abc"', 'Bearer abc, Bearer def', 'Bearer\tabc']) {
      assert.throws(() => parseAuthorization(value), code('ERR_TOKEN_MALFORMED'), JSON.stringify(value));
    }
    assert.throws(() => parseAuthorization(['Bearer a', 'Bearer b']), (error: unknown) => {
      code('ERR_TOKEN_MALFORMED')(error);
      assert.equal((error as ResourceServerError).status, 400);
      return true;
    });
  });

  it('finds the Authorization header in every header shape', () => {
    assert.equal(authorizationFromHeaders({ authorization: 'Bearer x' }), 'Bearer x');
    assert.equal(authorizationFromHeaders({ AUTHORIZATION: 'Bearer x' }), 'Bearer x');
    assert.deepEqual(authorizationFromHeaders({ authorization: ['Bearer x', 'Bearer y'] }), ['Bearer x', 'Bearer y']);
    assert.equal(authorizationFromHeaders({ cookie: 'access_token=x' }), undefined);
    const headers = new Headers();
    headers.append('Authorization', 'Bearer x');
    headers.append('Authorization', 'Bearer y');
    assert.throws(() => parseAuthorization(authorizationFromHeaders(headers)), code('ERR_TOKEN_MALFORMED'));
    assert.deepEqual(authorizationFromRawHeaders(['Host', 'h', 'authorization', 'Bearer x', 'AUTHORIZATION', 'Bearer y']), ['Bearer x', 'Bearer y']);
    assert.equal(authorizationFromRawHeaders(['Host', 'h', 'Authorization', 'Bearer x']), 'Bearer x');
    assert.equal(authorizationFromRawHeaders(['Host', 'h']), undefined);
  });

  it('checks token68 syntax', () => {
    assert.equal(isToken68('abc=='), true);
    assert.equal(isToken68('a.b.c'), true);
    assert.equal(isToken68(''), false);
    assert.equal(isToken68('=='), false);
    assert.equal(isToken68('a b'), false);
    assert.equal(isToken68('a=b'), false);
  });
});
