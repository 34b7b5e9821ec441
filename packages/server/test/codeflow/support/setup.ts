/** A server with the clients and user the code-flow tests share, and small protocol helpers. */
import { createHash, randomBytes } from 'node:crypto';
import { startTestServer, postForm, basic, type TestServer, type TestServerOptions } from '../../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../../support/fixtures.ts';
import { FormsAgent } from './forms-agent.ts';

export const REDIRECT_URI = 'http://127.0.0.1:9/cb';
export const POST_LOGOUT_URI = 'http://127.0.0.1:9/signed-out';
export const API_SCOPE = 'extern.api';
export const API_AUDIENCE = 'urn:propusk:api:extern.api';

export interface CodeFlowSetup {
  server: TestServer;
  issuer: string;
  /** Confidential client with the refresh grant. */
  web: { clientId: string; apiKey: string };
  /** Public client (PKCE required). */
  spa: { clientId: string };
  user: { login: string; password: string; phone: string; id: string };
  rs: { clientId: string; secret: string };
}

/**
 * `rpBase` is where the test's relying party receives redirects (default: a port nothing listens
 * on); `env` is more environment for the server (e.g. a PostgreSQL `DATABASE_URL`); `options` go
 * to the test server (e.g. a stream that keeps its log lines).
 */
export async function setupCodeFlow(rpBase = 'http://127.0.0.1:9', env: Record<string, string> = {}, options: TestServerOptions = {}): Promise<CodeFlowSetup> {
  const server = await startTestServer(env, options);
  const ctx = server.context;
  const common = {
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [`${rpBase}/cb`],
    postLogoutRedirectUris: [`${rpBase}/signed-out`],
    scopes: ['openid', 'profile', 'email', 'offline_access', API_SCOPE],
  };
  const web = await createClient(ctx, { clientId: 'web.app', name: 'Бухгалтерия Онлайн', ...common });
  const spa = await createClient(ctx, { clientId: 'spa.app', name: 'SPA', public: true, ...common });
  const phone = randomPhone();
  const { account, password } = await createUser(ctx, { phone });
  return {
    server,
    issuer: server.issuer,
    web,
    spa,
    user: { login: account.login, password, phone, id: account.id },
    rs: await resourceCredentials(ctx, API_SCOPE),
  };
}

/**
 * Another account with a password. `s.user` has allowed web.app everything by the time most tests
 * run (consent is remembered per account and client): a test that needs the consent page uses a
 * new account.
 */
export async function newUser(s: CodeFlowSetup): Promise<{ login: string; password: string; phone: string; id: string }> {
  const phone = randomPhone();
  const { account, password } = await createUser(s.server.context, { phone });
  return { login: account.login, password, phone, id: account.id };
}

const randomPhone = (): string => `9${randomBytes(5).readUIntBE(0, 5).toString().padStart(9, '0').slice(0, 9)}`;

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** `/connect/authorize?…` with defaults for web.app: code, openid profile email extern.api, state, nonce. */
export function authorizeUrl(issuer: string, params: Record<string, string | undefined> = {}): string {
  const url = new URL('/connect/authorize', issuer);
  const all: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: 'web.app',
    scope: `openid profile email ${API_SCOPE}`,
    redirect_uri: REDIRECT_URI,
    state: randomBytes(8).toString('hex'),
    nonce: randomBytes(8).toString('hex'),
    ...params,
  };
  for (const [k, v] of Object.entries(all)) if (v !== undefined) url.searchParams.set(k, v);
  return url.href;
}

export function exchangeCode(s: CodeFlowSetup, code: string, extra: Record<string, string> = {}) {
  return postForm(`${s.issuer}/connect/token`, {
    grant_type: 'authorization_code',
    code,
    client_id: s.web.clientId,
    client_secret: s.web.apiKey,
    redirect_uri: REDIRECT_URI,
    ...extra,
  });
}

export function refresh(s: CodeFlowSetup, refreshToken: string, extra: Record<string, string> = {}) {
  return postForm(`${s.issuer}/connect/token`, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: s.web.clientId,
    client_secret: s.web.apiKey,
    ...extra,
  });
}

/** Introspection with the API's own credentials. */
export async function introspect(s: CodeFlowSetup, token: string): Promise<Record<string, unknown>> {
  const res = await postForm(`${s.issuer}/connect/introspect`, { token }, { authorization: basic(s.rs.clientId, s.rs.secret) });
  return res.json;
}

/**
 * Signs `user` in on `issuer` with a forms agent (consenting when asked) for `authorizeUrl(issuer,
 * params)`; returns the callback URL with the code, the state and nonce sent, and the agent.
 */
export async function signInForCallback(
  issuer: string,
  user: { login: string; password: string },
  params: Record<string, string | undefined> = {},
): Promise<{ callback: URL; state: string; nonce: string; agent: FormsAgent }> {
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const agent = new FormsAgent(issuer);
  const login = await agent.follow(authorizeUrl(issuer, { state, nonce, ...params }));
  if (login.status !== 200) throw new Error(`sign-in page: ${login.status} ${login.html}`);
  const signedIn = await agent.submit(login, '/login', { login: user.login, password: user.password });
  const callback = /name="decision"/.test(signedIn.html) ? await agent.submit(signedIn, '/consent', { decision: 'allow' }) : signedIn;
  if (!callback.url.includes('code=')) throw new Error(`no code in ${callback.url}`);
  return { callback: new URL(callback.url), state, nonce, agent };
}
