/**
 * Two-step verification on the account pages (`/account/two-step`): enrol an authenticator app
 * (QR code, the secret as text, confirmed by a code) and passkeys (add, rename, remove), renew the
 * recovery codes. Each change is audited and ends the account's other sessions (mfa/service.ts);
 * this session stays. Removing the last factor and new recovery codes need a password typed within
 * the last 5 minutes (a sign-in counts; recent-passwords.ts). New recovery codes are shown once
 * (post/redirect/get, the one-time secret cookie), never stored in clear.
 */
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'koa';
import { accountLabel } from '../../accounts/label.ts';
import { accountActor } from '../../audit/types.ts';
import { accountReauthPage, accountTwoStepPage, recoveryCodesPage, type TwoStepNotice } from '../../views/index.ts';
import { switchLocaleHref } from '../shared/locale.ts';
import { postedCredential, qrDataUri } from '../shared/second-step.ts';
import type { SignedIn } from '../shared/browser-session.ts';
import { ACCOUNT_PATH, type AccountRequest } from './deps.ts';
import { twoStepPaths } from './two-step-paths.ts';

const NOTICES: readonly string[] = ['added', 'removed', 'renamed', 'reauthenticated'] satisfies TwoStepNotice[];

const seeOther = (ctx: Context, path: string, locale: string, done?: string) => {
  ctx.status = 303;
  ctx.redirect(`${path}?lang=${locale}${done ? `&done=${done}` : ''}`);
};

const csrf = (req: AccountRequest, signedIn: SignedIn) => req.deps.formTokens.issue('session', signedIn.session.jti);

/** GET /account/two-step (and the re-render of a failed form). */
export async function showTwoStep(req: AccountRequest, signedIn: SignedIn, options: { status?: number; totpError?: 'invalid' | 'replayed'; passkeyError?: 'passkey' | 'passkeyExists' | 'name' } = {}): Promise<void> {
  const { ctx, deps, locale } = req;
  const { account } = signedIn;
  const svc = deps.secondFactor;
  const [summary, totpRecord, passkeys] = await Promise.all([svc.factors.summary(account.id), svc.factors.totpStatus(account.id), svc.factors.listPasskeys(account.id)]);
  let totp: Parameters<typeof accountTwoStepPage>[0]['totp'];
  if (totpRecord?.confirmedAt) {
    totp = { enrolledAt: totpRecord.confirmedAt, lastUsedAt: totpRecord.lastUsedAt, removeAction: `${twoStepPaths.removeTotp}?lang=${locale}` };
  } else {
    const begun = (await svc.factors.beginTotp(account))!;
    totp = { secret: begun.secret, qrDataUri: await qrDataUri(begun.uri), action: `${twoStepPaths.totp}?lang=${locale}`, error: options.totpError };
  }
  const done = ctx.query.done;
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  ctx.body = accountTwoStepPage({
    locale,
    csrfToken: csrf(req, signedIn),
    accountLabel: accountLabel(account),
    summary,
    totp,
    passkeys: passkeys.map((k) => ({
      id: k.id,
      name: k.name,
      createdAt: k.createdAt,
      lastUsedAt: k.lastUsedAt,
      renameAction: `${twoStepPaths.renamePasskey(k.id)}?lang=${locale}`,
      removeAction: `${twoStepPaths.removePasskey(k.id)}?lang=${locale}`,
    })),
    passkeyCeremony: svc.ceremonies.begin(
      `${twoStepPaths.passkeys}?lang=${locale}`,
      await svc.factors.registrationOptions({ id: account.id, login: account.login, displayName: accountLabel(account) }),
      'register',
      `account:${signedIn.session.jti}`,
    ),
    passkeyError: options.passkeyError,
    renewAction: `${twoStepPaths.recoveryCodes}?lang=${locale}`,
    notice: typeof done === 'string' && NOTICES.includes(done) ? (done as TwoStepNotice) : undefined,
    backHref: `${ACCOUNT_PATH}?lang=${locale}`,
    switchLocaleHref: switchLocaleHref(twoStepPaths.page, locale),
  });
}

/** After the first factor: the recovery codes, on their own page (post/redirect/get). */
function showCodesNext(req: AccountRequest, signedIn: SignedIn, codes: string[] | undefined, done: TwoStepNotice): void {
  if (!codes) return seeOther(req.ctx, twoStepPaths.page, req.locale, done);
  req.deps.secrets.keep(req.ctx, { page: twoStepPaths.recoveryCodes, sid: signedIn.session.jti, values: Object.fromEntries(codes.map((c, i) => [String(i), c])) });
  seeOther(req.ctx, twoStepPaths.recoveryCodes, req.locale);
}

/** GET /account/two-step/recovery-codes: the codes just made, once. */
export function showRecoveryCodes(req: AccountRequest, signedIn: SignedIn): void {
  const values = req.deps.secrets.read(req.ctx, twoStepPaths.recoveryCodes, signedIn.session.jti);
  req.ctx.type = 'html';
  req.ctx.body = recoveryCodesPage({
    locale: req.locale,
    codes: values ? Object.values(values).filter((v): v is string => typeof v === 'string') : undefined,
    next: { href: `${twoStepPaths.page}?lang=${req.locale}` },
    switchLocaleHref: switchLocaleHref(twoStepPaths.recoveryCodes, req.locale),
  });
}

const by = (signedIn: SignedIn) => ({ actor: accountActor(signedIn.account.id), keepSessionId: signedIn.session.jti });

