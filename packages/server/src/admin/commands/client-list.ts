/**
 * `client list`: registered clients (never their keys). The introspection clients of API resources
 * (`rs.*`, made by `resource create`) are left out unless `--all`. The table fits 100 columns:
 * the client_id stays whole, the name and grant types are shortened with an ellipsis.
 */
import { command } from '../command.ts';
import { publicClient } from '../../clients/public-view.ts';
import { DEVICE_CODE_GRANT } from '../../clients/types.ts';

/** Width of the table, in columns. */
export const CLIENT_LIST_WIDTH = 100;

const SHORT_GRANTS: Record<string, string> = { [DEVICE_CODE_GRANT]: 'device_code' };

const cut = (text: string, width: number): string => (text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`);

type Row = ReturnType<typeof publicClient>;

export function clientTable(clients: readonly Row[], width = CLIENT_LIST_WIDTH): string {
  if (clients.length === 0) return '(none)\n';
  const rows = clients.map((c) => ({
    client_id: c.client_id,
    name: c.name,
    grants: c.grant_types.map((g) => SHORT_GRANTS[g] ?? g).join(','),
    type: `${c.public ? 'public' : 'confidential'} ${c.application_type}`,
    status: c.disabled ? 'disabled' : 'active',
  }));
  const head = { client_id: 'client_id', name: 'name', grants: 'grant_types', type: 'type', status: 'status' };
  const w = (k: keyof typeof head) => Math.max(head[k].length, ...rows.map((r) => r[k].length));
  const fixed = { client_id: w('client_id'), type: w('type'), status: w('status') };
  // Four gaps of two spaces; what is left goes to the name and the grant types: both whole when they
  // fit, else each gets at least half of what the other does not need.
  const left = Math.max(20, width - fixed.client_id - fixed.type - fixed.status - 8);
  const half = Math.floor(left / 2);
  const nameWidth = Math.min(w('name'), Math.max(half, left - w('grants')));
  const grantsWidth = Math.min(w('grants'), left - nameWidth);
  const line = (r: typeof head) =>
    [r.client_id.padEnd(fixed.client_id), cut(r.name, nameWidth).padEnd(nameWidth), cut(r.grants, grantsWidth).padEnd(grantsWidth), r.type.padEnd(fixed.type), r.status].join('  ').trimEnd();
  return `${[head, ...rows].map(line).join('\n')}\n`;
}

export const clientList = command({
  name: 'client list',
  summary: 'list clients (the APIs’ introspection clients only with --all)',
  usage: 'client list [--all] [--json]',
  examples: ['client list', 'client list --all --json'],
  options: {
    all: { type: 'boolean', description: 'also list the introspection clients of API resources (`rs.*`)' },
  },
  async run(ctx, { values }) {
    const kind = await ctx.clients.kinds();
    return (await ctx.clients.list()).filter((c) => values.all === true || kind(c.clientId) !== 'introspection').map(publicClient);
  },
  format: (clients) => clientTable(clients),
});
