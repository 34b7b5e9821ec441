/**
 * The trusted-grant admin commands as child processes against a running server's database:
 * permissions, partner keys (certificate, SPKI, JWK/JWKS; refusals), links; bad arguments.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import { selfSignedCert } from '../unit/trusted/helpers.ts';
import { claims, requestToken, sign, type Partner } from './support.ts';

describe('propusk admin: partners, permissions, links', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let dir: string;
  const keyPair = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  before(async () => {
    server = await startTestServer();
    env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
    dir = mkdtempSync(join(tmpdir(), 'propusk-keys-'));
    await createClient(server.context, { clientId: 'cli.partner', grantTypes: ['trusted'] });
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server.stop();
  });

  const ok = async (args: string[], stdin?: string) => {
    const r = await runCli(['admin', ...args, '--json'], env, stdin);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as unknown;
  };
  /** A refusal: non-zero exit, nothing on stdout, a `propusk admin:` message matching `message` first on stderr. */
  const refused = async (args: string[], message: RegExp) => {
    const r = await runCli(['admin', ...args], env);
    assert.notEqual(r.code, 0, r.stdout);
    assert.equal(r.stdout, '');
    const first = r.stderr.split('\n')[0]!;
    assert.match(first, /^propusk admin: /);
    assert.match(first, message);
    return r;
  };

  it('client grant-permission / revoke-permission round trip', async () => {
    const granted = (await ok(['client', 'grant-permission', 'cli.partner', 'link-by-phone'])) as { permissions: string[] };
    assert.deepEqual(granted.permissions, ['link-by-phone']);
    assert.deepEqual(((await ok(['client', 'grant-permission', 'cli.partner', 'trusted'])) as { permissions: string[] }).permissions, ['link-by-phone', 'trusted']);
    assert.deepEqual(((await ok(['client', 'revoke-permission', 'cli.partner', 'link-by-phone'])) as { permissions: string[] }).permissions, ['trusted']);
    const human = await runCli(['admin', 'client', 'grant-permission', 'cli.partner', 'trusted'], env);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /cli\.partner permissions: trusted/);
    const audit = await server.context.audit.tail({ type: 'client.permission_granted' });
    assert.ok(audit.some((e) => e.clientId === 'cli.partner' && e.details.permission === 'link-by-phone'));
  });

  it('permission commands refuse bad arguments', async () => {
    await refused(['client', 'grant-permission', 'cli.partner', 'admin'], /unknown permission "admin"/);
    await refused(['client', 'grant-permission', 'no.such.client', 'trusted'], /client no\.such\.client not found/);
    const r = await refused(['client', 'grant-permission', 'cli.partner'], /expected <client_id> <permission>/);
    assert.equal(r.code, 2);
  });

  it('partner add-key accepts a JWK, lists it, and a JWT signed with it gets a token', async () => {
    const jwk = file('key.jwk', JSON.stringify({ ...keyPair.publicKey.export({ format: 'jwk' }), kid: 'cli-1' }));
    const added = (await ok(['partner', 'add-key', 'cli.partner', '--file', jwk])) as { key_id: string; kid: string; source: string }[];
    assert.equal(added.length, 1);
    assert.equal(added[0]!.kid, 'cli-1');
    assert.equal(added[0]!.source, 'jwk');
    const listed = (await ok(['partner', 'list-keys', 'cli.partner'])) as { key_id: string }[];
    assert.deepEqual(listed.map((k) => k.key_id), [added[0]!.key_id]);

    const { account } = await createUser(server.context);
    await ok(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', 'cli-user', '--user', account.login]);
    const partner: Partner = { clientId: 'cli.partner', apiKey: (await server.context.clients.issueKey('cli.partner', undefined, null)).api_key, privateKey: keyPair.privateKey, publicKey: keyPair.publicKey, kid: 'cli-1' };
    // The CLI's changes reach the server through the change feed (polled every 200 ms).
    await new Promise((r) => setTimeout(r, 400));
    const res = await requestToken(server, partner, await sign(partner, claims(partner, 'cli-user')));
    assert.equal(res.status, 200, res.text);
  });

  it('partner add-key accepts an X.509 certificate (with x5t) and an SPKI key; remove-key removes by id or kid', async () => {
    const certKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = selfSignedCert(certKey.privateKey, new Date(Date.now() - 86_400_000), new Date(Date.now() + 30 * 86_400_000));
    const [fromCert] = (await ok(['partner', 'add-key', 'cli.partner', '--file', file('cert.pem', cert)])) as { key_id: string; kid: string; source: string; x5t: string; not_after: string }[];
    assert.equal(fromCert!.source, 'certificate');
    assert.match(fromCert!.x5t, /^[A-Za-z0-9_-]{27}$/);
    assert.ok(fromCert!.not_after);
    const spkiKey = crypto.generateKeyPairSync('rsa', { modulusLength: 3072 });
    const [fromSpki] = (await ok(['partner', 'add-key', 'cli.partner', '--file', file('key.pem', spkiKey.publicKey.export({ type: 'spki', format: 'pem' }) as string)])) as { key_id: string; kid: string; source: string }[];
    assert.equal(fromSpki!.source, 'spki');

    const removed = (await ok(['partner', 'remove-key', 'cli.partner', fromCert!.key_id])) as { removed: boolean };
    assert.equal(removed.removed, true);
    await ok(['partner', 'remove-key', 'cli.partner', fromSpki!.kid]);
    const left = (await ok(['partner', 'list-keys', 'cli.partner'])) as { kid: string }[];
    assert.deepEqual(left.map((k) => k.kid), ['cli-1']);
    await refused(['partner', 'remove-key', 'cli.partner', fromCert!.key_id], /not found/);
    const audit = await server.context.audit.tail({ type: 'partner_key.removed' });
    assert.equal(audit.filter((e) => e.clientId === 'cli.partner').length, 2);
  });

  it('partner add-key refuses unacceptable keys with a one-line message', async () => {
    const small = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
    await refused(['partner', 'add-key', 'cli.partner', '--file', file('small.pem', small.publicKey.export({ type: 'spki', format: 'pem' }) as string)], /RSA key too small: 1024 bits/);
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await refused(['partner', 'add-key', 'cli.partner', '--file', file('ec.pem', ec.publicKey.export({ type: 'spki', format: 'pem' }) as string)], /only RSA keys are accepted/);
    await refused(['partner', 'add-key', 'cli.partner', '--file', file('private.pem', keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)], /private key/);
    const expired = selfSignedCert(keyPair.privateKey, new Date(Date.now() - 60 * 86_400_000), new Date(Date.now() - 86_400_000));
    await refused(['partner', 'add-key', 'cli.partner', '--file', file('expired.pem', expired)], /certificate has expired/);
    await refused(['partner', 'add-key', 'cli.partner', '--file', file('junk.txt', 'hello')], /unrecognised input/);
    await refused(['partner', 'add-key', 'cli.partner', '--file', join(dir, 'missing.pem')], /cannot read .*missing\.pem: no such file/);
    await refused(['partner', 'add-key', 'cli.partner', '--file', file('dup.jwk', JSON.stringify({ ...keyPair.publicKey.export({ format: 'jwk' }), kid: 'cli-1' }))], /already has a partner key with kid cli-1/);
    await refused(['partner', 'add-key', 'cli.partner'], /--file is required/);
    await refused(['partner', 'add-key', 'no.such.client', '--file', join(dir, 'key.jwk')], /client no\.such\.client not found/);
  });

  it('partner add-key reads a JWKS from stdin with --file -', async () => {
    const a = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const b = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwks = JSON.stringify({ keys: [{ ...a.publicKey.export({ format: 'jwk' }), kid: 'set-a' }, { ...b.publicKey.export({ format: 'jwk' }), kid: 'set-b', use: 'sig' }] });
    const added = (await ok(['partner', 'add-key', 'cli.partner', '--file', '-'], jwks)) as { kid: string }[];
    assert.deepEqual(added.map((k) => k.kid), ['set-a', 'set-b']);
  });

  it('partner remove-key takes a kid that starts with a dash (base64url thumbprints can), with or without --', async () => {
    // A JWK without a kid gets its RFC 7638 thumbprint, base64url: about one in 32 starts with "-".
    const kids = ['-4Xq_dash', '--Zq9dash'];
    for (const kid of kids) {
      const k = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      await ok(['partner', 'add-key', 'cli.partner', '--file', file(`${kid}.jwk`, JSON.stringify({ ...k.publicKey.export({ format: 'jwk' }), kid }))]);
    }
    assert.equal(((await ok(['partner', 'remove-key', 'cli.partner', '-4Xq_dash'])) as { kid: string }).kid, '-4Xq_dash');
    // Everything after -- is positional, so --json goes first here.
    const afterDashes = await runCli(['admin', 'partner', 'remove-key', '--json', 'cli.partner', '--', '--Zq9dash'], env);
    assert.equal(afterDashes.code, 0, afterDashes.stderr);
    assert.equal((JSON.parse(afterDashes.stdout) as { kid: string }).kid, '--Zq9dash');
    const left = (await ok(['partner', 'list-keys', 'cli.partner'])) as { kid: string }[];
    for (const kid of kids) assert.ok(!left.some((k) => k.kid === kid), `${kid} removed`);
    // Something that looks like an option is still refused as one, wherever it stands.
    await refused(['partner', 'remove-key', '--bogus', 'cli.partner', 'x'], /unknown flag --bogus for "partner remove-key"/);
    await refused(['partner', 'remove-key', 'cli.partner', 'x', '-4Xq_dash'], /unknown flag -4 for "partner remove-key"/);
  });

  it('link create / list / remove round trip', async () => {
    const { account } = await createUser(server.context);
    const created = (await ok(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', 'svc-1', '--user', account.id])) as Record<string, unknown>;
    assert.equal(created.account_id, account.id);
    assert.equal(created.created_by, 'support');
    assert.equal(created.created, true);
    assert.equal(((await ok(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', 'svc-1', '--user', account.login])) as Record<string, unknown>).created, false);

    const byUser = (await ok(['link', 'list', '--user', account.login])) as { service_user_id: string }[];
    assert.deepEqual(byUser.map((l) => l.service_user_id), ['svc-1']);
    const byClient = (await ok(['link', 'list', '--client-id', 'cli.partner'])) as { service_user_id: string }[];
    assert.ok(byClient.some((l) => l.service_user_id === 'svc-1'));
    const human = await runCli(['admin', 'link', 'list', '--client-id', 'cli.partner'], env);
    assert.match(human.stdout, /svc-1/);

    assert.equal(((await ok(['link', 'remove', '--client-id', 'cli.partner', '--service-user-id', 'svc-1'])) as Record<string, unknown>).removed, true);
    assert.deepEqual(await ok(['link', 'list', '--user', account.id]), []);
    const audit = await server.context.audit.tail({ type: 'link.removed' });
    assert.ok(audit.some((e) => e.accountId === account.id && e.details.service_user_id === 'svc-1'));
  });

  it('link commands refuse bad arguments', async () => {
    const { account } = await createUser(server.context);
    const other = await createUser(server.context);
    await ok(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', 'taken', '--user', account.id]);
    await refused(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', 'taken', '--user', other.account.id], /already linked/);
    await refused(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', 'svc-x'], /--user is required/);
    await refused(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', 'svc-x', '--user', 'ghost@example.com'], /account ghost@example\.com not found/);
    await refused(['link', 'create', '--client-id', 'no.such', '--service-user-id', 'svc-x', '--user', account.id], /client no\.such not found/);
    await refused(['link', 'create', '--client-id', 'cli.partner', '--service-user-id', ' ', '--user', account.id], /ServiceUserId must be a non-empty string/);
    await refused(['link', 'remove', '--client-id', 'cli.partner', '--service-user-id', 'never'], /not found/);
    await refused(['link', 'list', '--bogus'], /unknown flag --bogus for "link list"/);
  });
});
