/**
 * A server for the portal tests whose log lines are captured (to prove secrets never reach them),
 * a client with the authorization_code and client_credentials grants, and helpers: invitations
 * through the real CLI, a signed-in forms agent, portal-page fetching.
 */
import assert from 'node:assert/strict';
import { startTestServer, runCli, postForm, type TestServer } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import { FormsAgent, formOf, type Page } from '../codeflow/support/forms-agent.ts';

export interface PortalSetup {
  server: TestServer;
  issuer: string;
  /** Every log line the server wrote. */
  logs: string[];
  cliEnv: Record<string, string>;
}

export async function setupPortal(env: Record<string, string> = {}): Promise<PortalSetup> {
  const logs: string[] = [];
  const server = await startTestServer({ PROPUSK_LOG_LEVEL: 'debug', ...env }, { logStream: { write: (line: string) => void logs.push(line) } });
  return { server, issuer: server.issuer, logs, cliEnv: { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer } };
}

let seq = 0;
/** A confidential client with authorization_code and client_credentials (its first key is revoked: the integrator issues its own). */
export async function newClient(s: PortalSetup, overrides: { name?: string; grantTypes?: string[] } = {}) {
  const clientId = `acme.app${++seq}`;
  const created = await createClient(s.server.context, {
    clientId,
    name: overrides.name ?? `ООО «Ромашка» ${seq}`,
    grantTypes: overrides.grantTypes ?? ['authorization_code', 'client_credentials'],
    redirectUris: (overrides.grantTypes ?? ['authorization_code']).includes('authorization_code') ? ['https://acme.example/cb'] : [],
    scopes: ['openid', 'extern.api'],
  });
  await s.server.context.clients.revokeKey(clientId, created.apiKeyId, 'admin-cli');
  return clientId;
}

export async function newUser(s: PortalSetup) {
  const { account, password } = await createUser(s.server.context);
  return { id: account.id, login: account.login, password };
}

/** `propusk admin client invite … --json` as the manager runs it. */
export async function invite(s: PortalSetup, clientId: string, args: string[] = []) {
  const r = await runCli(['admin', 'client', 'invite', clientId, ...args, '--json'], s.cliEnv);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { client_id: string; invitation_id: string; url: string; expires_at: string };
}

/** A cookie-jar agent on the portal that has accepted `url` as `user` (signed in, owner). */
export async function acceptAs(s: PortalSetup, url: string, user: { login: string; password: string }, headers: Record<string, string> = {}): Promise<{ agent: FormsAgent; page: Page }> {
  const agent = new FormsAgent(s.issuer, headers);
  const invitation = await agent.follow(url);
  assert.equal(invitation.status, 200, invitation.html.slice(0, 500));
  const page = await agent.submit(invitation, '/sign-in', { login: user.login, password: user.password });
  assert.equal(page.status, 200, page.html.slice(0, 500));
  return { agent, page };
}

/** A signed-in agent (through /integrations/sign-in). */
export async function signedInAgent(s: PortalSetup, user: { login: string; password: string }): Promise<FormsAgent> {
  const agent = new FormsAgent(s.issuer);
  const form = await agent.follow('/integrations');
  const page = await agent.submit(form, '/integrations/sign-in', { login: user.login, password: user.password });
  assert.equal(page.status, 200);
  assert.equal(new URL(page.url).pathname, '/integrations');
  return agent;
}

/** Issues a key on the client's page; returns the key and the id shown once. */
export async function issueKey(agent: FormsAgent, clientId: string, label = 'prod') {
  const clientPage = await agent.follow(`/integrations/clients/${clientId}`);
  const form = formOf(clientPage.html, `/integrations/clients/${clientId}/keys`);
  const posted = await agent.request(form.action, { form: { csrf: form.csrf, label } });
  await posted.body?.cancel();
  assert.equal(posted.status, 303, 'post/redirect/get');
  const res = await agent.request(posted.headers.get('location')!);
  const html = await res.text();
  assert.equal(res.status, 200, html.slice(0, 500));
  const key = /<code id="api-key"[^>]*>([0-9a-f-]{36})<\/code>/.exec(html)?.[1];
  assert.ok(key, 'the new key is on the page');
  return { key, html, headers: res.headers };
}

/** client_credentials at the token endpoint with `client_secret` = the api-key. */
export const clientCredentials = (s: PortalSetup, clientId: string, apiKey: string) =>
  postForm(`${s.issuer}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: apiKey, scope: 'extern.api' });
