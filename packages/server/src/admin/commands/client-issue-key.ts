/** `client issue-key`: a new api-key for a client (shown once; the older keys stay valid until revoked). */
import { command, optionalString } from '../command.ts';
import { formatKey } from './client-create.ts';

export const clientIssueKey = command({
  name: 'client issue-key',
  summary: 'issue a new api-key for a client',
  usage: 'client issue-key <client_id> [--label <text>] [--json]',
  examples: ["client issue-key accounting.web --label production"],
  options: { label: { type: 'string', description: 'a note to tell the key from the others (shown by `client list-keys`)' } },
  positionals: [{ name: 'client_id', description: 'the client' }],
  async run(ctx, { values, positionals }) {
    return ctx.clients.issueKey(positionals[0]!, optionalString(values, 'label'), 'admin-cli');
  },
  format: (key) => formatKey(key, 'new api-key for'),
});
