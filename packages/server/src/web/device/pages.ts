/**
 * The device flow's pages as oidc-provider runs them (`deviceFlowFeature`): the code entry,
 * confirmation and result pages (views/), rendered through oidc-provider's `userCodeInputSource` /
 * `userCodeConfirmSource` / `successSource`; our forms carry its `xsrf` secret and its field names
 * (`user_code`, `confirm`, `abort`). Sign-in and consent in between are the interaction pages
 * (web/interactions/); the guard and the QR code are beside this file; the polling pace is
 * provider/device-polling.ts.
 */
import type { Client, DeviceCode, KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { ResourceDirectory } from '../../resources/directory.ts';
import type { AccountRepository } from '../../accounts/types.ts';
import { accountLabel } from '../../accounts/label.ts';
import { deviceConfirmPage, deviceDonePage, deviceEntryPage, type DeviceEntryError, type DeviceOutcome, type Locale } from '../../views/index.ts';
import { pageLocale, switchLocaleHref } from '../shared/locale.ts';
import { refuse } from '../shared/refusal.ts';
import { USER_CODE_MASK, normalizeUserCode } from '../../device/user-code.ts';
import type { DevicePageState } from './page-state.ts';
import { deviceCodeSpent, reRenderOutcome } from '../../provider/seam/device.ts';
import { leaveUnstoredSessionUnsaved, xsrfSecret } from '../../provider/seam/session.ts';

/** Where a user code stands. Only a `pending` code can be confirmed (and drawn as a QR code). */
export type UserCodeLookup = { state: 'pending'; code: DeviceCode } | { state: 'unknown' | 'expired' | 'used' };

/** Looks a canonical user code up the way oidc-provider's verification endpoint does. */
export async function lookupUserCode(provider: Provider, userCode: string): Promise<UserCodeLookup> {
  const code = await provider.DeviceCode.findByUserCode(userCode, { ignoreExpiration: true });
  if (!code) return { state: 'unknown' };
  if (code.isExpired) return { state: 'expired' };
  if (deviceCodeSpent(code)) return { state: 'used' };
  return { state: 'pending', code };
}

const pageState = (ctx: KoaContextWithOIDC) => ctx.state as DevicePageState;

const verificationAction = (ctx: KoaContextWithOIDC): string => ctx.oidc.urlFor('code_verification');
const verificationPath = (ctx: KoaContextWithOIDC): string => new URL(verificationAction(ctx)).pathname;

/** Longest typed input echoed back into the entry field. */
const MAX_ECHO = 32;

function renderEntry(ctx: KoaContextWithOIDC, options: { status: number; error?: DeviceEntryError; typed?: string | undefined }): void {
  const secret = xsrfSecret(ctx);
  const locale = pageLocale(ctx);
  ctx.status = options.status;
  ctx.type = 'html';
  ctx.body = deviceEntryPage({
    locale,
    action: verificationAction(ctx),
    csrfToken: secret,
    // A code typed by the person was read off the device: no second "check the code" page. The
    // approval page that follows shows it again, with the application and what it asks for.
    hiddenFields: { xsrf: secret, confirm: 'yes' },
    userCode: options.typed && options.typed.length <= MAX_ECHO ? options.typed : undefined,
    error: options.error,
    switchLocaleHref: switchLocaleHref(verificationPath(ctx), locale),
  });
}

/** The path of a result page in either language (web/device/flow.ts serves it, without names). */
export const deviceDonePath = (verificationPath: string, outcome: DeviceOutcome): string => `${verificationPath}/done/${outcome}`;

function renderDone(ctx: KoaContextWithOIDC, outcome: DeviceOutcome, status = 200, locale: Locale = pageLocale(ctx), connected?: { clientName: string; accountLabel: string }): void {
  ctx.status = status;
  ctx.type = 'html';
  ctx.body = deviceDonePage({ locale, outcome, connected, switchLocaleHref: switchLocaleHref(deviceDonePath(verificationPath(ctx), outcome), locale) });
}

function renderConfirm(ctx: KoaContextWithOIDC, code: DeviceCode, client: Client): void {
  const secret = xsrfSecret(ctx);
  const params = code.params ?? {};
  const locale = pageLocale(ctx, params.ui_locales as string | undefined);
  ctx.status = 200;
  ctx.type = 'html';
  ctx.body = deviceConfirmPage({
    locale,
    action: verificationAction(ctx),
    csrfToken: secret,
    hiddenFields: { xsrf: secret },
    clientName: client.clientName ?? client.clientId,
    userCode: code.userCode,
    // The confirmation of a code can be reopened in the other language by its link.
    switchLocaleHref: switchLocaleHref(verificationPath(ctx), locale, new URLSearchParams({ 'user-code': code.userCode }).toString()),
  });
}

/** GET `/device?user-code=…`: straight to the confirmation of a pending code, else the entry page saying why. */
async function showLinkedCode(ctx: KoaContextWithOIDC, resources: ResourceDirectory, raw: string): Promise<void> {
  const userCode = normalizeUserCode(raw);
  const found = userCode ? await lookupUserCode(ctx.oidc.provider, userCode) : ({ state: 'unknown' } as const);
  if (found.state === 'pending' && found.code.clientId) {
    const client = await ctx.oidc.provider.Client.find(found.code.clientId);
    if (client) return renderConfirm(ctx, found.code, client);
  }
  if (found.state === 'unknown') pageState(ctx).deviceCodeRejected = true;
  const error: DeviceEntryError = found.state === 'expired' ? 'expired' : found.state === 'used' ? 'used' : 'invalid';
  // A malformed code from a link is not echoed, nor an expired or used one (it is of no use any more).
  renderEntry(ctx, { status: 400, error, typed: error === 'invalid' ? userCode : undefined });
}

/**
 * The page for an error of the verification endpoint or of the return from sign-in/consent:
 * oidc-provider's "re-render" outcomes (matched by class, provider/seam/device.ts) say why a code
 * was refused; any other error is a failed confirmation or a form secret that does not match.
 */
function showOutcome(ctx: KoaContextWithOIDC, err: Error & { userCode?: string }): void {
  const resuming = ctx.oidc.route === 'device_resume';
  const outcome = reRenderOutcome(err);
  if (!outcome) {
    if (resuming) {
      // Sign-in or consent ended in an error other than a refusal: the code is spent.
      return refuse(ctx, { status: ctx.status, code: (err as { error?: string }).error ?? 'server_error', message: 'device.failed.message' });
    }
    // No browser session at all (cookies expired or blocked): a form secret could not be checked
    // against anything, and oidc-provider cannot save a session from its error path. Start over
    // with a GET, which creates one — keeping a well-formed typed code, like a link would.
    if (leaveUnstoredSessionUnsaved(ctx)) {
      const typed = normalizeUserCode(ctx.oidc.params?.user_code);
      const query = typed ? `?${new URLSearchParams({ 'user-code': typed }).toString()}` : '';
      ctx.status = 303;
      ctx.redirect(`${verificationPath(ctx)}${query}`);
      return;
    }
    // The form's xsrf secret does not match this session's (an old tab): a fresh form.
    return renderEntry(ctx, { status: 400, error: 'session' });
  }
  switch (outcome) {
    case 'aborted':
      return renderDone(ctx, 'denied');
    case 'expired':
      // An expired code is cleared from the field: the message says to start again in the application.
      return resuming ? renderDone(ctx, 'expired', 400) : renderEntry(ctx, { status: 400, error: 'expired' });
    case 'already_used':
      return renderEntry(ctx, { status: 400, error: 'used' });
    case 'not_found':
      if (!resuming) pageState(ctx).deviceCodeRejected = true;
      return renderEntry(ctx, { status: 400, error: resuming ? 'expired' : 'invalid', typed: err.userCode });
    case 'no_code':
      return renderEntry(ctx, { status: 400, error: 'invalid' });
  }
}

export interface DeviceFlowDeps {
  resources: ResourceDirectory;
  accounts: Pick<AccountRepository, 'findById'>;
}

/** `features.deviceFlow`: 8-letter codes like BDWPHQPK (docs/api-documentation.md) and our pages. */
export function deviceFlowFeature(deps: DeviceFlowDeps) {
  return {
    enabled: true,
    // 8 letters without vowels or look-alikes (device/user-code.ts checks input against the same alphabet).
    charset: 'base-20' as const,
    mask: USER_CODE_MASK,

    async userCodeInputSource(ctx: KoaContextWithOIDC, _form: string, _out?: unknown, err?: Error): Promise<void> {
      if (err) return showOutcome(ctx, err);
      const linked = pageState(ctx).deviceLinkCode;
      if (linked !== undefined) return showLinkedCode(ctx, deps.resources, linked);
      renderEntry(ctx, { status: 200 });
    },

    async userCodeConfirmSource(ctx: KoaContextWithOIDC, _form: string, client: Client): Promise<void> {
      const code = ctx.oidc.entities.DeviceCode;
      if (!code) throw new Error('device code confirmation without a device code');
      renderConfirm(ctx, code, client);
    },

    async successSource(ctx: KoaContextWithOIDC): Promise<void> {
      // The page names the application and the account it now acts for.
      const client = ctx.oidc.client;
      const accountId = ctx.oidc.entities.DeviceCode?.accountId ?? ctx.oidc.session?.accountId;
      const account = accountId ? await deps.accounts.findById(accountId) : undefined;
      const connected = client && account ? { clientName: client.clientName ?? client.clientId, accountLabel: accountLabel(account) } : undefined;
      renderDone(ctx, 'success', 200, pageLocale(ctx, ctx.oidc.params?.ui_locales as string | undefined), connected);
    },
  };
}
