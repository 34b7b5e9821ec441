/** `resource create`: a new API resource (scope → audience) and its introspection credentials. */
import { command, optionalString, requireString } from '../command.ts';

export const resourceCreate = command({
  name: 'resource create',
  summary: 'create an API resource and its introspection credentials',
  usage: 'resource create --scope <scope> --name <name> [--indicator <uri>] [--format opaque|jwt] [--ttl <seconds>] [--json]',
  examples: ["resource create --scope extern.api --name 'Extern API'", "resource create --scope reports.read --name 'Reports' --format jwt --ttl 900 --json"],
  options: {
    scope: { type: 'string', description: 'the scope clients ask for to call the API (required)' },
    name: { type: 'string', description: 'a name people recognise (required)' },
    indicator: { type: 'string', description: "the resource indicator, the tokens' audience (default `urn:propusk:api:<scope>`)" },
    format: { type: 'string', description: 'access-token format: `opaque` or `jwt` (default `opaque`)' },
    ttl: { type: 'string', description: 'access-token lifetime in seconds (default `PROPUSK_ACCESS_TOKEN_TTL`)' },
  },
  async run(ctx, { values }) {
    const ttl = optionalString(values, 'ttl');
    const { resource, key } = await ctx.resources.create(
      {
        scope: requireString(values, 'scope', this.usage),
        name: requireString(values, 'name', this.usage),
        indicator: optionalString(values, 'indicator'),
        accessTokenFormat: optionalString(values, 'format'),
        accessTokenTtl: ttl === undefined ? undefined : Number(ttl),
      },
      'admin-cli',
    );
    return {
      scope: resource.scope,
      indicator: resource.indicator,
      name: resource.name,
      access_token_format: resource.accessTokenFormat,
      access_token_ttl: resource.accessTokenTtl ?? ctx.config.ttl.accessToken,
      client_id: key.client_id,
      api_key: key.api_key,
      api_key_id: key.api_key_id,
      /** @deprecated the same value as `api_key`, under its former name; removed in the next release. */
      client_secret: key.api_key,
    };
  },
  format: (x) => `created resource ${x.scope} (audience ${x.indicator})\nintrospection client_id: ${x.client_id}\nintrospection api-key (shown once, store it now): ${x.api_key}\n`,
});