/** POST /account/two-step/totp: confirms the app with a code. */
export async function confirmTotp(req: AccountRequest, signedIn: SignedIn, form: URLSearchParams): Promise<void> {
  const result = await req.deps.secondFactor.factors.confirmTotp(signedIn.account, form.get('code') ?? '', by(signedIn));
  if (!result.ok) {
    if (result.reason === 'not_enrolled') return seeOther(req.ctx, twoStepPaths.page, req.locale);
    return showTwoStep(req, signedIn, { status: 400, totpError: result.reason });
  }
  showCodesNext(req, signedIn, result.recoveryCodes, 'added');
}

/** Asks for the password again before a sensitive change, unless it was typed within the last 5 minutes. */
function needsPassword(req: AccountRequest, signedIn: SignedIn): boolean {
  if (req.deps.recentPasswords.recent(req.ctx, signedIn)) return false;
  showReauth(req, signedIn);
  return true;
}

export function showReauth(req: AccountRequest, signedIn: SignedIn, options: { error?: 'incorrect' | 'locked'; retryAfterSeconds?: number; status?: number } = {}): void {
  req.ctx.status = options.status ?? 200;
  req.ctx.type = 'html';
  req.ctx.body = accountReauthPage({
    locale: req.locale,
    csrfToken: csrf(req, signedIn),
    action: `${twoStepPaths.confirmPassword}?lang=${req.locale}`,
    error: options.error,
    retryAfterSeconds: options.retryAfterSeconds,
    backHref: `${twoStepPaths.page}?lang=${req.locale}`,
  });
}

/** POST /account/two-step/confirm-password: the password again, under the sign-in limits. */
export async function confirmPassword(req: AccountRequest, signedIn: SignedIn, form: URLSearchParams): Promise<void> {
  const { account } = signedIn;
  const result = await req.deps.passwordSignIn.signIn({ login: account.login, password: form.get('password') ?? '', ip: req.ctx.ip, via: 'account', clientId: undefined });
  if (!result.ok || result.account.id !== account.id) {
    if (!result.ok && result.error === 'locked') {
      req.ctx.set('Retry-After', String(result.retryAfterSeconds));
      return showReauth(req, signedIn, { error: 'locked', retryAfterSeconds: result.retryAfterSeconds, status: 429 });
    }
    return showReauth(req, signedIn, { error: 'incorrect', status: 401 });
  }
  req.deps.recentPasswords.remember(req.ctx, signedIn);
  seeOther(req.ctx, twoStepPaths.page, req.locale, 'reauthenticated');
}

/** POST /account/two-step/totp/remove */
export async function removeTotp(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  const svc = req.deps.secondFactor.factors;
  if ((await svc.isLastFactor(signedIn.account.id, 'totp')) && needsPassword(req, signedIn)) return;
  const removed = await svc.removeTotp(signedIn.account.id, by(signedIn));
  seeOther(req.ctx, twoStepPaths.page, req.locale, removed ? 'removed' : undefined);
}

/** POST /account/two-step/passkeys: a new passkey (`name`, `state`, `credential`). */
export async function addPasskey(req: AccountRequest, signedIn: SignedIn, form: URLSearchParams): Promise<void> {
  const svc = req.deps.secondFactor;
  const name = (form.get('name') ?? '').trim();
  if (!name) return showTwoStep(req, signedIn, { status: 400, passkeyError: 'name' });
  const challenge = await svc.ceremonies.finish(form.get('state'), 'register', `account:${signedIn.session.jti}`);
  const response = postedCredential<RegistrationResponseJSON>(form);
  const result = challenge && response ? await svc.factors.addPasskey(signedIn.account, response, challenge, name, by(signedIn)) : ({ ok: false, reason: 'invalid' } as const);
  if (!result.ok) return showTwoStep(req, signedIn, { status: 400, passkeyError: result.reason === 'exists' ? 'passkeyExists' : 'passkey' });
  showCodesNext(req, signedIn, result.recoveryCodes, 'added');
}

/** POST /account/two-step/passkeys/:id/rename */
export async function renamePasskey(req: AccountRequest, signedIn: SignedIn, id: string, form: URLSearchParams): Promise<void> {
  const renamed = await req.deps.secondFactor.factors.renamePasskey(signedIn.account.id, id, form.get('name') ?? '', by(signedIn));
  seeOther(req.ctx, twoStepPaths.page, req.locale, renamed ? 'renamed' : undefined);
}

/** POST /account/two-step/passkeys/:id/remove */
export async function removePasskey(req: AccountRequest, signedIn: SignedIn, id: string): Promise<void> {
  const svc = req.deps.secondFactor.factors;
  const mine = (await svc.listPasskeys(signedIn.account.id)).some((k) => k.id === id);
  if (mine && (await svc.isLastFactor(signedIn.account.id, 'passkey')) && needsPassword(req, signedIn)) return;
  const removed = mine && (await svc.removePasskey(signedIn.account.id, id, by(signedIn)));
  seeOther(req.ctx, twoStepPaths.page, req.locale, removed ? 'removed' : undefined);
}

/** POST /account/two-step/recovery-codes: a new set (the old one stops working). */
export async function renewRecoveryCodes(req: AccountRequest, signedIn: SignedIn): Promise<void> {
  if (needsPassword(req, signedIn)) return;
  const codes = await req.deps.secondFactor.factors.renewRecoveryCodes(signedIn.account.id, by(signedIn));
  if (!codes) return seeOther(req.ctx, twoStepPaths.page, req.locale);
  showCodesNext(req, signedIn, codes, 'added');
}
