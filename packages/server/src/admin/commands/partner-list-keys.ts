/** `partner list-keys`: the keys a partner signs trusted-grant JWTs with — ids, kids, thumbprints, validity. */
import { command, table } from '../command.ts';
import type { PartnerKey } from '../../partners/types.ts';

export function publicPartnerKey(k: PartnerKey) {
  return {
    key_id: k.id,
    client_id: k.clientId,
    kid: k.kid,
    source: k.source,
    x5t: k.x5t ?? null,
    'x5t#S256': k.x5tS256 ?? null,
    not_before: k.notBefore?.toISOString() ?? null,
    not_after: k.notAfter?.toISOString() ?? null,
    created_at: k.createdAt.toISOString(),
  };
}

export const partnerKeyColumns = ['key_id', 'kid', 'source', 'not_after', 'created_at'] as const;

export const partnerListKeys = command({
  name: 'partner list-keys',
  summary: "list a partner client's trusted-grant keys",
  usage: 'partner list-keys <client_id> [--json]',
  examples: ["partner list-keys partner.crm"],
  options: {},
  positionals: [{ name: 'client_id', description: 'the partner client' }],
  async run(ctx, { positionals }) {
    return (await ctx.partnerKeys.list(positionals[0]!)).map(publicPartnerKey);
  },
  format: (keys) => table(keys, partnerKeyColumns),
});
