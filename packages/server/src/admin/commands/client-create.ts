/** `client create`: registers an integrator application and issues its first api-key (shown once). */
import { command, optionalString, requireString } from '../command.ts';
import { splitList } from '../../clients/validation.ts';
import { GRANT_TYPES } from '../../clients/types.ts';
import type { IssuedKey } from '../../clients/service.ts';

/** The new key, as `client create` and `client issue-key` print it. */
export const formatKey = (key: IssuedKey, what: string): string =>
  `${what} ${key.client_id}\napi-key (shown once, store it now): ${key.api_key}\napi-key id: ${key.api_key_id}\n`;

export const clientCreate = command({
  name: 'client create',
  summary: 'register a client and issue its first api-key',
  usage:
    'client create --client-id <id> --name <name> --grant-types <csv> [--redirect-uris <csv>] [--post-logout-redirect-uris <csv>] [--scopes "<space separated>"] [--public] [--application-type native|web] [--require-dpop] [--require-mfa] [--json]',
  options: {
    'client-id': { type: 'string', description: 'the client id (required)' },
    name: { type: 'string', description: 'a name people recognise, 1–200 characters (required)' },
    'grant-types': { type: 'string', description: `comma-separated grant types (required): ${GRANT_TYPES.join(', ')}` },
    'redirect-uris': { type: 'string', description: 'comma-separated redirect URIs (authorization_code only; at least one there)' },
    'post-logout-redirect-uris': { type: 'string', description: 'comma-separated URIs the browser may return to after signing out' },
    scopes: { type: 'string', description: 'space-separated scopes the client may ask for (default `openid`)' },
    public: { type: 'boolean', description: 'a public client: no api-key, PKCE required' },
    'application-type': { type: 'string', description: '`native` or `web` (default: `native` for a public client, else `web`)' },
    'require-dpop': { type: 'boolean', description: 'token requests must carry a DPoP proof, so every access token is DPoP-bound (RFC 9449)' },
    'require-mfa': { type: 'boolean', description: 'every sign-in for the client takes a second factor (two-step verification)' },
  },
  async run(ctx, { values }) {
    const scopes = optionalString(values, 'scopes');
    const { client, key } = await ctx.clients.create({
      clientId: requireString(values, 'client-id', this.usage),
      name: requireString(values, 'name', this.usage),
      grantTypes: splitList(requireString(values, 'grant-types', this.usage), /,/),
      redirectUris: splitList(optionalString(values, 'redirect-uris'), /,/),
      postLogoutRedirectUris: splitList(optionalString(values, 'post-logout-redirect-uris'), /,/),
      ...(scopes !== undefined ? { scopes: splitList(scopes, /\s+/) } : {}),
      public: values.public === true,
      applicationType: optionalString(values, 'application-type'),
      requireDpop: values['require-dpop'] === true,
      requireMfa: values['require-mfa'] === true,
    }, 'admin-cli');
    return key ?? { client_id: client.clientId };
  },
  format: (k) => ('api_key' in k ? formatKey(k, 'created client') : `created public client ${k.client_id} (no api-key)\n`),
});
