/**
 * Helpers of the account tests: a code flow through the pages without JavaScript (tokens for a
 * browser session), sign-in on /account, and reading the account page's forms.
 */
import assert from 'node:assert/strict';
import { FormsAgent, formOf, paramsOf, type Page } from '../codeflow/support/forms-agent.ts';
import { REDIRECT_URI, authorizeUrl, exchangeCode, introspect, refresh, type CodeFlowSetup } from '../codeflow/support/setup.ts';

export { FormsAgent, formOf, type Page };

export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** Runs the authorization code flow for web.app in `agent` (signing in and consenting when asked) and exchanges the code. */
export async function codeFlowTokens(s: CodeFlowSetup, agent: FormsAgent, user: { login: string; password: string } = s.user, params: Record<string, string> = {}): Promise<Tokens> {
  let page = await agent.follow(authorizeUrl(s.issuer, params));
  if (!page.url.startsWith(REDIRECT_URI) && /name="password"/.test(page.html)) {
    page = await agent.submit(page, '/login', { login: user.login, password: user.password });
  }
  if (!page.url.startsWith(REDIRECT_URI)) {
    assert.match(page.html, /name="decision"/, 'consent page');
    page = await agent.submit(page, '/consent', { decision: 'allow' });
  }
  const code = paramsOf(page.url).code;
  assert.ok(code, `code in ${page.url}`);
  const res = await exchangeCode(s, code);
  assert.equal(res.status, 200, res.text);
  return { access_token: String(res.json.access_token), refresh_token: String(res.json.refresh_token) };
}

/** True while the access token introspects active and the refresh token is accepted (the refresh rotates it: use the returned tokens). */
export async function tokenState(s: CodeFlowSetup, tokens: Tokens): Promise<{ active: boolean; refresh: { status: number; error: unknown; tokens?: Tokens } }> {
  const active = (await introspect(s, tokens.access_token)).active === true;
  const r = await refresh(s, tokens.refresh_token);
  return {
    active,
    refresh: {
      status: r.status,
      error: r.json.error,
      tokens: r.status === 200 ? { access_token: String(r.json.access_token), refresh_token: String(r.json.refresh_token) } : undefined,
    },
  };
}

/** GET /account (following redirects). */
export const accountPage = (agent: FormsAgent): Promise<Page> => agent.follow('/account');

/** Signs in on /account with the form; returns the account page. */
export async function signInToAccount(agent: FormsAgent, user: { login: string; password: string }): Promise<Page> {
  const login = await accountPage(agent);
  assert.match(login.html, /name="password"/, 'sign-in form');
  return agent.submit(login, '/account/sign-in', { login: user.login, password: user.password });
}

/** The client ids of the applications' "Revoke access" links on the account page. */
export function applicationsOn(page: Page): string[] {
  return [...page.html.matchAll(/href="\/account\/applications\/([^/"]+)\/revoke/g)].map((m) => decodeURIComponent(m[1]!));
}

/** True when the page is the signed-in account page (not the sign-in form). */
export const isAccountPage = (page: Page): boolean => page.status === 200 && /action="\/account\/password/.test(page.html);
