/**
 * The trusted grant in the standard spelling of RFC 7523 (`urn:ietf:params:oauth:grant-type:jwt-bearer`
 * with `assertion`), as openid-client sends it: advertised in discovery, same rules and replay guard
 * as `grant_type=trusted`; a JWT's `aud`, when present, must name us; `partner require-aud` makes it required.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import crypto from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { claims, createPartner, linkedUser, requestToken, sign, type Partner } from './support.ts';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

function suite(name: string, describeFn: (name: string, fn: () => void) => void, postgres: boolean) {
  describeFn(`trusted grant as RFC 7523 jwt-bearer (${name})`, () => {
    let server: TestServer;
    let schema: TestSchema | undefined;
    let partner: Partner;
    let config: oidc.Configuration;
    let as: oidc.ServerMetadata;
    const SUB = 'bearer-user-1';

    before(async () => {
      schema = postgres ? await createTestSchema() : undefined;
      server = await startTestServer(schema ? { DATABASE_URL: schema.url } : {});
      partner = await createPartner(server.context, 'bearer.partner');
      await linkedUser(server.context, partner, SUB);
      config = await oidc.discovery(new URL(server.issuer), partner.clientId, undefined, oidc.ClientSecretPost(partner.apiKey), { execute: [oidc.allowInsecureRequests] });
      as = config.serverMetadata();
    });
    after(async () => {
      await server.stop();
      await schema?.drop();
    });

    /** A JWT-bearer token request exactly as openid-client sends it. */
    async function bearer(assertion: string) {
      try {
        return { ok: true as const, body: await oidc.genericGrantRequest(config, JWT_BEARER, { assertion, scope: 'extern.api' }) };
      } catch (err) {
        if (err instanceof oidc.ResponseBodyError) return { ok: false as const, error: err.error, description: err.error_description ?? '' };
        throw err;
      }
    }

    it('is advertised in discovery next to trusted', () => {
      assert.ok(as.grant_types_supported?.includes(JWT_BEARER), JSON.stringify(as.grant_types_supported));
      assert.ok(as.grant_types_supported?.includes('trusted'));
    });

    it('issues a token for a partner JWT sent as assertion', async () => {
      const r = await bearer(await sign(partner, claims(partner, SUB)));
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.body.token_type, 'bearer');
      assert.equal(r.body.scope, 'extern.api');
    });

    it('shares the replay guard with grant_type=trusted, both ways', async () => {
      const jwt = await sign(partner, claims(partner, SUB));
      assert.equal((await requestToken(server, partner, jwt)).status, 200);
      const replay = await bearer(jwt);
      assert.equal(replay.ok, false);
      assert.equal(!replay.ok && replay.error, 'invalid_grant');
      assert.match(!replay.ok ? replay.description : '', /rule ERR_REPLAY/);
      const jwt2 = await sign(partner, claims(partner, SUB));
      assert.ok((await bearer(jwt2)).ok);
      const r = await requestToken(server, partner, jwt2);
      assert.equal(r.json.error, 'invalid_grant');
    });

    it('applies the same rules (an expired JWT is refused)', async () => {
      const r = await bearer(await sign(partner, claims(partner, SUB, { iat: 1000, exp: 2000 })));
      assert.equal(!r.ok && r.error, 'invalid_grant');
      assert.match(!r.ok ? r.description : '', /rule ERR_EXPIRED/);
    });

    it('a missing assertion is invalid_request', async () => {
      const res = await fetch(`${server.url}/connect/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: JWT_BEARER, client_id: partner.clientId, client_secret: partner.apiKey, scope: 'extern.api' }),
      });
      assert.equal(res.status, 400);
      const body = (await res.json()) as { error: string; error_description: string };
      assert.equal(body.error, 'invalid_request');
      assert.match(body.error_description, /assertion/);
    });

    it('accepts aud = the issuer or the token endpoint, on both spellings', async () => {
      for (const aud of [server.issuer, as.token_endpoint!, [as.token_endpoint!, 'https://elsewhere.example']]) {
        assert.ok((await bearer(await sign(partner, claims(partner, SUB, { aud })))).ok, JSON.stringify(aud));
        assert.equal((await requestToken(server, partner, await sign(partner, claims(partner, SUB, { aud })))).status, 200, JSON.stringify(aud));
      }
    });

    it('refuses a JWT minted for another relying party', async () => {
      const r = await bearer(await sign(partner, claims(partner, SUB, { aud: 'https://other-rp.example/token' })));
      assert.equal(!r.ok && r.error, 'invalid_grant');
      assert.match(!r.ok ? r.description : '', /rule ERR_AUDIENCE/);
      const t = await requestToken(server, partner, await sign(partner, claims(partner, SUB, { aud: 'https://other-rp.example' })));
      assert.equal(t.json.error, 'invalid_grant');
    });

    it('the token endpoint aud is ours whatever Host the request claims', async () => {
      // A JWT the partner minted for another relying party whose token endpoint has the same path.
      const jwt = await sign(partner, claims(partner, SUB, { aud: 'http://other-rp.example/connect/token' }));
      const body = new URLSearchParams({ grant_type: JWT_BEARER, client_id: partner.clientId, client_secret: partner.apiKey, scope: 'extern.api', assertion: jwt }).toString();
      const answer = await new Promise<{ status: number; json: Record<string, unknown> }>((resolve, reject) => {
        const url = new URL(`${server.url}/connect/token`);
        const req = request(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { host: 'other-rp.example', 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as Record<string, unknown> }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      assert.equal(answer.status, 400, JSON.stringify(answer.json));
      assert.equal(answer.json.error, 'invalid_grant');
      assert.match(String(answer.json.error_description), /rule ERR_AUDIENCE/);
    });

    it('partner require-aud (admin CLI) makes aud required, and can be turned off', async () => {
      const env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
      const on = await runCli(['admin', 'partner', 'require-aud', partner.clientId, '--json'], env);
      assert.equal(on.code, 0, on.stderr);
      assert.deepEqual(JSON.parse(on.stdout), { client_id: partner.clientId, require_aud: true });
      // The server drops its cached client on the change notice; give it a moment.
      let r = await bearer(await sign(partner, claims(partner, SUB)));
      for (let i = 0; i < 40 && r.ok; i++) {
        await new Promise((res) => setTimeout(res, 50));
        r = await bearer(await sign(partner, claims(partner, SUB)));
      }
      assert.equal(!r.ok && r.error, 'invalid_grant');
      assert.match(!r.ok ? r.description : '', /rule ERR_AUDIENCE/);
      assert.ok((await bearer(await sign(partner, claims(partner, SUB, { aud: as.token_endpoint! })))).ok);
      const off = await runCli(['admin', 'partner', 'require-aud', partner.clientId, '--off', '--json'], env);
      assert.equal(off.code, 0, off.stderr);
      assert.deepEqual(JSON.parse(off.stdout), { client_id: partner.clientId, require_aud: false });
      const bad = await runCli(['admin', 'partner', 'require-aud', 'no.such.client'], env);
      assert.notEqual(bad.code, 0);
      assert.match(bad.stderr, /no\.such\.client/);
    });

    it('partner add-key --require-aud registers the key and requires aud at once', async () => {
      const env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
      const { apiKey } = await createClient(server.context, { clientId: 'bearer.second', grantTypes: ['trusted'], scopes: ['extern.api'] });
      await server.context.clients.setPermission('bearer.second', 'trusted', true, null);
      const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
      const dir = mkdtempSync(join(tmpdir(), 'propusk-aud-'));
      try {
        const file = join(dir, 'key.pem');
        writeFileSync(file, publicKey.export({ format: 'pem', type: 'spki' }) as string);
        const added = await runCli(['admin', 'partner', 'add-key', 'bearer.second', '--file', file, '--require-aud', '--json'], env);
        assert.equal(added.code, 0, added.stderr);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const second: Partner = { clientId: 'bearer.second', apiKey, privateKey, publicKey, kid: '' };
      await linkedUser(server.context, second, SUB);
      const unsigned = (overrides: Record<string, unknown>) => sign(second, claims(second, SUB, overrides), { kid: undefined });
      let r = await requestToken(server, second, await unsigned({}));
      for (let i = 0; i < 40 && r.status === 200; i++) {
        await new Promise((res) => setTimeout(res, 50));
        r = await requestToken(server, second, await unsigned({}));
      }
      assert.equal(r.json.error, 'invalid_grant', r.text);
      assert.match(String(r.json.error_description), /rule ERR_AUDIENCE/);
      assert.equal((await requestToken(server, second, await unsigned({ aud: server.issuer }))).status, 200);
    });
  });
}

suite('SQLite', describe, false);
suite('PostgreSQL', describePostgres, true);
