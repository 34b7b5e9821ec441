/**
 * The sign-in step: login (email) or phone + password. Any failure — unknown login, wrong
 * password, disabled account — gets the same generic message; the audit log records the attempt
 * without the login or password typed. Brute-force limits (accounts/sign-in-limits.ts): too many
 * failures for a login or from an address lock it for a while (429, "locked"), with progressive
 * delays before; whether the login exists makes no difference.
 */
import { loginPage, type LoginError } from '../../views/index.ts';
import { finishInteraction } from './load.ts';
import { clientIdOf, clientName, csrfToken, redirectToCurrentStep, stepAction, switchHref, type InteractionPage } from './page.ts';

export async function showLogin(page: InteractionPage, options: { error?: LoginError; loginHint?: string; status?: number; retryAfterSeconds?: number } = {}): Promise<void> {
  const { ctx, interaction, locale } = page;
  const hint = options.loginHint ?? (interaction.params.login_hint as string | undefined);
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
  });
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
  const account = result.account;
  await finishInteraction(deps.provider, page.ctx, { login: { accountId: account.id, amr: ['pwd'], remember: true } }, { mergeWithLastSubmission: false });
}
