/**
 * The sign-in step: login (email) or phone + password. Any failure — unknown login, wrong
 * password, disabled account — gets the same generic message; the audit log records the attempt
 * without the login or password typed.
 */
import { loginPage, type LoginError } from '../views/index.ts';
import { finishInteraction } from './load.ts';
import { clientIdOf, clientName, csrfToken, redirectToCurrentStep, stepAction, switchHref, type InteractionPage } from './page.ts';

export async function showLogin(page: InteractionPage, options: { error?: LoginError; loginHint?: string; status?: number } = {}): Promise<void> {
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
    switchLocaleHref: switchHref(page),
  });
}

const loginKind = (login: string): string => (login.includes('@') ? 'email' : /^[\d\s()+-]+$/.test(login) ? 'phone' : 'other');

export async function submitLogin(page: InteractionPage, form: URLSearchParams): Promise<void> {
  const { deps, interaction } = page;
  if (interaction.prompt.name !== 'login') return redirectToCurrentStep(page);
  const login = (form.get('login') ?? '').trim();
  const password = form.get('password') ?? '';
  if (!login || !password) return showLogin(page, { error: 'required', loginHint: login, status: 400 });

  const account = await deps.accounts.authenticate(login, password);
  const clientId = clientIdOf(page);
  if (!account) {
    await deps.audit.record({ type: 'login.password', outcome: 'failure', clientId, details: { login_kind: loginKind(login), ip: page.ctx.ip } });
    return showLogin(page, { error: 'invalid_credentials', loginHint: login, status: 401 });
  }
  await deps.audit.record({ type: 'login.password', outcome: 'success', clientId, accountId: account.id, details: { login_kind: loginKind(login), ip: page.ctx.ip } });
  await finishInteraction(deps.provider, page.ctx, { login: { accountId: account.id, amr: ['pwd'], remember: true } }, { mergeWithLastSubmission: false });
}
