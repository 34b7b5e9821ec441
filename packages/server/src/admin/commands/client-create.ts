/** `client create`: registers an integrator application and issues its first api-key (shown once). */
import { type AdminCommand, optionalString, requireString } from '../command.ts';
import { splitList } from '../../clients/validation.ts';

export const clientCreate: AdminCommand = {
  name: 'client create',
  summary: 'register a client and issue its first api-key',
  usage:
    'client create --client-id <id> --name <name> --grant-types <csv> [--redirect-uris <csv>] [--post-logout-redirect-uris <csv>] [--scopes "<space separated>"] [--public] [--application-type native|web] [--json]',
  options: {
    'client-id': { type: 'string' },
    name: { type: 'string' },
    'grant-types': { type: 'string' },
    'redirect-uris': { type: 'string' },
    'post-logout-redirect-uris': { type: 'string' },
    scopes: { type: 'string' },
    public: { type: 'boolean' },
    'application-type': { type: 'string' },
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
    });
    await ctx.audit.record({ type: 'client.created', actor: 'admin-cli', clientId: client.clientId });
    if (key) await ctx.audit.record({ type: 'api_key.issued', actor: 'admin-cli', clientId: client.clientId, details: { api_key_id: key.api_key_id } });
    return key ?? { client_id: client.clientId };
  },
  format: (r) => {
    const k = r as { client_id: string; api_key?: string; api_key_id?: string };
    return k.api_key
      ? `created client ${k.client_id}\napi-key (shown once, store it now): ${k.api_key}\napi-key id: ${k.api_key_id}\n`
      : `created public client ${k.client_id} (no api-key)\n`;
  },
};
