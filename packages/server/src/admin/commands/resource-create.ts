/** `resource create`: a new API resource (scope → audience) and its introspection credentials. */
import { command, optionalString, requireString, UsageError } from '../command.ts';
import { SIGNING_ALGS, isSigningAlg } from '../../keys/types.ts';

export const resourceCreate = command({
  name: 'resource create',
  summary: 'create an API resource and its introspection credentials',
  usage: 'resource create --scope <scope> --name <name> [--indicator <uri>] [--format opaque|jwt] [--alg RS256|ES256|EdDSA] [--ttl <seconds>] [--json]',
  examples: ["resource create --scope extern.api --name 'Extern API'", "resource create --scope reports.read --name 'Reports' --format jwt --ttl 900 --json", "resource create --scope ledger.api --name 'Ledger' --format jwt --alg ES256"],
  options: {
    scope: { type: 'string', description: 'the scope clients ask for to call the API (required)' },
    name: { type: 'string', description: 'a name people recognise (required)' },
    indicator: { type: 'string', description: "the resource indicator, the tokens' audience (default `urn:propusk:api:<scope>`)" },
    format: { type: 'string', description: 'access-token format: `opaque` or `jwt` (default `opaque`)' },
    alg: { type: 'string', description: 'with `--format jwt`: the signature algorithm of its access tokens, `RS256`, `ES256` or `EdDSA` (default `RS256`)' },
    ttl: { type: 'string', description: 'access-token lifetime in seconds (default `PROPUSK_ACCESS_TOKEN_TTL`)' },
  },
  async run(ctx, { values }) {
    const ttl = optionalString(values, 'ttl');
    const format = optionalString(values, 'format');
    const alg = optionalString(values, 'alg');
    if (alg !== undefined && !isSigningAlg(alg)) throw new UsageError(`--alg must be ${SIGNING_ALGS.join(', ')} (got ${JSON.stringify(alg)})\nusage: propusk admin ${this.usage}`);
    if (alg !== undefined && format !== 'jwt') throw new UsageError(`--alg applies to JWT access tokens only: add --format jwt (opaque tokens are not signed)\nusage: propusk admin ${this.usage}`);
    const { resource, key } = await ctx.resources.create(
      {
        scope: requireString(values, 'scope', this.usage),
        name: requireString(values, 'name', this.usage),
        indicator: optionalString(values, 'indicator'),
        accessTokenFormat: format,
        accessTokenSigningAlg: alg,
        accessTokenTtl: ttl === undefined ? undefined : Number(ttl),
      },
      'admin-cli',
    );
    return {
      scope: resource.scope,
      indicator: resource.indicator,
      name: resource.name,
      access_token_format: resource.accessTokenFormat,
      access_token_signing_alg: resource.accessTokenSigningAlg,
      access_token_ttl: resource.accessTokenTtl ?? ctx.config.ttl.accessToken,
      client_id: key.client_id,
      api_key: key.api_key,
      api_key_id: key.api_key_id,
      /** @deprecated the same value as `api_key`, under its former name; removed in the next release. */
      client_secret: key.api_key,
    };
  },
  format: (x) => `created resource ${x.scope} (audience ${x.indicator}${x.access_token_signing_alg ? `, JWT access tokens signed ${x.access_token_signing_alg}` : ''})\nintrospection client_id: ${x.client_id}\nintrospection api-key (shown once, store it now): ${x.api_key}\n`,
});
