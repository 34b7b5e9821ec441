/**
 * `user grant-role`, `user revoke-role`, `client grant-role`, `client revoke-role`: operator roles
 * for the management API and the console (`admin`, `support`, `auditor`).
 */
import { command, type AdminCommand } from '../command.ts';
import { RoleService, type SubjectRef } from '../../operators/roles.ts';
import { ROLE_DESCRIPTIONS, ROLES, type Role } from '../../operators/types.ts';

const ROLE_HELP = ROLES.map((r) => `${r}: ${ROLE_DESCRIPTIONS[r]}`).join('; ');

function roleCommand(kind: 'user' | 'client', action: 'grant' | 'revoke'): AdminCommand {
  const who = kind === 'user' ? 'login' : 'client_id';
  return command({
    name: `${kind} ${action}-role`,
    summary:
      action === 'grant'
        ? `give ${kind === 'user' ? 'an account' : 'a machine client'} an operator role (${ROLES.join(' | ')})`
        : `withdraw an operator role from ${kind === 'user' ? 'an account' : 'a machine client'}`,
    usage: `${kind} ${action}-role <${who}> <role> [--json]`,
    examples: [kind === 'user' ? `user ${action}-role ivan@example.ru ${action === 'grant' ? 'support' : 'admin'}` : `client ${action}-role ops.robot auditor`],
    options: {},
    positionals: [
      { name: who, description: kind === 'user' ? 'the account (login or id)' : 'the confidential client' },
      { name: 'role', description: ROLE_HELP },
    ],
    async run(ctx, { positionals }) {
      const role: Role = RoleService.parseRole(positionals[1]!);
      const ref: SubjectRef = kind === 'user' ? { account: positionals[0]! } : { client: positionals[0]! };
      const result = action === 'grant' ? await ctx.roles.grant(ref, role, 'admin-cli') : await ctx.roles.revoke(ref, role, 'admin-cli');
      return { [kind === 'user' ? 'login' : 'client_id']: result.subject.label, roles: result.roles, changed: result.changed };
    },
    format: (result) => {
      const name = String(result.login ?? result.client_id);
      const roles = result.roles as Role[];
      const now = roles.length ? roles.join(', ') : 'none';
      const note = kind === 'client' && roles.length ? ` (may now get a propusk.admin token by client_credentials)` : '';
      return `${name}: roles ${now}${result.changed ? '' : ' (unchanged)'}${note}\n`;
    },
  });
}

export const userGrantRole = roleCommand('user', 'grant');
export const userRevokeRole = roleCommand('user', 'revoke');
export const clientGrantRole = roleCommand('client', 'grant');
export const clientRevokeRole = roleCommand('client', 'revoke');
