/**
 * The audit log in the console: the operation's filters and paging behind a form, its refusals on
 * the page, and the NDJSON download of the filtered events.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TestServer } from '../support/server.ts';
import { FormsAgent, operatorAccount, signIn, startConsoleServer } from './support.ts';

let s: TestServer;
let agent: FormsAgent;
before(async () => {
  s = await startConsoleServer();
  agent = new FormsAgent(s.issuer);
  await signIn(agent, await operatorAccount(s.context, 'auditor'));
  // Events to find: 30 key rotations (recorded as the key service does), and an account disabled.
  for (let i = 0; i < 30; i++) await s.context.audit.record({ type: 'signing_key.rotated', actor: 'admin-cli', details: { kid: `kid-${i}`, alg: 'RS256' } });
  const person = await operatorAccount(s.context, null);
  await s.context.accounts.disable(person.login, 'admin-cli');
});
after(() => s?.stop());

const rows = (html: string) => (/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1]?.match(/<tr>/g) ?? []).length;

describe('console audit log', () => {
  it('filters by type with the operation\'s paging; the next page continues where the first ended', async () => {
    const kids = (html: string) => [...html.matchAll(/kid-(\d+)/g)].map((m) => Number(m[1]));
    const first = await agent.follow('/console/audit?type=signing_key.rotated');
    assert.equal(first.status, 200);
    assert.equal(rows(first.html), 25);
    assert.deepEqual(kids(first.html), Array.from({ length: 25 }, (_, i) => 29 - i), 'newest first');
    assert.doesNotMatch(first.html, /<code>account\.disabled<\/code>/);
    const next = /href="(\/console\/audit\?type=signing_key\.rotated&amp;cursor=[^"]+)"/.exec(first.html)![1]!.replace(/&amp;/g, '&');
    const second = await agent.follow(next);
    assert.deepEqual(kids(second.html), [4, 3, 2, 1, 0]);
    assert.doesNotMatch(second.html, /Следующая страница/);
    assert.match(second.html, /href="\/console\/audit\?type=signing_key\.rotated"/, 'a link to the first page');
    const prefix = await agent.follow('/console/audit?type=account.');
    assert.match(prefix.html, /<code>account\.disabled<\/code>/);
    assert.doesNotMatch(prefix.html, /<code>signing_key\.rotated<\/code>/);
  });

  it('a date alone is the start of that day; a bad filter is shown on the page as the operation\'s refusal', async () => {
    const future = await agent.follow('/console/audit?since=2999-01-01');
    assert.equal(future.status, 200);
    assert.match(future.html, /class="table-empty"/);
    const bad = await agent.follow('/console/audit?type=no.such.event');
    assert.equal(bad.status, 400);
    assert.match(bad.html, /no audit event type/);
    assert.match(bad.html, /value="no\.such\.event"/, 'the filter stays in the form');
    const range = await agent.follow('/console/audit?since=2026-03-02&until=2026-03-01');
    assert.equal(range.status, 400);
    const cursor = await agent.follow('/console/audit?cursor=!!');
    assert.equal(cursor.status, 400);
  });

  it('downloads the filtered events as NDJSON', async () => {
    const page = await agent.follow('/console/audit?type=signing_key.rotated&since=2000-01-01');
    const href = /href="(\/console\/audit\/export[^"]*)"/.exec(page.html)![1]!.replace(/&amp;/g, '&');
    const res = await agent.request(href);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /application\/x-ndjson/);
    assert.match(res.headers.get('content-disposition') ?? '', /attachment; filename="propusk-audit-/);
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string });
    assert.equal(lines.length, 30);
    assert.ok(lines.every((l) => l.type === 'signing_key.rotated'));
  });

  it('support staff are refused the audit log and its download', async () => {
    const support = new FormsAgent(s.issuer);
    await signIn(support, await operatorAccount(s.context, 'support'));
    assert.equal((await support.follow('/console/audit')).status, 403);
    assert.equal((await support.request('/console/audit/export')).status, 403);
  });
});
