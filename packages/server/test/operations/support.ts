/** A server with a code-flow client and a user, for the operations tests (limits, headers, proxy, audit, metrics, logs). */
import { randomBytes } from 'node:crypto';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer, type TestServerOptions } from '../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../support/fixtures.ts';
import { FormsAgent, type Page } from '../codeflow/support/forms-agent.ts';
import { REDIRECT_URI, authorizeUrl } from '../codeflow/support/setup.ts';

export { FormsAgent, REDIRECT_URI, authorizeUrl };

export interface OpsSetup {
  server: TestServer;
  issuer: string;
  web: { clientId: string; apiKey: string };
  service: { clientId: string; apiKey: string };
  user: { login: string; password: string; id: string };
  rs: { clientId: string; secret: string };
}

/** `env` on top of the test defaults; the progressive delay is off unless a test sets it. */
export async function setupOps(env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<OpsSetup> {
  const server = await startTestServer({ PROPUSK_SIGN_IN_DELAY_MS: '0', ...env }, options);
  const ctx = server.context;
  const web = await createClient(ctx, {
    clientId: 'web.app',
    name: 'Web',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [REDIRECT_URI],
    postLogoutRedirectUris: ['http://127.0.0.1:9/signed-out'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'extern.api'],
  });
  const service = await createClient(ctx, { clientId: 'service.app' });
  const phone = `9${randomBytes(5).readUIntBE(0, 5).toString().padStart(9, '0').slice(0, 9)}`;
  const { account, password } = await createUser(ctx, { phone });
  return { server, issuer: server.issuer, web, service, user: { login: account.login, password, id: account.id }, rs: await resourceCredentials(ctx, 'extern.api') };
}

/** The sign-in page of a fresh authorization request. */
export async function loginPage(s: OpsSetup, agent = new FormsAgent(s.issuer)): Promise<{ agent: FormsAgent; page: Page }> {
  const page = await agent.follow(authorizeUrl(s.issuer));
  assert.equal(page.status, 200);
  assert.match(page.html, /name="password"/);
  return { agent, page };
}

/** Posts the sign-in form of `page` (a sign-in page) and returns the next page (not following past the issuer). */
export function submitLogin(agent: FormsAgent, page: Page, login: string, password: string): Promise<Page> {
  return agent.submit(page, '/login', { login, password });
}

/** The text of the page's error message (the `role="alert"` element), or undefined. */
export function alertText(html: string): string | undefined {
  return /role="alert"[^>]*>([\s\S]*?)<\//.exec(html)?.[1]?.trim();
}
