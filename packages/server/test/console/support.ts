/** Console test helpers: a server, operators (accounts with a role), and a forms agent signed in to the console. */
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import type { Role } from '../../src/operators/types.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { FormsAgent, formOf, type Page } from '../codeflow/support/forms-agent.ts';

export interface Person {
  id: string;
  login: string;
  password: string;
}

/** A new account holding `role` (none: no role). */
export async function operatorAccount(ctx: AppContext, role: Role | null, login?: string): Promise<Person> {
  const { account, password } = await createUser(ctx, login ? { login } : {});
  if (role) await ctx.roles.grant({ account: account.login }, role, 'admin-cli');
  return { id: account.id, login: account.login, password };
}

export function startConsoleServer(env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer(env);
}

/**
 * Signs `person` in to the console with a browser without JavaScript: `/console/sign-in` → the
 * authorization endpoint → Propusk's sign-in page (when the browser has no session) → the callback.
 * Returns the page the console lands on.
 */
export async function signIn(agent: FormsAgent, person: Person, next = '/console/sign-in'): Promise<Page> {
  let page = await agent.follow(next);
  if (/name="password"/.test(page.html)) {
    page = await agent.submit(page, '/login', { login: person.login, password: person.password });
  }
  assert.ok(page.url.includes('/console'), `back in the console: ${page.url} ${page.status} ${page.html.slice(0, 500)}`);
  return page;
}

export { FormsAgent, formOf };
