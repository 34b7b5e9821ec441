/**
 * JWT access tokens signed with each API's own algorithm (RS256, ES256, EdDSA), over HTTP and the
 * admin CLI (a separate process, as operators run it): an API created with `--alg` gets its tokens
 * signed with a key of that algorithm, which the running server publishes in its JWKS within a
 * second; the tokens verify with jose against the JWKS and with @propusk/resource-server; the JWKS
 * holds exactly one current key per algorithm in use, ID tokens stay RS256, and `keys rotate` gives
 * every algorithm a new key while tokens signed with the old ones keep verifying during the overlap.
 * On SQLite, and on PostgreSQL when it answers. Also: the CLI's refusals of `--alg`, concurrent key
 * additions and rotations, and an instance that has not heard of a new key yet loading it when a
 * token needs it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { createVerifier } from '@propusk/resource-server';
import { postForm, runCli, startTestServer, type TestServer } from '../support/server.ts';
import { createClient } from '../support/fixtures.ts';
import { eventually } from '../support/eventually.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';

type Alg = 'RS256' | 'ES256' | 'EdDSA';

/** The JWK shape each algorithm's keys must have. */
const SHAPES: Record<Alg, { kty: string; crv?: string }> = {
  RS256: { kty: 'RSA' },
  ES256: { kty: 'EC', crv: 'P-256' },
  EdDSA: { kty: 'OKP', crv: 'Ed25519' },
};

