/**
 * `user password-link`: a one-time link with which the account holder sets their own password, so
 * that nobody else sees it (PasswordLinkService.issue). The account's earlier unused links stop
 * working; the link works until PROPUSK_PASSWORD_LINK_TTL has passed (24 h by default).
 */
import { command, warnIssuerUnknown } from '../command.ts';
import { USER_ARGUMENT } from './user-list.ts';

export const userPasswordLink = command({
  name: 'user password-link',
  summary: 'create a one-time link with which the account holder sets their own password',
  usage: 'user password-link <login or account id> [--json]',
  examples: ["user password-link ivan@example.ru"],
  options: {},
  positionals: [USER_ARGUMENT],
  async run(ctx, { positionals }) {
    const link = await ctx.passwordLinks.issue(positionals[0]!, 'admin-cli');
    if (!link.url.startsWith('http')) warnIssuerUnknown();
    return { url: link.url, expires_at: link.expiresAt.toISOString() };
  },
  format: (r) => `one-time set-password link (expires ${r.expires_at}); send it to the account holder only:\n${r.url}\n`,
});
