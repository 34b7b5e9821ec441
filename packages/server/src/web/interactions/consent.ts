/**
 * The consent step: which application asks for what; allow saves the scopes (and claims) in the
 * Grant of this client and session, and — on the authorization endpoint — remembers them for the
 * account and client (accounts/consents.ts), so a later sign-in to the same client is not asked
 * again for them, in this browser or another; deny ends the request with `access_denied` at the
 * client's redirect_uri. A device-flow consent is not remembered: the device flow always asks.
 */
import type { Grant } from 'oidc-provider';
import { consentPage } from '../../views/index.ts';
import { accountLabel } from '../../accounts/label.ts';
import { finishInteraction } from './load.ts';
import { ACCOUNT_SWITCH_RESULT } from '../../provider/interactions.ts';
import { ACCOUNT_PATH } from '../account/deps.ts';
import { consentOf } from '../../provider/consents.ts';
import { clientIdOf, clientName, csrfToken, redirectToCurrentStep, stepAction, switchHref, type InteractionPage } from './page.ts';

interface ConsentDetails {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
}

const requestedScopes = (page: InteractionPage): string[] => String(page.interaction.params.scope ?? '').split(' ').filter(Boolean);

async function signedInLabel(page: InteractionPage): Promise<string> {
  const accountId = page.interaction.session?.accountId;
  const account = accountId ? await page.deps.accountRepository.findById(accountId) : undefined;
  return account ? accountLabel(account) : (accountId ?? '');
}

export async function showConsent(page: InteractionPage): Promise<void> {
  const { ctx, deps, interaction, locale } = page;
  const scopes = await deps.resources.describeScopes(requestedScopes(page));
  const details = interaction.prompt.details as ConsentDetails;
  ctx.status = 200;
  ctx.type = 'html';
  ctx.body = consentPage({
    locale,
    action: stepAction(page, 'consent'),
    csrfToken: csrfToken(page),
    clientName: await clientName(page),
    scopes,
    claims: details.missingOIDCClaims,
    accountLabel: await signedInLabel(page),
    device: await deviceRequest(page),
    switchAccountAction: stepAction(page, 'switch-account'),
    accountHref: ACCOUNT_PATH,
    redirectHost: redirectHost(page),
    switchLocaleHref: switchHref(page),
  });
}

/** The host of the request's redirect_uri (none for the device flow, which has none). */
function redirectHost(page: InteractionPage): string | undefined {
  const uri = page.interaction.params.redirect_uri;
  if (typeof uri !== 'string') return undefined;
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : url.protocol.replace(/:$/, '');
  } catch {
    return undefined;
  }
}

/**
 * "Not you? Use another account": the request goes back to the authorization endpoint, whose login
 * prompt asks for a sign-in again (provider/interactions.ts, `account_switch`). A different account
 * signing in ends the current one's browser session first (a page to confirm it,
 * provider/account-switch.ts); then the request continues with the new account.
 */
export async function switchAccount(page: InteractionPage): Promise<void> {
  if (page.interaction.prompt.name !== 'consent') return redirectToCurrentStep(page);
  await finishInteraction(page.deps.provider, page.ctx, { [ACCOUNT_SWITCH_RESULT]: true }, { mergeWithLastSubmission: false });
}

/** For a device flow's approval: its code, and when and from which address the device asked. */
async function deviceRequest(page: InteractionPage): Promise<{ userCode: string; requestedAt: Date; ip?: string } | undefined> {
  const jti = page.interaction.deviceCode;
  if (!jti) return undefined;
  const code = await page.deps.provider.DeviceCode.find(jti, { ignoreExpiration: true });
  if (!code?.userCode) return undefined;
  const info = (code as { deviceInfo?: { ip?: unknown } }).deviceInfo;
  return { userCode: code.userCode, requestedAt: new Date((code.iat ?? Math.floor(Date.now() / 1000)) * 1000), ...(typeof info?.ip === 'string' ? { ip: info.ip } : {}) };
}

export async function submitConsent(page: InteractionPage, form: URLSearchParams): Promise<void> {
  const { deps, interaction } = page;
  const decision = form.get('decision');
  if (interaction.prompt.name !== 'consent' || (decision !== 'allow' && decision !== 'deny')) return redirectToCurrentStep(page);
  const clientId = clientIdOf(page);
  const accountId = interaction.session?.accountId;
  const scope = requestedScopes(page).join(' ');

  if (decision === 'deny') {
    await deps.audit.record({ type: 'consent.denied', clientId, accountId, details: { scope } });
    await finishInteraction(deps.provider, page.ctx, { error: 'access_denied', error_description: 'the user denied the request' }, { mergeWithLastSubmission: false });
    return;
  }

  const details = interaction.prompt.details as ConsentDetails;
  const grant: Grant = interaction.grantId
    ? ((await deps.provider.Grant.find(interaction.grantId)) ?? new deps.provider.Grant({ accountId, clientId }))
    : new deps.provider.Grant({ accountId, clientId });
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  const grantId = await grant.save();
  const remembered = accountId !== undefined && !interaction.deviceCode;
  if (remembered) await deps.consents.remember(accountId, clientId, consentOf(grant));
  await deps.audit.record({ type: 'consent.granted', clientId, accountId, details: { scope, grant_id: grantId, remembered } });
  await finishInteraction(deps.provider, page.ctx, { consent: { grantId } }, { mergeWithLastSubmission: true });
}
