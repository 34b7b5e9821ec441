/** `client create`: registers an integrator application and issues its first api-key (shown once). */
import { command, optionalString, requireString } from '../command.ts';
import { splitList } from '../../clients/validation.ts';
import { DEVICE_CODE_GRANT, GRANT_TYPES, JWT_BEARER_GRANT, TRUSTED_GRANT } from '../../clients/types.ts';
import type { IssuedKey } from '../../clients/service.ts';

/** The new key, as `client create` and `client issue-key` print it. */
export const formatKey = (key: IssuedKey, what: string): string =>
  `${what} ${key.client_id}\napi-key (shown once, store it now): ${key.api_key}\napi-key id: ${key.api_key_id}\n`;

/** Short names operators type for the long grant type URNs; the client is registered with the registrable name. */
const GRANT_ALIASES: Record<string, string> = {
  device_code: DEVICE_CODE_GRANT,
  'device-code': DEVICE_CODE_GRANT,
  'jwt-bearer': TRUSTED_GRANT,
  jwt_bearer: TRUSTED_GRANT,
  [JWT_BEARER_GRANT]: TRUSTED_GRANT,
};
export const grantTypeName = (name: string): string => GRANT_ALIASES[name] ?? name;

export const clientCreate = command({
  name: 'client create',
  summary: 'register a client and issue its first api-key',
  usage:
    'client create --client-id <id> --name <name> --grant-types <csv> [--redirect-uris <csv>] [--post-logout-redirect-uris <csv>] [--scopes "<space separated>"] [--public] [--application-type native|web] [--require-dpop] [--require-mfa] [--no-key] [--json]',
  examples: ["client create --client-id accounting.web --name 'Бухгалтерия Онлайн' --grant-types authorization_code,refresh_token --redirect-uris https://app.example.ru/callback --scopes 'openid profile offline_access extern.api'", "client create --client-id tv.app --name 'TV app' --grant-types device_code,refresh_token --public", "client create --client-id partner.crm --name 'Partner CRM' --grant-types jwt-bearer --scopes extern.api",
    "client create --client-id shop.web --name 'Shop' --grant-types authorization_code --redirect-uris https://shop.example/cb --no-key"],
  options: {
    'client-id': { type: 'string', description: 'the client id (required)' },
    name: { type: 'string', description: 'a name people recognise, 1–200 characters (required)' },
    'grant-types': { type: 'string', description: `comma-separated grant types (required): ${GRANT_TYPES.join(', ')}; \`device_code\` is short for the device grant's URN, \`jwt-bearer\` (or its URN) names the trusted grant` },
    'redirect-uris': { type: 'string', description: 'comma-separated redirect URIs (authorization_code only; at least one there)' },
    'post-logout-redirect-uris': { type: 'string', description: 'comma-separated URIs the browser may return to after signing out' },
    scopes: { type: 'string', description: 'space-separated scopes the client may ask for (default `openid`)' },
    public: { type: 'boolean', description: 'a public client: no api-key, PKCE required' },
    'application-type': { type: 'string', description: '`native` or `web` (default: `native` for a public client, else `web`)' },
    'require-dpop': { type: 'boolean', description: 'token requests must carry a DPoP proof, so every access token is DPoP-bound (RFC 9449)' },
    'require-mfa': { type: 'boolean', description: 'every sign-in for the client takes a second factor (two-step verification)' },
    'no-key': { type: 'boolean', description: 'issue no api-key now: the integrator sets one in the portal after `client invite`, so no operator sees it' },
  },
  async run(ctx, { values }) {
    const scopes = optionalString(values, 'scopes');
    const { client, key } = await ctx.clients.create({
      clientId: requireString(values, 'client-id', this.usage),
      name: requireString(values, 'name', this.usage),
      grantTypes: splitList(requireString(values, 'grant-types', this.usage), /,/).map(grantTypeName),
      redirectUris: splitList(optionalString(values, 'redirect-uris'), /,/),
      postLogoutRedirectUris: splitList(optionalString(values, 'post-logout-redirect-uris'), /,/),
      ...(scopes !== undefined ? { scopes: splitList(scopes, /\s+/) } : {}),
      public: values.public === true,
      applicationType: optionalString(values, 'application-type'),
      requireDpop: values['require-dpop'] === true,
      requireMfa: values['require-mfa'] === true,
      issueKey: values['no-key'] !== true,
    }, 'admin-cli');
    return key ?? { client_id: client.clientId, public: client.public };
  },
  format: (k) =>
    'api_key' in k
      ? formatKey(k, 'created client')
      : k.public
        ? `created public client ${k.client_id} (no api-key)\n`
        : `created client ${k.client_id} without an api-key; invite its owner to set one: propusk admin client invite ${k.client_id}\n`,
});
