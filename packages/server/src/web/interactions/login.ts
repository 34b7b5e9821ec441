/**
 * The sign-in step: login (email) or phone + password, or a passkey alone. Any failure — unknown
 * login, wrong password, disabled account — gets the same generic message; the audit log records
 * the attempt without the login or password typed. Brute-force limits (accounts/sign-in-limits.ts):
 * too many failures for a login or from an address lock it for a while (429, "locked"), with
 * progressive delays before; whether the login exists makes no difference. Whether the account has
 * a second factor shows only after a correct password (web/interactions/second-step.ts).
 */
import { loginPage, type LoginError } from '../../views/index.ts';
import { passwordlessCeremony, afterPassword, pendingAccount, showSecondStep, submitPasswordless } from '../shared/second-step-flow.ts';
import { clientIdOf, clientName, csrfToken, redirectToCurrentStep, stepAction, switchHref, type InteractionPage } from './page.ts';
import { conclude, finishSignIn, stepUpAccountId, surfaceOf } from './second-step.ts';
import { FORGOT_PASSWORD_PATH } from '../account/deps.ts';

export async function showLogin(page: InteractionPage, options: { error?: LoginError; loginHint?: string; status?: number; retryAfterSeconds?: number } = {}): Promise<void> {
  const { ctx, interaction, locale, deps } = page;
  const hint = options.loginHint ?? (interaction.params.login_hint as string | undefined);
  const passkey = await passwordlessCeremony(deps.secondFactor, `/interaction/${interaction.uid}/passkey-sign-in?lang=${locale}`, `interaction:${interaction.uid}`);
  ctx.status = options.status ?? 200;
  ctx.type = 'html';
  ctx.body = loginPage({
    locale,
    action: stepAction(page, 'login'),
    cancelAction: stepAction(page, 'abort'),
    csrfToken: csrfToken(page),
    clientName: await clientName(page),
    loginHint: hint,
    error: options.error,
    retryAfterSeconds: options.retryAfterSeconds,
    switchLocaleHref: switchHref(page),
    forgotHref: deps.recoveryAvailable ? `${FORGOT_PASSWORD_PATH}?lang=${locale}` : undefined,
    passkey,
  });
}

/** GET of the login prompt: the second step of a pending sign-in, a step-up, or the sign-in form. */
export async function showLoginPrompt(page: InteractionPage): Promise<void> {
  const svc = page.deps.secondFactor;
  const stepUp = stepUpAccountId(page);
  const surface = await surfaceOf(page, { stepUp: stepUp !== undefined });
  let found = await pendingAccount(svc, surface);
  if (!found && stepUp) {
    svc.pendings.start(page.ctx, stepUp, surface.binding);
    // The cookie is read on the next request; this one works from the account directly.
    const account = await page.deps.accountRepository.findById(stepUp);
    if (account && !account.disabled) found = { pending: { accountId: account.id, binding: surface.binding, at: Date.now() }, account };
  }
  if (found) return showSecondStep(svc, surface, found.pending, found.account);
  return showLogin(page);
}

/** 429 with Retry-After: too many failed sign-ins for this login or from this address. */
function showLocked(page: InteractionPage, login: string, retryAfterSeconds: number): Promise<void> {
  page.ctx.set('Retry-After', String(retryAfterSeconds));
  return showLogin(page, { error: 'locked', loginHint: login, status: 429, retryAfterSeconds });
}

export async function submitLogin(page: InteractionPage, form: URLSearchParams): Promise<void> {
  const { deps, interaction } = page;
  if (interaction.prompt.name !== 'login') return redirectToCurrentStep(page);
  const login = (form.get('login') ?? '').trim();
  const password = form.get('password') ?? '';
  if (!login || !password) return showLogin(page, { error: 'required', loginHint: login, status: 400 });

  const result = await deps.passwordSignIn.signIn({ login, password, ip: page.ctx.ip, via: 'authorize', clientId: clientIdOf(page) });
  if (!result.ok) {
    if (result.error === 'locked') return showLocked(page, login, result.retryAfterSeconds);
    return showLogin(page, { error: result.error, loginHint: login, status: result.status });
  }
  await conclude(page, await afterPassword(deps.secondFactor, await surfaceOf(page), result.account));
}

/** "Sign in with a passkey" on the sign-in page. */
export async function submitPasskeySignIn(page: InteractionPage, form: URLSearchParams): Promise<void> {
  if (page.interaction.prompt.name !== 'login') return redirectToCurrentStep(page);
  const result = await submitPasswordless(page.deps.secondFactor, { ctx: page.ctx, binding: `interaction:${page.interaction.uid}`, via: 'authorize', clientId: clientIdOf(page) }, form);
  if (!result.ok) {
    if (result.status === 429) return showLocked(page, '', result.retryAfterSeconds ?? 60);
    return showLogin(page, { error: 'passkey', status: result.status });
  }
  await finishSignIn(page, result.accountId, result.method);
}
