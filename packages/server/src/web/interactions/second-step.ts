/**
 * The second step of the authorize flow's sign-in (`/interaction/:uid`, web/shared/second-step-flow.ts):
 * after the password when the account has a second factor or the request needs one, and as a
 * step-up when the request needs one and the browser's session signed in with the password only
 * (then the password is not asked again). Finishing records `acr` and `amr` (mfa/types.ts) in the
 * session, so the ID token and the tokens issued from this sign-in carry them.
 */
import { t } from '../../views/index.ts';
import { acrOf, amrOf, type SignInMethod } from '../../mfa/types.ts';
import { requestNeedsMfa, MFA_REASON } from '../../provider/second-factor.ts';
import { finishInteraction } from './load.ts';
import { clientIdOf, clientName, csrfToken, redirectToCurrentStep, stepAction, switchHref, type InteractionPage } from './page.ts';
import type { SecondStepOutcome, SecondStepSurface } from '../shared/second-step-flow.ts';

/** Login prompt reasons a step-up may answer without the password: nothing but the second factor is missing. */
const STEP_UP_REASONS = new Set([MFA_REASON, 'essential_acr', 'essential_acrs']);

/** The `claims` parameter of the request, parsed (oidc-provider has validated it). */
function claimsOf(page: InteractionPage): { id_token?: { acr?: { essential?: boolean; value?: unknown; values?: unknown } } } | undefined {
  const raw = page.interaction.params.claims;
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw) as never;
  } catch {
    return undefined;
  }
}

/** True when this request's sign-in must take a second factor. */
export function requiredByRequest(page: InteractionPage): Promise<boolean> {
  return requestNeedsMfa(page.deps.requirement, { params: page.interaction.params, claims: claimsOf(page), client: { clientId: clientIdOf(page) } });
}

/** The account of a step-up: the session's, when the login prompt asks for nothing but the second factor. */
export function stepUpAccountId(page: InteractionPage): string | undefined {
  const { prompt, session } = page.interaction;
  if (prompt.name !== 'login' || !session?.accountId) return undefined;
  return prompt.reasons.length > 0 && prompt.reasons.every((r) => STEP_UP_REASONS.has(r)) ? session.accountId : undefined;
}

export async function surfaceOf(page: InteractionPage, options: { stepUp?: boolean } = {}): Promise<SecondStepSurface> {
  const { interaction, locale } = page;
  const base = `/interaction/${interaction.uid}`;
  return {
    ctx: page.ctx,
    locale,
    binding: `interaction:${interaction.uid}`,
    csrfToken: csrfToken(page),
    actions: {
      code: `${base}/second-factor?lang=${locale}`,
      passkey: `${base}/passkey?lang=${locale}`,
      enrolTotp: `${base}/enrol-totp?lang=${locale}`,
      enrolPasskey: `${base}/enrol-passkey?lang=${locale}`,
      continue: `${base}/continue?lang=${locale}`,
    },
    methodHref: (method) => `${base}?lang=${locale}&method=${method}`,
    cancel: { action: stepAction(page, 'abort'), label: t(locale, 'login.cancel') },
    switchLocaleHref: switchHref(page),
    stepUpClient: options.stepUp ? await clientName(page) : undefined,
    via: 'authorize',
    clientId: clientIdOf(page),
    required: await requiredByRequest(page),
    // The browser's session (a step-up's) and this interaction outlive an enrolment on the way.
    keep: { sessionId: page.interaction.session ? (await page.deps.provider.Session.get(page.ctx)).jti : undefined, interactionId: interaction.uid },
  };
}

/** Finishes the login prompt for the account, with how it signed in. */
export async function finishSignIn(page: InteractionPage, accountId: string, method: SignInMethod): Promise<void> {
  await finishInteraction(page.deps.provider, page.ctx, { login: { accountId, acr: acrOf(method), amr: amrOf(method), remember: true } }, { mergeWithLastSubmission: false });
}

/** Answers a form of the second step: finished, a page already rendered, or back to the current step (303). */
export async function conclude(page: InteractionPage, outcome: SecondStepOutcome): Promise<void> {
  if (outcome.kind === 'done') return finishSignIn(page, outcome.accountId, outcome.method);
  if (outcome.kind === 'redirect') return redirectToCurrentStep(page);
}
