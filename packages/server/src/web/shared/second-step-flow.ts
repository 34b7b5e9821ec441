/**
 * The second step of a sign-in, for every sign-in form (the authorize flow's, `/account`'s and the
 * integrator portal's): each surface says where its forms post and how it finishes; this module
 * renders the pages (verify a factor, enrol one, show the first recovery codes) and handles their
 * forms. The account waiting for its second factor is the pending sign-in of second-step.ts.
 */
import type { Context } from 'koa';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Account, AccountRepository } from '../../accounts/types.ts';
import { accountLabel } from '../../accounts/label.ts';
import type { SecondFactorService } from '../../mfa/service.ts';
import type { SecondStepSignIn } from '../../mfa/sign-in.ts';
import type { SecondFactorPolicy } from '../../mfa/policy.ts';
import { passkeyKind } from '../../mfa/service.ts';
import type { SignInMethod } from '../../mfa/types.ts';
import { enrolPage, recoveryCodesPage, secondStepPage, type Locale, type SecondStepError, type SecondStepMethod } from '../../views/index.ts';
import { postedCredential, qrDataUri, type PendingSignIn, type PendingSignIns, type WebAuthnCeremonies } from './second-step.ts';

/** The sub-paths of a sign-in form's second step (POST), under the surface's base path. */
export const SECOND_STEP_PATHS = ['second-factor', 'passkey', 'enrol-totp', 'enrol-passkey', 'continue', 'passkey-sign-in'] as const;

export interface SecondStepServices {
  factors: SecondFactorService;
  secondStep: SecondStepSignIn;
  policy: SecondFactorPolicy;
  pendings: PendingSignIns;
  ceremonies: WebAuthnCeremonies;
  accounts: Pick<AccountRepository, 'findById'>;
}

/** Where a sign-in form's second step lives. */
export interface SecondStepSurface {
  ctx: Context;
  locale: Locale;
  /** The pending sign-in's binding (`interaction:<uid>`, `account`, `portal`). */
  binding: string;
  csrfToken: string;
  /** POST targets. */
  actions: { code: string; passkey: string; enrolTotp: string; enrolPasskey: string; continue: string };
  /** The second-step page (GET) showing `method`. */
  methodHref(method: SecondStepMethod): string;
  cancel?: { action: string; label: string } | undefined;
  switchLocaleHref?: string | undefined;
  /** For a step-up: the application that asked for it. */
  stepUpClient?: string | undefined;
  via: 'authorize' | 'account' | 'portal';
  clientId?: string | undefined;
  /** Whether this sign-in must take a second factor even if the account has none (then it is enrolled). */
  required: boolean;
  /** What an enrolment on the way must not end: the browser's session, the sign-in's interaction. */
  keep?: { sessionId?: string | undefined; interactionId?: string | undefined } | undefined;
}

/** What a form of the second step came to. */
export type SecondStepOutcome = { kind: 'done'; accountId: string; method: SignInMethod } | { kind: 'rendered' } | { kind: 'redirect' };

/** The pending account, if it still exists and is enabled. */
export async function pendingAccount(svc: SecondStepServices, surface: SecondStepSurface): Promise<{ pending: PendingSignIn; account: Account } | undefined> {
  const pending = svc.pendings.read(surface.ctx, surface.binding);
  if (!pending) return undefined;
  const account = await svc.accounts.findById(pending.accountId);
  if (!account || account.disabled) {
    svc.pendings.clear(surface.ctx);
    return undefined;
  }
  return { pending, account };
}

const isMethod = (v: unknown): v is SecondStepMethod => v === 'totp' || v === 'passkey' || v === 'recovery';

interface ShowOptions {
  method?: SecondStepMethod | undefined;
  error?: SecondStepError | undefined;
  retryAfterSeconds?: number | undefined;
  status?: number;
  enrolError?: { totp?: 'invalid' | 'replayed'; passkey?: 'passkey' | 'passkeyExists' | 'name' };
}

