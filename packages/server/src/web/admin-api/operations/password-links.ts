/** One-time set-password links: the operator hands the link to the account holder and never sees a password. */
import { z } from 'zod';
import { operation } from '../operation.ts';

export const passwordLinkOperations = [
  operation({
    id: 'issuePasswordLink',
    method: 'post',
    path: '/users/{id}/password-link',
    tag: 'users',
    summary: 'Issue a one-time link with which the account holder sets their own password (earlier unused links stop working)',
    description: 'The link is answered once, here; it is never listed, logged or audited. It expires after `PROPUSK_PASSWORD_LINK_TTL` (24 h by default).',
    permission: 'users:manage',
    params: z.strictObject({ id: z.string().min(1).max(200).describe('account id (or login)') }),
    status: 201,
    response: z.object({ url: z.url(), expires_at: z.iso.datetime() }),
    problems: ['not-found', 'conflict'],
    async run({ params }, { app, operator }) {
      const link = await app.passwordLinks.issue(params.id, operator.actor);
      return { url: link.url, expires_at: link.expiresAt.toISOString() };
    },
  }),
];
