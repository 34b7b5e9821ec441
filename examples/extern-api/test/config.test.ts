// Configuration from the environment: defaults, required variables, the
// cache switch, and errors that name the variable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../src/index.ts';

const base = { PROPUSK_ISSUER: 'http://localhost:3000', EXTERN_API_CLIENT_SECRET: 'secret' };

describe('extern-api configuration', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadConfig(base), {
      issuer: 'http://localhost:3000',
      clientId: 'rs.extern.api',
      clientSecret: 'secret',
      audience: 'urn:propusk:api:extern.api',
      cache: { ttlSeconds: 30 },
      port: 4000,
      host: '127.0.0.1',
    });
  });

  it('reads every variable; EXTERN_API_CACHE_TTL=0 turns the cache off', () => {
    const config = loadConfig({
      ...base,
      EXTERN_API_CLIENT_ID: 'rs.other',
      EXTERN_API_AUDIENCE: 'urn:propusk:api:other',
      EXTERN_API_CACHE_TTL: '0',
      PORT: '4100',
      EXTERN_API_HOST: '0.0.0.0',
    });
    assert.equal(config.clientId, 'rs.other');
    assert.equal(config.audience, 'urn:propusk:api:other');
    assert.equal(config.cache, false);
    assert.equal(config.port, 4100);
    assert.equal(config.host, '0.0.0.0');
    assert.deepEqual(loadConfig({ ...base, EXTERN_API_CACHE_TTL: '5' }).cache, { ttlSeconds: 5 });
  });

  it('reads EXTERN_API_DPOP and EXTERN_API_EXTERNAL_URL, refusing invalid values', () => {
    const config = loadConfig({ ...base, EXTERN_API_DPOP: 'required', EXTERN_API_EXTERNAL_URL: 'https://api.example.com' });
    assert.equal(config.dpop, 'required');
    assert.equal(config.externalUrl, 'https://api.example.com');
    assert.throws(() => loadConfig({ ...base, EXTERN_API_DPOP: 'yes' }), { name: 'ConfigError', message: /^EXTERN_API_DPOP must be/ });
    assert.throws(() => loadConfig({ ...base, EXTERN_API_EXTERNAL_URL: 'api.example.com' }), { name: 'ConfigError', message: /^EXTERN_API_EXTERNAL_URL must be/ });
  });

  it('refuses missing or invalid values, naming the variable', () => {
    assert.throws(() => loadConfig({ EXTERN_API_CLIENT_SECRET: 's' }), { name: 'ConfigError', message: /^PROPUSK_ISSUER is required$/ });
    assert.throws(() => loadConfig({ PROPUSK_ISSUER: 'http://x' }), { message: /^EXTERN_API_CLIENT_SECRET is required$/ });
    assert.throws(() => loadConfig({ ...base, PROPUSK_ISSUER: 'localhost:3000/' }), ConfigError);
    assert.throws(() => loadConfig({ ...base, PROPUSK_ISSUER: 'not a url' }), { message: /^PROPUSK_ISSUER must be an absolute http\(s\) URL/ });
    assert.throws(() => loadConfig({ ...base, PORT: 'eighty' }), { message: /^PORT must be an integer from 0 to 65535/ });
    assert.throws(() => loadConfig({ ...base, PORT: '70000' }), { message: /^PORT / });
    assert.throws(() => loadConfig({ ...base, EXTERN_API_CACHE_TTL: '-1' }), { message: /^EXTERN_API_CACHE_TTL / });
  });
});