/** Renders the page the pending sign-in is at: the recovery codes of a just-enrolled factor, enrolment, or the second step. */
export async function showSecondStep(svc: SecondStepServices, surface: SecondStepSurface, pending: PendingSignIn, account: Account, options: ShowOptions = {}): Promise<void> {
  const { ctx, locale } = surface;
  ctx.type = 'html';
  ctx.status = options.status ?? 200;
  if (pending.method) {
    ctx.body = recoveryCodesPage({ locale, codes: pending.codes, next: { action: surface.actions.continue, csrfToken: surface.csrfToken }, switchLocaleHref: surface.switchLocaleHref });
    return;
  }
  const summary = await svc.factors.summary(account.id);
  if (!summary.totp && summary.passkeys === 0) {
    const totp = await svc.factors.beginTotp(account);
    const passkeyOptions = await svc.factors.registrationOptions({ id: account.id, login: account.login, displayName: accountLabel(account) });
    ctx.body = enrolPage({
      locale,
      accountLabel: accountLabel(account),
      csrfToken: surface.csrfToken,
      totp: { secret: totp?.secret ?? '', qrDataUri: totp ? await qrDataUri(totp.uri) : '', action: surface.actions.enrolTotp, error: options.enrolError?.totp },
      passkey: svc.ceremonies.begin(surface.actions.enrolPasskey, passkeyOptions, 'register', `${surface.binding}:${account.id}`),
      passkeyError: options.enrolError?.passkey,
      cancel: surface.cancel,
      switchLocaleHref: surface.switchLocaleHref,
    });
    return;
  }
  const queried = surface.ctx.query.method;
  let method: SecondStepMethod = options.method ?? (isMethod(queried) ? queried : summary.totp ? 'totp' : 'passkey');
  if ((method === 'totp' && !summary.totp) || (method === 'passkey' && summary.passkeys === 0) || (method === 'recovery' && summary.recoveryCodes === 0)) method = summary.totp ? 'totp' : 'passkey';
  const passkey = summary.passkeys > 0 ? svc.ceremonies.begin(surface.actions.passkey, await svc.factors.authenticationOptions(account.id), 'second-factor', `${surface.binding}:${account.id}`) : undefined;
  ctx.body = secondStepPage({
    locale,
    method,
    accountLabel: account.login,
    stepUpClient: surface.stepUpClient,
    csrfToken: surface.csrfToken,
    codeAction: surface.actions.code,
    methodHrefs: {
      ...(summary.totp ? { totp: surface.methodHref('totp') } : {}),
      ...(summary.passkeys > 0 ? { passkey: surface.methodHref('passkey') } : {}),
      ...(summary.recoveryCodes > 0 ? { recovery: surface.methodHref('recovery') } : {}),
    },
    passkey,
    error: options.error,
    retryAfterSeconds: options.retryAfterSeconds,
    cancel: surface.cancel,
    switchLocaleHref: surface.switchLocaleHref,
  });
}

/** After a correct password: done with the password alone, or on to the second step (303 to the surface's page). */
export async function afterPassword(svc: SecondStepServices, surface: SecondStepSurface, account: Account): Promise<SecondStepOutcome> {
  const next = await svc.policy.afterPassword(account.id, surface.required);
  if (next === 'done') return { kind: 'done', accountId: account.id, method: { kind: 'password' } };
  svc.pendings.start(surface.ctx, account.id, surface.binding);
  return { kind: 'redirect' };
}

/** A code of the second step (`method=totp|recovery`, `code`). */
export async function submitCode(svc: SecondStepServices, surface: SecondStepSurface, form: URLSearchParams): Promise<SecondStepOutcome> {
  const found = await pendingAccount(svc, surface);
  if (!found) return { kind: 'redirect' };
  const { pending, account } = found;
  const method = form.get('method') === 'recovery' ? 'recovery' : 'totp';
  const code = (form.get('code') ?? '').trim();
  if (!code) {
    await showSecondStep(svc, surface, pending, account, { method, error: 'required', status: 400 });
    return { kind: 'rendered' };
  }
  const result = await svc.secondStep.verifyCode({ account, method, code, ip: surface.ctx.ip, via: surface.via, clientId: surface.clientId });
  if (!result.ok) {
    if (result.error === 'locked') surface.ctx.set('Retry-After', String(result.retryAfterSeconds));
    await showSecondStep(svc, surface, pending, account, { method, error: result.error, status: result.status, retryAfterSeconds: result.error === 'locked' ? result.retryAfterSeconds : undefined });
    return { kind: 'rendered' };
  }
  svc.pendings.clear(surface.ctx);
  return { kind: 'done', accountId: account.id, method: result.method };
}

/** A passkey as the second step (`state`, `credential`). */
export async function submitPasskey(svc: SecondStepServices, surface: SecondStepSurface, form: URLSearchParams): Promise<SecondStepOutcome> {
  const found = await pendingAccount(svc, surface);
  if (!found) return { kind: 'redirect' };
  const { pending, account } = found;
  const challenge = await svc.ceremonies.finish(form.get('state'), 'second-factor', `${surface.binding}:${account.id}`);
  const response = postedCredential<AuthenticationResponseJSON>(form);
  const result = challenge && response ? await svc.secondStep.verifyPasskey({ account, response, challenge, ip: surface.ctx.ip, via: surface.via, clientId: surface.clientId }) : ({ ok: false, error: 'passkey', status: 400 } as const);
  if (!result.ok) {
    if (result.error === 'locked') surface.ctx.set('Retry-After', String(result.retryAfterSeconds));
    await showSecondStep(svc, surface, pending, account, { method: 'passkey', error: result.error === 'locked' ? 'locked' : 'passkey', status: result.status, retryAfterSeconds: result.error === 'locked' ? result.retryAfterSeconds : undefined });
    return { kind: 'rendered' };
  }
  svc.pendings.clear(surface.ctx);
  return { kind: 'done', accountId: account.id, method: result.method };
}

