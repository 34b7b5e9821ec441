/** API resources: list, and create with introspection credentials (shown once), as `propusk admin resource list` and `resource create`. */
import { z } from 'zod';
import type { AppContext } from '../../../context.ts';
import type { Resource } from '../../../resources/types.ts';
import { operation } from '../operation.ts';
import { SIGNING_ALGS } from '../../../keys/types.ts';
import { pageInMemory, pageOf, paginationQuery } from '../pagination.ts';

const TAG = 'resources';

const ResourceItem = z.object({
  scope: z.string(),
  indicator: z.string().describe("the resource indicator: the tokens' audience"),
  name: z.string(),
  access_token_format: z.enum(['opaque', 'jwt']),
  access_token_signing_alg: z.enum(SIGNING_ALGS).nullable().describe('the signature algorithm of its JWT access tokens; null for opaque tokens'),
  access_token_ttl: z.number().int().describe('access-token lifetime in seconds (the configured default when the resource sets none)'),
  introspection_client_id: z.string().nullable().describe('the client the API introspects tokens with'),
  created_at: z.iso.datetime(),
});

const resourceItem = (app: AppContext, r: Resource): z.input<typeof ResourceItem> => ({
  scope: r.scope,
  indicator: r.indicator,
  name: r.name,
  access_token_format: r.accessTokenFormat,
  access_token_signing_alg: r.accessTokenSigningAlg,
  access_token_ttl: r.accessTokenTtl ?? app.config.ttl.accessToken,
  introspection_client_id: r.introspectionClientId,
  created_at: r.createdAt.toISOString(),
});

export const resourceOperations = [
  operation({
    id: 'listResources',
    method: 'get',
    path: '/resources',
    tag: TAG,
    summary: 'List API resources, by scope',
    permission: 'resources:read',
    query: z.strictObject(paginationQuery),
    status: 200,
    response: pageOf(ResourceItem),
    async run({ query }, { app }) {
      return pageInMemory(await app.resources.list(), query, { arity: 1, of: (r) => [r.scope] }, (r) => resourceItem(app, r));
    },
  }),
  operation({
    id: 'createResource',
    method: 'post',
    path: '/resources',
    tag: TAG,
    summary: 'Create an API resource and its introspection client; the client\'s secret is shown once',
    description: 'As `propusk admin resource create`. The introspection client is `rs.<scope>`; its first api-key is in this answer only (`api_key`).',
    permission: 'resources:write',
    body: z.strictObject({
      scope: z.string().describe('the scope clients ask for to call the API: 1-100 letters, digits, dots, dashes, underscores or colons'),
      name: z.string().describe('1-200 characters'),
      indicator: z.string().optional().describe("the resource indicator, the tokens' audience (default `urn:propusk:api:<scope>`)"),
      access_token_format: z.enum(['opaque', 'jwt']).optional().describe('default `opaque`'),
      access_token_signing_alg: z
        .enum(SIGNING_ALGS)
        .optional()
        .describe('with `access_token_format` `jwt` only: the signature algorithm of its access tokens (default `RS256`); the first API with `ES256` or `EdDSA` adds a signing key of that algorithm to the JWKS'),
      access_token_ttl: z.number().int().optional().describe('access-token lifetime in seconds, 60-31536000 (default: the configured one)'),
    }),
    status: 201,
    response: ResourceItem.extend({
      introspection_client_id: z.string(),
      api_key: z.string().describe("the introspection client's secret: shown in this answer only"),
      api_key_id: z.string(),
    }),
    problems: ['conflict'],
    async run({ body }, { app, operator }) {
      const { resource, key } = await app.resources.create(
        { scope: body.scope, name: body.name, indicator: body.indicator, accessTokenFormat: body.access_token_format, accessTokenSigningAlg: body.access_token_signing_alg, accessTokenTtl: body.access_token_ttl },
        operator.actor,
      );
      return { ...resourceItem(app, resource), introspection_client_id: key.client_id, api_key: key.api_key, api_key_id: key.api_key_id };
    },
  }),
];
