/** Configuration from the environment: defaults, and invalid values stop the process naming the variable. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig, ConfigError } from '../../src/config/index.ts';
import { runCli } from '../support/server.ts';

describe('configuration', () => {
  it('has documented defaults', () => {
    const c = loadConfig({});
    assert.equal(c.port, 3000);
    assert.equal(c.issuer, 'http://localhost:3000');
    assert.equal(c.databaseUrl, 'sqlite:./data/propusk.sqlite');
    assert.equal(c.ttl.accessToken, 86400);
    assert.equal(c.ttl.deviceCode, 300);
    assert.equal(c.devicePollInterval, 3);
    assert.equal(c.demo, true);
    assert.equal(loadConfig({ PORT: '8080' }).issuer, 'http://localhost:8080');
  });

  it('listens on this machine only unless HOST says otherwise; on every interface in production', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const production = { NODE_ENV: 'production', PROPUSK_MASTER_KEY: key, PROPUSK_ISSUER: 'https://id.example.com' };
    assert.equal(loadConfig({}).host, '127.0.0.1');
    assert.equal(loadConfig({ HOST: '0.0.0.0' }).host, '0.0.0.0');
    assert.equal(loadConfig({ PROPUSK_HOST: '::' }).host, '::');
    assert.equal(loadConfig({ HOST: '::1', PROPUSK_HOST: '0.0.0.0' }).host, '::1');
    assert.equal(loadConfig(production).host, '0.0.0.0');
    assert.equal(loadConfig({ ...production, HOST: '10.0.0.5' }).host, '10.0.0.5');
  });

  it('reads the set-password link lifetime as seconds or a duration (default 24 hours, at most 30 days)', () => {
    assert.equal(loadConfig({}).ttl.passwordLink, 86_400);
    assert.equal(loadConfig({ PROPUSK_PASSWORD_LINK_TTL: '90' }).ttl.passwordLink, 90);
    assert.equal(loadConfig({ PROPUSK_PASSWORD_LINK_TTL: '30m' }).ttl.passwordLink, 1800);
    assert.equal(loadConfig({ PROPUSK_PASSWORD_LINK_TTL: '12h' }).ttl.passwordLink, 43_200);
    assert.equal(loadConfig({ PROPUSK_PASSWORD_LINK_TTL: '30d' }).ttl.passwordLink, 30 * 86_400);
    for (const value of ['0', '0m', '31d', '2w', '1.5h', '-1', 'h', '']) {
      assert.throws(() => loadConfig({ PROPUSK_PASSWORD_LINK_TTL: value }), (err: unknown) => err instanceof ConfigError && /^PROPUSK_PASSWORD_LINK_TTL: /.test(err.message), value);
    }
  });

  it('turns the demo off with PROPUSK_DEMO=0 and always in production', () => {
    assert.equal(loadConfig({ PROPUSK_DEMO: '0' }).demo, false);
    const key = Buffer.alloc(32, 7).toString('base64');
    assert.equal(loadConfig({ NODE_ENV: 'production', PROPUSK_MASTER_KEY: key, PROPUSK_ISSUER: 'https://id.example.com' }).demo, false);
  });

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'eighty' }, /^PORT: /],
    [{ PORT: '70000' }, /^PORT: /],
    [{ PROPUSK_ISSUER: 'ftp://x' }, /^PROPUSK_ISSUER: /],
    [{ PROPUSK_ISSUER: 'https://id.example.com/?a=1' }, /^PROPUSK_ISSUER: /],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL: /],
    [{ PROPUSK_ACCESS_TOKEN_TTL: '-5' }, /^PROPUSK_ACCESS_TOKEN_TTL: /],
    [{ PROPUSK_LOG_LEVEL: 'loud' }, /^PROPUSK_LOG_LEVEL: /],
    [{ PROPUSK_DEMO: 'maybe' }, /^PROPUSK_DEMO: /],
    [{ PROPUSK_MASTER_KEY: 'short' }, /^PROPUSK_MASTER_KEY: /],
    [{ NODE_ENV: 'production', PROPUSK_ISSUER: 'https://id.example.com' }, /^PROPUSK_MASTER_KEY: required/],
    [{ NODE_ENV: 'production', PROPUSK_MASTER_KEY: Buffer.alloc(32).toString('base64') }, /^PROPUSK_ISSUER: must be https/],
    [{ PROPUSK_COOKIE_KEYS: 'tooshort' }, /^PROPUSK_COOKIE_KEYS: /],
  ];
  for (const [env, message] of bad) {
    it(`refuses ${JSON.stringify(env)}`, () => {
      assert.throws(() => loadConfig(env), (err: unknown) => err instanceof ConfigError && message.test(err.message));
    });
  }

  it('mail: files in development, none in production until SMTP is configured; dev in production only with its folder named; a bad sender or SMTP URL is named, the URL never echoed', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const production = { NODE_ENV: 'production', PROPUSK_MASTER_KEY: key, PROPUSK_ISSUER: 'https://id.example.com' };
    assert.deepEqual(loadConfig({}).mail, { transport: 'dev', dir: './data/mail', from: 'Propusk <no-reply@localhost>' });
    assert.deepEqual(loadConfig(production).mail, { transport: 'off' });
    const smtp = loadConfig({ ...production, PROPUSK_MAIL_TRANSPORT: 'smtp', PROPUSK_SMTP_URL: 'smtps://u:p@smtp.example.com:465' }).mail;
    assert.deepEqual(smtp, { transport: 'smtp', url: 'smtps://u:p@smtp.example.com:465', from: 'Propusk <no-reply@id.example.com>' });
    assert.throws(() => loadConfig({ ...production, PROPUSK_MAIL_TRANSPORT: 'dev' }), (err: unknown) => err instanceof ConfigError && /^PROPUSK_MAIL_TRANSPORT: dev .* refused when NODE_ENV=production unless PROPUSK_MAIL_DIR/.test(err.message));
    assert.deepEqual(loadConfig({ ...production, PROPUSK_MAIL_TRANSPORT: 'dev', PROPUSK_MAIL_DIR: '/var/lib/propusk/mail' }).mail, { transport: 'dev', dir: '/var/lib/propusk/mail', from: 'Propusk <no-reply@id.example.com>' });
    assert.deepEqual(loadConfig({ PROPUSK_MAIL_FROM: ' id@example.ru ' }).mail, { transport: 'dev', dir: './data/mail', from: 'id@example.ru' });
    assert.equal((loadConfig({ PROPUSK_MAIL_FROM: '"Пропуск" <id@example.ru>' }).mail as { from: string }).from, '"Пропуск" <id@example.ru>');
    for (const from of ['Propusk', 'Propusk <nobody>', 'a@b.ru, c@d.ru', 'Propusk <a@b.ru> <c@d.ru>']) {
      assert.throws(() => loadConfig({ PROPUSK_MAIL_FROM: from }), (err: unknown) => err instanceof ConfigError && /^PROPUSK_MAIL_FROM: must be an e-mail address or `Name <address>`/.test(err.message), from);
    }
    assert.throws(() => loadConfig({ PROPUSK_MAIL_TRANSPORT: 'smtp' }), (err: unknown) => err instanceof ConfigError && /^PROPUSK_SMTP_URL: required/.test(err.message));
    assert.throws(
      () => loadConfig({ PROPUSK_SMTP_URL: 'http://user:s3cret-pass@smtp.example.com' }),
      (err: unknown) => err instanceof ConfigError && /^PROPUSK_SMTP_URL: /.test(err.message) && !err.message.includes('s3cret-pass'),
    );
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'mysql://root:s3cret-pass@db' }),
      (err: unknown) => err instanceof ConfigError && /^DATABASE_URL: /.test(err.message) && !err.message.includes('s3cret-pass'),
    );
  });

  it('propusk serve exits with a one-line message naming the variable', async () => {
    const r = await runCli(['serve'], { PORT: 'not-a-port', DATABASE_URL: 'sqlite::memory:' });
    assert.equal(r.code, 78);
    assert.match(r.stderr, /configuration error: PORT: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
