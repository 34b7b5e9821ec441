/** `resource list`: API resources with their audience, token format, signature algorithm (JWT only) and lifetime. */
import { command, table } from '../command.ts';

export const resourceList = command({
  name: 'resource list',
  summary: 'list API resources',
  usage: 'resource list [--json]',
  examples: ["resource list"],
  options: {},
  async run(ctx) {
    return (await ctx.resources.list()).map((r) => ({
      scope: r.scope,
      indicator: r.indicator,
      name: r.name,
      access_token_format: r.accessTokenFormat,
      access_token_signing_alg: r.accessTokenSigningAlg,
      access_token_ttl: r.accessTokenTtl ?? ctx.config.ttl.accessToken,
      introspection_client_id: r.introspectionClientId,
    }));
  },
  format: (resources) => table(resources, ['scope', 'indicator', 'access_token_format', 'access_token_signing_alg', 'access_token_ttl', 'introspection_client_id']),
});
