/**
 * Same-endpoint baseline: oidc-provider alone, with its in-memory adapter and static clients, configured like Propusk for the endpoints the scenarios measure (same routes, opaque
 * client_credentials tokens for the extern.api resource, introspection by that API only, an
 * https issuer behind a trusted proxy). "Propusk ÷ bare-oidc-provider" on one scenario is our
 * overhead on that endpoint: storage on disk, api-key hashing, middleware, logging.
 *
 * The in-memory adapter is oidc-provider's own MemoryAdapter class, but given a store of 2,000,000
 * entries: the default one is an LRU of 1,000 entries, which evicts the seeded tokens as soon as
 * the client_credentials scenario has issued a thousand more (introspection then answers
 * `active: false` to everything). Deep imports, this file only: the bench is not the server.
 *
 * For refresh-token, a web client (authorization code + refresh, client_secret_post) and one
 * account whose refresh tokens are minted directly through oidc-provider's models by
 * `POST /bench/refresh-tokens?count=N` (bench only, before anything is measured): what Propusk's
 * code flows leave behind — per token a Grant for `openid profile extern.api`, a Session the token
 * expires with (no offline_access, so each rotation looks the session up, as on Propusk) and the
 * refresh token (gty authorization_code). Rotation is on, as on Propusk.
 *
 * Environment (all required): BENCH_PORT, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_RS_ID,
 * BENCH_RS_SECRET, BENCH_WEB_ID, BENCH_WEB_SECRET.
 */
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import Provider, { type Configuration, type ResourceServer } from 'oidc-provider';
// @ts-expect-error -- deep import without type declarations
import MemoryAdapter from 'oidc-provider/lib/adapters/memory_adapter.js';
// @ts-expect-error -- deep import without type declarations
import LRU from 'oidc-provider/lib/helpers/lru.js';
import { routes } from '../../packages/server/src/provider/routes.ts';

function required(name: string): string {
  const v = process.env[name];
  if (!v) {
    process.stderr.write(`bare-oidc-provider: ${name} must be set\n`);
    process.exit(2);
  }
  return v;
}

const port = Number(required('BENCH_PORT'));
const API_SCOPE = 'extern.api';
const API_INDICATOR = `urn:propusk:api:${API_SCOPE}`;
const resourceServer: ResourceServer = { scope: API_SCOPE, audience: API_INDICATOR, accessTokenTTL: 86_400, accessTokenFormat: 'opaque' };

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), alg: 'RS256', use: 'sig' };

const MEMORY_ENTRIES = 2_000_000;
type MemoryAdapterClass = new (model: string, store: unknown, clockTolerance?: number) => object;
const store: unknown = new (LRU as new (o: { maxSize: number }) => unknown)({ maxSize: MEMORY_ENTRIES });
const adapter = (model: string) => new (MemoryAdapter as MemoryAdapterClass)(model, store, 0);

const WEB_ID = required('BENCH_WEB_ID');
const WEB_REDIRECT_URI = 'https://localhost/cb';
const WEB_SCOPE = 'openid profile extern.api';

/** One account, with the profile claims a Propusk account releases (provider/accounts.ts). */
const ACCOUNT_ID = randomUUID();
const accountClaims = {
  sub: ACCOUNT_ID,
  name: 'Bench User Seven',
  given_name: 'Bench',
  family_name: 'Seven',
  middle_name: 'User',
  updated_at: Math.floor(Date.now() / 1000),
  email: 'bench7@example.com',
  email_verified: true,
};