/** Enrolment of an authenticator app in the middle of a sign-in (`code`): then the recovery codes. */
export async function submitEnrolTotp(svc: SecondStepServices, surface: SecondStepSurface, form: URLSearchParams): Promise<SecondStepOutcome> {
  const found = await pendingAccount(svc, surface);
  if (!found) return { kind: 'redirect' };
  const { pending, account } = found;
  if (pending.method) return { kind: 'redirect' };
  const result = await svc.factors.confirmTotp(account, form.get('code') ?? '', { actor: `account:${account.id}`, keepSessionId: surface.keep?.sessionId, keepInteractionId: surface.keep?.interactionId });
  if (!result.ok) {
    if (result.reason === 'not_enrolled') return { kind: 'redirect' };
    await showSecondStep(svc, surface, pending, account, { status: 400, enrolError: { totp: result.reason } });
    return { kind: 'rendered' };
  }
  svc.pendings.start(surface.ctx, account.id, surface.binding, { method: { kind: 'password+totp' }, codes: result.recoveryCodes, at: pending.at });
  return { kind: 'redirect' };
}

/** Enrolment of a passkey in the middle of a sign-in (`name`, `state`, `credential`): then the recovery codes. */
export async function submitEnrolPasskey(svc: SecondStepServices, surface: SecondStepSurface, form: URLSearchParams): Promise<SecondStepOutcome> {
  const found = await pendingAccount(svc, surface);
  if (!found) return { kind: 'redirect' };
  const { pending, account } = found;
  if (pending.method) return { kind: 'redirect' };
  const name = (form.get('name') ?? '').trim();
  if (!name) {
    await showSecondStep(svc, surface, pending, account, { status: 400, enrolError: { passkey: 'name' } });
    return { kind: 'rendered' };
  }
  const challenge = await svc.ceremonies.finish(form.get('state'), 'register', `${surface.binding}:${account.id}`);
  const response = postedCredential<RegistrationResponseJSON>(form);
  const result = challenge && response ? await svc.factors.addPasskey(account, response, challenge, name, { actor: `account:${account.id}`, keepSessionId: surface.keep?.sessionId, keepInteractionId: surface.keep?.interactionId }) : ({ ok: false, reason: 'invalid' } as const);
  if (!result.ok) {
    await showSecondStep(svc, surface, pending, account, { status: 400, enrolError: { passkey: result.reason === 'exists' ? 'passkeyExists' : 'passkey' } });
    return { kind: 'rendered' };
  }
  svc.pendings.start(surface.ctx, account.id, surface.binding, { method: { kind: 'password+passkey', passkey: passkeyKind(result.passkey) }, codes: result.recoveryCodes, at: pending.at });
  return { kind: 'redirect' };
}

/** "Continue" after the recovery codes of a factor enrolled during the sign-in. */
export async function submitContinue(svc: SecondStepServices, surface: SecondStepSurface): Promise<SecondStepOutcome> {
  const found = await pendingAccount(svc, surface);
  if (!found?.pending.method) return { kind: 'redirect' };
  svc.pendings.clear(surface.ctx);
  return { kind: 'done', accountId: found.account.id, method: found.pending.method };
}

/** Signing in with a passkey alone (`state`, `credential`), from the sign-in page. */
export async function submitPasswordless(
  svc: SecondStepServices,
  surface: Pick<SecondStepSurface, 'ctx' | 'binding' | 'via' | 'clientId'>,
  form: URLSearchParams,
): Promise<{ ok: true; accountId: string; method: SignInMethod } | { ok: false; status: number; retryAfterSeconds?: number }> {
  const challenge = await svc.ceremonies.finish(form.get('state'), 'passwordless', surface.binding);
  const response = postedCredential<AuthenticationResponseJSON>(form);
  if (!challenge || !response) return { ok: false, status: 400 };
  const result = await svc.secondStep.passwordless({ response, challenge, ip: surface.ctx.ip, via: surface.via, clientId: surface.clientId });
  if (!result.ok) {
    if (result.error === 'locked') {
      surface.ctx.set('Retry-After', String(result.retryAfterSeconds));
      return { ok: false, status: 429, retryAfterSeconds: result.retryAfterSeconds };
    }
    return { ok: false, status: result.status };
  }
  const account = await svc.accounts.findById(result.accountId);
  if (!account || account.disabled) return { ok: false, status: 401 };
  svc.pendings.clear(surface.ctx);
  return result;
}

/** The passwordless passkey ceremony of a sign-in page. */
export async function passwordlessCeremony(svc: SecondStepServices, action: string, binding: string) {
  return svc.ceremonies.begin(action, await svc.factors.authenticationOptions(), 'passwordless', binding);
}