function signingAlgSuite(name: string, databaseUrl: () => Promise<{ env: Record<string, string>; cleanup(): Promise<void> }>) {
  describe(name, () => {
    let server: TestServer;
    let env: Record<string, string>;
    let cleanup: () => Promise<void> = async () => undefined;
    /** Per algorithm: the API's scope, audience, introspection credentials and a client for it. */
    const apis = new Map<Alg, { scope: string; audience: string; rs: { clientId: string; secret: string }; client: { clientId: string; apiKey: string } }>();
    /** A token of each algorithm from before the rotation. */
    const oldTokens = new Map<Alg, string>();

    before(async () => {
      const db = await databaseUrl();
      cleanup = db.cleanup;
      server = await startTestServer(db.env);
      env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
    });
    after(async () => {
      await server?.stop();
      await cleanup();
    });

    const jwksUri = () => `${server.url}/.well-known/openid-configuration/jwks`;
    const jwks = async () => ((await (await fetch(jwksUri())).json()) as { keys: JWK[] }).keys;
    const cli = async (args: string[]) => {
      const r = await runCli(['admin', ...args, '--json'], env);
      assert.equal(r.code, 0, r.stderr);
      return JSON.parse(r.stdout) as Record<string, unknown>;
    };
    const token = async (alg: Alg) => {
      const { scope, client } = apis.get(alg)!;
      const res = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope });
      assert.equal(res.status, 200, res.text);
      return res.json.access_token as string;
    };
    /** Verifies `jwt` with jose against the JWKS (a fresh key set each time) and with @propusk/resource-server; answers its kid. */
    const verifyBoth = async (alg: Alg, jwt: string) => {
      const { audience, rs, client } = apis.get(alg)!;
      const { payload, protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(jwksUri())), { issuer: server.issuer, audience, typ: 'at+jwt' });
      assert.equal(protectedHeader.alg, alg);
      assert.equal(protectedHeader.typ, 'at+jwt');
      assert.equal(payload.iss, server.issuer);
      assert.equal(payload.aud, audience);
      assert.equal(payload.client_id, client.clientId);
      const verifier = createVerifier({ issuer: server.issuer, audience, credentials: { clientId: rs.clientId, clientSecret: rs.secret }, cache: false });
      const principal = await verifier.verify(jwt, { scopes: [apis.get(alg)!.scope] });
      assert.equal(principal.clientId, client.clientId);
      assert.equal(principal.claims.iss, server.issuer);
      return protectedHeader.kid!;
    };
    /** The JWKS's keys grouped by algorithm, each group in the JWKS's order (newest first). */
    const byAlg = (keys: JWK[]) => {
      const groups = new Map<string, JWK[]>();
      for (const k of keys) groups.set(k.alg!, [...(groups.get(k.alg!) ?? []), k]);
      return groups;
    };
    const assertShape = (key: JWK, alg: Alg) => {
      assert.equal(key.kty, SHAPES[alg].kty, `${alg} key type`);
      assert.equal(key.crv, SHAPES[alg].crv, `${alg} curve`);
      assert.equal(key.use, 'sig');
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) assert.equal((key as Record<string, unknown>)[secret], undefined, `no private part ${secret} published`);
    };

    it('a fresh server publishes one key, RS256 (RSA), and ID tokens are RS256 only', async () => {
      const keys = await jwks();
      assert.equal(keys.length, 1);
      assert.equal(keys[0]!.alg, 'RS256');
      assertShape(keys[0]!, 'RS256');
      const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
      assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
    });

    const inUse: Alg[] = [];
    for (const alg of ['RS256', 'ES256', 'EdDSA'] as const) {
      it(`an API created with --format jwt --alg ${alg}: its tokens are signed ${alg} (typ at+jwt) and verify with jose and @propusk/resource-server; the JWKS holds one key per algorithm in use`, async () => {
        const scope = `signed.${alg.toLowerCase()}`;
        const before = await jwks();
        const created = await cli(['resource', 'create', '--scope', scope, '--name', `Signed ${alg}`, '--format', 'jwt', '--alg', alg]);
        assert.equal(created.access_token_format, 'jwt');
        assert.equal(created.access_token_signing_alg, alg);
        inUse.push(alg);

        // The key the CLI added reaches the running server through the change feed within a second.
        const keys = (await eventually(`the JWKS has a ${alg} key`, 1000, async () => {
          const now = await jwks();
          return now.some((k) => k.alg === alg) ? now : undefined;
        })).value;
        const groups = byAlg(keys);
        assert.deepEqual([...groups.keys()].sort(), [...inUse].sort(), 'one algorithm per algorithm in use, no other');
        for (const a of inUse) {
          assert.equal(groups.get(a)!.length, 1, `exactly one ${a} key`);
          assertShape(groups.get(a)![0]!, a);
        }
        if (alg === 'RS256') assert.deepEqual(keys, before, 'RS256 needs no new key');

        const client = await createClient(server.context, { clientId: `job.${alg.toLowerCase()}`, scopes: [scope] });
        apis.set(alg, { scope, audience: created.indicator as string, rs: { clientId: created.client_id as string, secret: created.api_key as string }, client });
        const jwt = (await eventually(`a token for ${scope}`, 2000, async () => {
          const { scope: s, client: c } = apis.get(alg)!;
          const res = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.apiKey, scope: s });
          return res.status === 200 ? (res.json.access_token as string) : undefined;
        })).value;
        const header = decodeProtectedHeader(jwt);
        assert.equal(header.alg, alg);
        assert.equal(header.typ, 'at+jwt');
        assert.equal(header.kid, groups.get(alg)![0]!.kid, `signed by the ${alg} key of the JWKS`);
        assert.equal(await verifyBoth(alg, jwt), header.kid);

        const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
        assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256'], 'ID tokens stay RS256');
        const listed = (await cli(['resource', 'list'])) as unknown as { scope: string; access_token_signing_alg: string | null }[];
        assert.equal(listed.find((r) => r.scope === scope)?.access_token_signing_alg, alg);
        assert.equal(listed.find((r) => r.scope === 'extern.api')?.access_token_signing_alg, null, 'opaque APIs have none');
      });
    }

    it('a second API with an algorithm already in use adds no key', async () => {
      const before = await jwks();
      await cli(['resource', 'create', '--scope', 'signed.es256.second', '--name', 'Second ES256', '--format', 'jwt', '--alg', 'ES256']);
      await new Promise((r) => setTimeout(r, 400));
      assert.deepEqual(await jwks(), before);
      assert.equal((await server.context.keys.list()).filter((k) => k.alg === 'ES256').length, 1);
    });

    it('keys rotate gives every algorithm a new key that signs from then on; tokens signed with the old keys still verify during the overlap', async () => {
      const old = byAlg(await jwks());
      for (const alg of inUse) oldTokens.set(alg, await token(alg));
      const out = (await cli(['keys', 'rotate'])) as { kid: string; keys: { kid: string; alg: Alg }[]; retired: string[] };
      assert.deepEqual(out.keys.map((k) => k.alg).sort(), [...inUse].sort(), 'one new key per algorithm in use');
      assert.equal(out.kid, out.keys.find((k) => k.alg === 'RS256')!.kid);
      assert.deepEqual([...out.retired].sort(), inUse.map((a) => old.get(a)![0]!.kid!).sort());

      const fresh = new Map(out.keys.map((k) => [k.alg, k.kid]));
      const keys = (await eventually('the JWKS lists the new keys', 1000, async () => {
        const now = await jwks();
        return out.keys.every((k) => now.some((j) => j.kid === k.kid)) ? now : undefined;
      })).value;
      assert.equal(keys[0]!.kid, out.kid, 'the new RS256 key is listed first');
      const groups = byAlg(keys);
      assert.deepEqual([...groups.keys()].sort(), [...inUse].sort());
      for (const alg of inUse) {
        const group = groups.get(alg)!;
        assert.deepEqual(group.map((k) => k.kid), [fresh.get(alg), old.get(alg)![0]!.kid], `${alg}: the new key first, the retired one still published`);
        for (const k of group) assertShape(k, alg);
      }

      for (const alg of inUse) {
        const jwt = await token(alg);
        assert.equal(decodeProtectedHeader(jwt).kid, fresh.get(alg), `${alg} tokens are signed by the new key`);
        assert.equal(await verifyBoth(alg, jwt), fresh.get(alg));
        assert.equal(await verifyBoth(alg, oldTokens.get(alg)!), old.get(alg)![0]!.kid, `an ${alg} token from before the rotation still verifies`);
      }

      const listed = (await cli(['keys', 'list'])) as unknown as { kid: string; alg: string; signing: boolean }[];
      assert.deepEqual(
        listed.filter((k) => k.signing).map((k) => `${k.alg} ${k.kid}`).sort(),
        out.keys.map((k) => `${k.alg} ${k.kid}`).sort(),
        'the signing key of each algorithm is the new one',
      );
      assert.deepEqual(listed.filter((k) => !k.signing).map((k) => k.kid).sort(), [...out.retired].sort());
      const discovery = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as Record<string, string[]>;
      assert.deepEqual(discovery.id_token_signing_alg_values_supported, ['RS256']);
    });
  });
}

