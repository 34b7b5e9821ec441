/**
 * The invitation link `/integrations/invitations/<token>`: explains the invitation, lets the invitee
 * sign in (or create an account when the invitation allows it) and accept it once, becoming an owner
 * of the client. An unknown link is 404; an expired or used one 410.
 */
import { normalizeEmail } from '../../accounts/email.ts';
import type { Account } from '../../accounts/types.ts';
import { MIN_PASSWORD_LENGTH } from '../../accounts/passwords.ts';
import { validatePassword } from '../../accounts/service.ts';
import { IntegrationService } from '../../integrations/service.ts';
import { InvitationError, InvitationErrorCode } from '../../integrations/errors.ts';
import type { Invitation } from '../../integrations/types.ts';
import { DomainError } from '../../shared/errors.ts';
import { integrationInvitationPage, type LoginError, type SignUpError } from '../../views/index.ts';
import { portalPaths } from './paths.ts';
import { csrfToken, render, seeOther, switchHref, type PortalRequest } from './page.ts';
import { invitationGone } from './refusals.ts';
import { signIn } from './sign-in.ts';

/** The invitation of the link, or undefined after rendering why it cannot be used. */
async function load(req: PortalRequest, token: string): Promise<Invitation | undefined> {
  try {
    return await req.deps.integrations.inspect(token);
  } catch (err) {
    if (err instanceof InvitationError) return void invitationGone(req, err.reason);
    throw err;
  }
}

interface ShowOptions {
  signInError?: LoginError;
  signInRetryAfterSeconds?: number | undefined;
  login?: string;
  signUpError?: SignUpError;
  signUpEmail?: string;
  status?: number;
}

async function show(req: PortalRequest, token: string, invitation: Invitation, options: ShowOptions = {}): Promise<void> {
  const client = await req.deps.clients.get(invitation.clientId);
  const base = portalPaths.invitation(token);
  const account = req.account;
  const matches = account ? IntegrationService.isFor(invitation, account) : undefined;
  render(
    req,
    integrationInvitationPage({
      locale: req.locale,
      csrfToken: csrfToken(req),
      switchLocaleHref: switchHref(req),
      clientName: client.name,
      clientId: client.clientId,
      email: invitation.email,
      expiresAt: invitation.expiresAt,
      account: account?.login,
      accountMatches: matches,
      acceptAction: `${base}/accept`,
      signInAction: `${base}/sign-in`,
      signUpAction: invitation.allowSignup ? `${base}/sign-up` : undefined,
      switchAccountAction: `${portalPaths.signOut}?next=${encodeURIComponent(base)}`,
      signInError: options.signInError,
      signInRetryAfterSeconds: options.signInRetryAfterSeconds,
      login: options.login,
      signUpError: options.signUpError,
      signUpEmail: options.signUpEmail,
      minPasswordLength: MIN_PASSWORD_LENGTH,
    }),
    options.status ?? (matches === false ? 403 : 200),
  );
}

/** Accepts for the signed-in account and goes to the client's page; renders why not otherwise. */
async function acceptAs(req: PortalRequest, token: string, account: Account): Promise<void> {
  let invitation: Invitation;
  try {
    invitation = await req.deps.integrations.accept(token, account);
  } catch (err) {
    if (!(err instanceof InvitationError)) throw err;
    if (err.reason === InvitationErrorCode.WRONG_ACCOUNT) {
      const current = await load(req, token);
      return current ? show(req, token, current) : undefined;
    }
    return invitationGone(req, err.reason);
  }
  seeOther(req, portalPaths.client(invitation.clientId));
}

/** GET /integrations/invitations/:token */
export async function invitationPage(req: PortalRequest, token: string): Promise<void> {
  const invitation = await load(req, token);
  if (invitation) await show(req, token, invitation);
}

/** POST /integrations/invitations/:token/accept (signed in) */
export async function acceptInvitation(req: PortalRequest, token: string): Promise<void> {
  if (!req.account) return seeOther(req, portalPaths.invitation(token));
  await acceptAs(req, token, req.account);
}

/** POST /integrations/invitations/:token/sign-in: sign in and accept in one step. */
export async function signInAndAccept(req: PortalRequest, token: string): Promise<void> {
  const invitation = await load(req, token);
  if (!invitation) return;
  const login = (req.form.get('login') ?? '').trim();
  const outcome = await signIn(req, login, req.form.get('password') ?? '');
  if ('error' in outcome) return show(req, token, invitation, { signInError: outcome.error, signInRetryAfterSeconds: outcome.retryAfterSeconds, login, status: outcome.status });
  // The account's second factor first; then the invitation page, where accepting is one click.
  if ('secondStep' in outcome) return seeOther(req, `${portalPaths.signIn}?next=${encodeURIComponent(portalPaths.invitation(token))}`);
  await acceptAs(req, token, outcome.account);
}

/** POST /integrations/invitations/:token/sign-up: create an account (only when the invitation allows it) and accept. */
export async function signUpAndAccept(req: PortalRequest, token: string): Promise<void> {
  const invitation = await load(req, token);
  if (!invitation) return;
  if (!invitation.allowSignup) return invitationGone(req, InvitationErrorCode.UNKNOWN);
  const email = normalizeEmail(req.form.get('email') ?? '');
  const password = req.form.get('password') ?? '';
  const refuse = (signUpError: SignUpError) => show(req, token, invitation, { signUpError, signUpEmail: email, status: 400 });
  if (!email) return refuse('email');
  if (invitation.email !== null && invitation.email !== email) return refuse('wrongEmail');
  try {
    validatePassword(password);
  } catch {
    return refuse('password');
  }
  let account: Account;
  try {
    account = await req.deps.integrations.signUp(invitation, { login: email, password });
  } catch (err) {
    if (err instanceof DomainError && err.code === 'ERR_CONFLICT') return refuse('exists');
    // The password passed validatePassword above, so what AccountService refuses is the email.
    if (err instanceof DomainError && err.code === 'ERR_INVALID') return refuse('email');
    throw err;
  }
  req.session = await req.deps.sessions.start(req.ctx, account.id);
  req.account = account;
  await acceptAs(req, token, account);
}
