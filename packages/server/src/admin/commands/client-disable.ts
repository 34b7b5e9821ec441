/**
 * `client disable` / `client enable`: a disabled client is refused at every endpoint (token requests
 * get `invalid_client`) on every instance within a second; disabling also revokes every grant, code
 * and token issued to it, so enabling it again does not bring old tokens back.
 */
import type { AdminCommand } from '../command.ts';
import { publicClient } from './client-list.ts';

const make = (disabled: boolean): AdminCommand => ({
  name: disabled ? 'client disable' : 'client enable',
  summary: disabled ? 'disable a client and revoke every grant and token issued to it' : 'enable a disabled client',
  usage: `client ${disabled ? 'disable' : 'enable'} <client_id> [--json]`,
  options: {},
  positionals: ['client_id'],
  async run(ctx, { positionals }) {
    const client = await ctx.clients.setDisabled(positionals[0]!, disabled);
    await ctx.audit.record({ type: disabled ? 'client.disabled' : 'client.enabled', actor: 'admin-cli', clientId: client.clientId });
    if (!disabled) return publicClient(client);
    const revoked = await ctx.revocation.revokeClient(client.clientId, { actor: 'admin-cli', reason: 'client_disabled' });
    return { ...publicClient(client), revoked };
  },
  format: (r) => {
    const { client_id: clientId, revoked } = r as { client_id: string; revoked?: number };
    return disabled ? `disabled client ${clientId}; revoked ${revoked ?? 0} grant(s), code(s) and token(s)\n` : `enabled client ${clientId}\n`;
  },
});

export const clientDisable = make(true);
export const clientEnable = make(false);