signingAlgSuite('JWT access tokens signed per API (SQLite)', async () => ({ env: {}, cleanup: async () => undefined }));

describePostgres('JWT access tokens signed per API (PostgreSQL)', () => {
  let schema: TestSchema | undefined;
  after(async () => {
    await schema?.drop();
  });
  signingAlgSuite('on a fresh schema', async () => {
    schema = await createTestSchema();
    return { env: { DATABASE_URL: schema.url }, cleanup: async () => undefined };
  });
});

describe('resource create --alg (admin CLI), and signing keys changed at once', () => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer();
    env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
  });
  after(() => server.stop());

  const cases: [string, string[], RegExp][] = [
    ['--alg without --format', ['--alg', 'ES256'], /--alg applies to JWT access tokens only: add --format jwt/],
    ['--alg with --format opaque', ['--format', 'opaque', '--alg', 'EdDSA'], /--alg applies to JWT access tokens only/],
    ['an unknown algorithm', ['--format', 'jwt', '--alg', 'HS256'], /--alg must be RS256, ES256, EdDSA \(got "HS256"\)/],
    ['an algorithm in the wrong case', ['--format', 'jwt', '--alg', 'es256'], /--alg must be RS256, ES256, EdDSA/],
  ];
  for (const [name, flags, message] of cases) {
    it(`${name}: exit 2, one clear message, nothing created`, async () => {
      const r = await runCli(['admin', 'resource', 'create', '--scope', 'refused.api', '--name', 'Refused', ...flags], env);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /usage: propusk admin resource create/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'stack trace printed');
      assert.equal(r.stdout, '');
      assert.equal(await server.context.repos.resources.findByScope('refused.api'), undefined);
      assert.deepEqual((await server.context.keys.list()).map((k) => k.alg), ['RS256'], 'no key added');
    });
  }

  it('--alg ES256 --format jwt works; the human output names the algorithm; resource list shows it', async () => {
    const r = await runCli(['admin', 'resource', 'create', '--scope', 'ledger.api', '--name', 'Ledger', '--format', 'jwt', '--alg', 'ES256'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /created resource ledger\.api \(audience urn:propusk:api:ledger\.api, JWT access tokens signed ES256\)/);
    const list = await runCli(['admin', 'resource', 'list'], env);
    assert.match(list.stdout, /access_token_signing_alg/);
    assert.match(list.stdout, /ledger\.api\s+urn:propusk:api:ledger\.api\s+jwt\s+ES256/);
    const keys = await runCli(['admin', 'keys', 'list', '--json'], env);
    assert.deepEqual((JSON.parse(keys.stdout) as { alg: string; signing: boolean }[]).map((k) => `${k.alg} ${k.signing}`).sort(), ['ES256 true', 'RS256 true']);
  });

  it('concurrent additions of a key of one algorithm, and concurrent rotations, leave one current key per algorithm', async () => {
    const keys = server.context.keys;
    const added = await Promise.all(Array.from({ length: 4 }, () => keys.ensureSigningKey('EdDSA')));
    assert.equal(added.filter(Boolean).length, 1, 'one EdDSA key added');
    const signingByAlg = async () => (await keys.list()).filter((k) => k.signing).map((k) => k.alg).sort();
    assert.deepEqual((await keys.list()).filter((k) => k.retiredAt === null).map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256']);
    const rotations = await Promise.all([keys.rotate('admin-cli'), keys.rotate('admin-cli')]);
    for (const r of rotations) assert.deepEqual(r.keys.map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256']);
    assert.deepEqual((await keys.list()).filter((k) => k.retiredAt === null).map((k) => k.alg).sort(), ['ES256', 'EdDSA', 'RS256'], 'one unretired key per algorithm');
    assert.deepEqual(await signingByAlg(), ['ES256', 'EdDSA', 'RS256']);
    const jwks = ((await (await fetch(`${server.url}/.well-known/openid-configuration/jwks`)).json()) as { keys: JWK[] }).keys;
    const newest = rotations.flatMap((r) => r.keys).sort((a, b) => a.kid.localeCompare(b.kid));
    for (const alg of ['RS256', 'ES256', 'EdDSA']) {
      const current = (await keys.list()).find((k) => k.alg === alg && k.signing)!;
      assert.ok(newest.some((k) => k.kid === current.kid), `${alg}: the signing key is one of the rotations' keys`);
      assert.equal(jwks.find((k) => k.alg === alg)?.kid, current.kid, `${alg}: the JWKS lists the signing key first among its algorithm`);
    }
  });

  it('--format jwt without --alg is RS256', async () => {
    const r = await runCli(['admin', 'resource', 'create', '--scope', 'plain.jwt', '--name', 'Plain JWT', '--format', 'jwt', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as Record<string, unknown>).access_token_signing_alg, 'RS256');
    const opaque = await runCli(['admin', 'resource', 'create', '--scope', 'plain.opaque', '--name', 'Plain opaque', '--json'], env);
    assert.equal((JSON.parse(opaque.stdout) as Record<string, unknown>).access_token_signing_alg, null);
  });
});

describe('a JWT API whose key this instance has not loaded yet', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.stop());

  it('the token request loads the signing keys at once instead of failing', async () => {
    // This instance hears nothing from other processes any more: neither the key nor the API reach it through the feed.
    await server.context.repos.changes.stop();
    const env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
    const r = await runCli(['admin', 'resource', 'create', '--scope', 'late.api', '--name', 'Late', '--format', 'jwt', '--alg', 'EdDSA', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const created = JSON.parse(r.stdout) as Record<string, string>;
    // The API alone is announced in this process (as if its change had arrived before the key's).
    await server.context.repos.changes.publish('resource', created.indicator!);
    const client = await createClient(server.context, { clientId: 'late.job', scopes: ['late.api'] });
    const res = (await eventually('the new scope accepted', 2000, async () => {
      const answer = await postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope: 'late.api' });
      return answer.json.error === 'invalid_scope' ? undefined : answer;
    })).value;
    assert.equal(res.status, 200, res.text);
    const jwt = res.json.access_token as string;
    assert.equal(decodeProtectedHeader(jwt).alg, 'EdDSA');
    const { protectedHeader } = await jwtVerify(jwt, createRemoteJWKSet(new URL(`${server.url}/.well-known/openid-configuration/jwks`)), { issuer: server.issuer, audience: created.indicator!, typ: 'at+jwt' });
    assert.equal(protectedHeader.kid, (await server.context.keys.list()).find((k) => k.alg === 'EdDSA')!.kid, 'and the JWKS publishes the key');
  });

  it('token requests that arrive together while the key loads all wait for it, none fails', async () => {
    // The feed stays stopped (previous test): ES256 is not loaded in this process yet.
    const env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
    const r = await runCli(['admin', 'resource', 'create', '--scope', 'burst.api', '--name', 'Burst', '--format', 'jwt', '--alg', 'ES256', '--json'], env);
    assert.equal(r.code, 0, r.stderr);
    const created = JSON.parse(r.stdout) as Record<string, string>;
    await server.context.repos.changes.publish('resource', created.indicator!);
    const client = await createClient(server.context, { clientId: 'burst.job', scopes: ['burst.api'] });
    // The scope is known once discovery lists it; no token request has been made for it yet.
    await eventually('the new scope in discovery', 2000, async () => {
      const doc = (await (await fetch(`${server.url}/.well-known/openid-configuration`)).json()) as { scopes_supported: string[] };
      return doc.scopes_supported.includes('burst.api') || undefined;
    });
    // A slow database: reading the keys takes 300 ms, so the requests after the first arrive while it is under way.
    const keys = server.context.keys;
    const read = keys.privateJwks.bind(keys);
    keys.privateJwks = async () => {
      await sleep(300);
      return read();
    };
    let answers;
    try {
      answers = await Promise.all(
        Array.from({ length: 6 }, () => postForm(`${server.url}/connect/token`, { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope: 'burst.api' })),
      );
    } finally {
      keys.privateJwks = read;
    }
    for (const answer of answers) {
      assert.equal(answer.status, 200, answer.text);
      assert.equal(decodeProtectedHeader(answer.json.access_token as string).alg, 'ES256');
    }
  });
});
