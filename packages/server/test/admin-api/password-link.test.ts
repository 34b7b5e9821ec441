/** POST /users/{id}/password-link: support staff hand a person a link; nobody but the person sets or sees a password. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../support/server.ts';
import { createUser } from '../support/fixtures.ts';
import { api, machineOperator } from './support.ts';

describe('management API: set-password links', () => {
  let server: TestServer;
  let support: string;
  const logs: string[] = [];

  before(async () => {
    server = await startTestServer({ PROPUSK_LOG_LEVEL: 'info' }, { logStream: { write: (line: string) => void logs.push(line) } });
    support = (await machineOperator(server.context, server.url, 'desk.support', 'support')).token;
  });
  after(() => server.stop());

  it('issues a working link once; it is in no log and no audit event', async () => {
    const { account } = await createUser(server.context);
    const res = await api(server.url, support, 'POST', `/users/${account.id}/password-link`);
    assert.equal(res.status, 201, res.text);
    const url = new URL(res.json.url as string);
    assert.equal(url.origin, new URL(server.context.config.issuer).origin);
    assert.match(url.pathname, /^\/account\/set-password\/[A-Za-z0-9_-]{43}$/);
    assert.ok(Date.parse(res.json.expires_at as string) > Date.now());

    const page = await fetch(`${server.url}${url.pathname}`, { headers: { accept: 'text/html' } });
    assert.equal(page.status, 200);
    assert.ok((await page.text()).includes(account.login));

    const token = url.pathname.split('/').pop()!;
    const events = await server.context.repos.audit.tail({ type: 'account.password_link_issued', limit: 5 });
    assert.equal(events.at(-1)?.actor, 'client:desk.support');
    assert.equal(events.at(-1)?.accountId, account.id);
    assert.ok(!JSON.stringify(events).includes(token), 'not in the audit event');
    assert.ok(logs.length > 0 && logs.every((l) => !l.includes(token)), 'not in the log');
  });

  it('a second link ends the first; a login works as the id; unknown and disabled accounts are problems', async () => {
    const { account } = await createUser(server.context);
    const first = new URL((await api(server.url, support, 'POST', `/users/${account.id}/password-link`)).json.url as string);
    const second = await api(server.url, support, 'POST', `/users/${encodeURIComponent(account.login)}/password-link`);
    assert.equal(second.status, 201);
    assert.equal((await fetch(`${server.url}${first.pathname}`)).status, 410);
    assert.equal((await api(server.url, support, 'POST', '/users/no-such-account/password-link')).status, 404);
    await server.context.accounts.disable(account.id, 'admin-cli');
    const disabled = await api(server.url, support, 'POST', `/users/${account.id}/password-link`);
    assert.equal(disabled.status, 409, disabled.text);
  });
});