const configuration: Configuration = {
  adapter: adapter as unknown as Configuration['adapter'],
  clients: [
    {
      client_id: required('BENCH_CLIENT_ID'),
      client_secret: required('BENCH_CLIENT_SECRET'),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      scope: API_SCOPE,
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: WEB_ID,
      client_secret: required('BENCH_WEB_SECRET'),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [WEB_REDIRECT_URI],
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      client_id: required('BENCH_RS_ID'),
      client_secret: required('BENCH_RS_SECRET'),
      grant_types: [],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] } as Configuration['jwks'],
  // What Propusk's discovery advertises too (provider/index.ts), so that discovery documents are of a like size.
  scopes: ['openid', 'profile', 'email', 'phone', 'offline_access', API_SCOPE, 'extern.test-tools'],
  claims: { openid: ['sub', 'auth_time', 'amr'], profile: ['name', 'given_name', 'family_name', 'middle_name', 'updated_at'], email: ['email', 'email_verified'], phone: ['phone_number', 'phone_number_verified'] },
  responseTypes: ['code'],
  clientAuthMethods: ['client_secret_post', 'client_secret_basic', 'none'],
  routes,
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    revocation: { enabled: true },
    deviceFlow: { enabled: true, charset: 'base-20', mask: '********' },
    userinfo: { enabled: true },
    introspection: {
      enabled: true,
      allowedPolicy: (_ctx, client, token) =>
        client.clientId === process.env.BENCH_RS_ID && 'aud' in token && ([] as unknown[]).concat(token.aud).includes(API_INDICATOR),
    },
    resourceIndicators: {
      enabled: true,
      defaultResource: (ctx) => (String(ctx.oidc.params?.scope ?? '').split(' ').includes(API_SCOPE) ? API_INDICATOR : undefined),
      getResourceServerInfo: () => resourceServer,
      useGrantedResource: () => true,
    },
  },
  findAccount: (_ctx, sub) => (sub === ACCOUNT_ID ? { accountId: sub, claims: () => accountClaims } : undefined),
  // As Propusk (provider/index.ts): refresh tokens for every client allowed the grant, always rotated.
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  ttl: { ClientCredentials: 86_400, AccessToken: 86_400, IdToken: 3_600, Grant: 14 * 86_400, RefreshToken: 14 * 86_400, Session: 14 * 86_400 },
};

const provider = new Provider(`https://localhost:${port}`, configuration);
provider.proxy = true;

/**
 * `count` unused refresh tokens of the web client, each as a code flow of its own sign-in leaves it:
 * its own Grant and Session. (oidc-provider's in-memory adapter keeps a grant's members in one
 * Map that it walks on every write to the grant, so a thousand tokens of one grant would measure
 * that walk, not the rotation.)
 */
async function mintRefreshTokens(count: number): Promise<string[]> {
  const client = await provider.Client.find(WEB_ID);
  if (!client) throw new Error('the web client is not configured');
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const grant = new provider.Grant({ accountId: ACCOUNT_ID, clientId: WEB_ID });
    grant.addOIDCScope('openid profile');
    grant.addResourceScope(API_INDICATOR, API_SCOPE);
    const grantId = await grant.save();
    const authTime = Math.floor(Date.now() / 1000);
    const session = new provider.Session();
    session.loginAccount({ accountId: ACCOUNT_ID, loginTs: authTime, amr: ['pwd'] });
    session.ensureClientContainer(WEB_ID);
    session.grantIdFor(WEB_ID, grantId);
    await session.save(14 * 86_400);
    const token = new provider.RefreshToken({
      accountId: ACCOUNT_ID,
      amr: ['pwd'],
      authTime,
      client,
      expiresWithSession: true,
      grantId,
      gty: 'authorization_code',
      iiat: authTime,
      nonce: randomBytes(8).toString('hex'),
      resource: API_INDICATOR,
      scope: WEB_SCOPE,
      sessionUid: session.uid,
      sid: session.sidFor(WEB_ID),
    });
    out.push(await token.save());
  }
  return out;
}

const callback = provider.callback();
// Only the seeding request is looked at before oidc-provider: measured requests pay one string test.
const server = createServer((req, res) => {
  if (req.method === 'POST' && req.url?.startsWith('/bench/refresh-tokens?')) {
    const count = Number(new URL(req.url, 'http://bench').searchParams.get('count'));
    mintRefreshTokens(count).then(
      (tokens) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(tokens)),
      (err: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(err.stack),
    );
    return;
  }
  void callback(req, res);
});
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1');

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
