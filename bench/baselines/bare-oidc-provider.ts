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
 * Environment (all required): BENCH_PORT, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_RS_ID, BENCH_RS_SECRET.
 */
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
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
  claims: { openid: ['sub'], profile: ['name', 'given_name', 'family_name', 'middle_name', 'updated_at'], email: ['email', 'email_verified'], phone: ['phone_number', 'phone_number_verified'] },
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
  ttl: { ClientCredentials: 86_400 },
};

const provider = new Provider(`https://localhost:${port}`, configuration);
provider.proxy = true;

const server = createServer(provider.callback());
server.keepAliveTimeout = 5_000;
server.listen(port, '127.0.0.1');

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
