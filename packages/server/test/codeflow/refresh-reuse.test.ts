/**
 * The refresh-token reuse interval (PROPUSK_REFRESH_REUSE_INTERVAL): two workers refreshing with
 * the same token at once both get a valid token set and nothing is revoked — on one instance
 * (SQLite and PostgreSQL) and on two instances sharing one PostgreSQL schema. After the interval,
 * presenting the rotated token revokes the grant as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exchangeCode, introspect, refresh, setupCodeFlow, signInForCallback, type CodeFlowSetup } from './support/setup.ts';
import { freePort, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function tokensOf(s: CodeFlowSetup): Promise<{ access_token: string; refresh_token: string }> {
  const { callback } = await signInForCallback(s.issuer, s.user);
  const res = await exchangeCode(s, callback.searchParams.get('code')!);
  assert.equal(res.status, 200, res.text);
  return res.json as { access_token: string; refresh_token: string };
}

/** A refresh of web.app's token on `issuer` (another instance of the same setup). */
function refreshOn(s: CodeFlowSetup, issuer: string, refreshToken: string) {
  return postForm(`${issuer}/connect/token`, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: s.web.clientId, client_secret: s.web.apiKey });
}

/** Refreshes with one token on every issuer at once; asserts each got a full token set, all still valid. */
async function concurrentRefreshes(s: CodeFlowSetup, issuers: string[]): Promise<void> {
  const first = await tokensOf(s);
  const answers = await Promise.all(issuers.map((issuer) => refreshOn(s, issuer, first.refresh_token)));
  for (const a of answers) {
    assert.equal(a.status, 200, a.text);
    assert.equal(typeof a.json.access_token, 'string');
    assert.equal(typeof a.json.refresh_token, 'string');
  }
  // Nothing was revoked: every new access token is active and every new refresh token refreshes.
  for (const a of answers) assert.equal((await introspect(s, String(a.json.access_token))).active, true);
  for (const a of answers) {
    const next = await refresh(s, String(a.json.refresh_token));
    assert.equal(next.status, 200, next.text);
  }
}

/** After the interval the rotated token is refused and the grant revoked. */
async function reuseAfterInterval(s: CodeFlowSetup, intervalSeconds: number): Promise<void> {
  const first = await tokensOf(s);
  const rotated = await refresh(s, first.refresh_token);
  assert.equal(rotated.status, 200, rotated.text);
  await sleep(intervalSeconds * 1000 + 300);
  const reuse = await refresh(s, first.refresh_token);
  assert.equal(reuse.status, 400, reuse.text);
  assert.equal(reuse.json.error, 'invalid_grant');
  assert.equal((await refresh(s, String(rotated.json.refresh_token))).json.error, 'invalid_grant', 'the grant is revoked');
  assert.equal((await introspect(s, String(rotated.json.access_token))).active, false);
}

describe('refresh reuse interval on SQLite', () => {
  let s: CodeFlowSetup;
  let short: CodeFlowSetup;
  before(async () => {
    s = await setupCodeFlow();
    short = await setupCodeFlow(undefined, { PROPUSK_REFRESH_REUSE_INTERVAL: '1' });
  });
  after(async () => {
    await s?.server.stop();
    await short?.server.stop();
  });

  it('concurrent refreshes with one token (default interval): all get tokens, nothing is revoked', async () => {
    await concurrentRefreshes(s, [s.issuer, s.issuer, s.issuer]);
  });

  it('the rotated token presented again within the interval gets a token set', async () => {
    const first = await tokensOf(s);
    const a = await refresh(s, first.refresh_token);
    const b = await refresh(s, first.refresh_token);
    assert.equal(a.status, 200, a.text);
    assert.equal(b.status, 200, b.text);
    assert.equal((await refresh(s, String(a.json.refresh_token))).status, 200);
  });

  it('another client presenting the token is refused', async () => {
    const first = await tokensOf(s);
    const other = await postForm(`${s.issuer}/connect/token`, { grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: s.spa.clientId });
    assert.equal(other.json.error, 'invalid_grant');
  });

  it('after the interval reuse revokes the grant', async () => {
    await reuseAfterInterval(short, 1);
  });

  it('PROPUSK_REFRESH_REUSE_INTERVAL=0 turns it off: an immediate reuse revokes the grant', async () => {
    const off = await setupCodeFlow(undefined, { PROPUSK_REFRESH_REUSE_INTERVAL: '0' });
    try {
      await reuseAfterInterval(off, 0);
    } finally {
      await off.server.stop();
    }
  });
});

describePostgres('refresh reuse interval on PostgreSQL', () => {
  let schema: TestSchema;
  let s: CodeFlowSetup;
  let second: TestServer;
  /** Where the second instance listens (it has the first one's issuer, as behind one load balancer). */
  let secondUrl: string;
  let shortSchema: TestSchema;
  let short: CodeFlowSetup;
  before(async () => {
    schema = await createTestSchema();
    s = await setupCodeFlow(undefined, { DATABASE_URL: schema.url });
    const port = await freePort();
    second = await startTestServer({ DATABASE_URL: schema.url, PORT: String(port), PROPUSK_ISSUER: s.issuer });
    secondUrl = `http://127.0.0.1:${port}`;
    shortSchema = await createTestSchema();
    short = await setupCodeFlow(undefined, { DATABASE_URL: shortSchema.url, PROPUSK_REFRESH_REUSE_INTERVAL: '1' });
  });
  after(async () => {
    await second?.stop();
    await s?.server.stop();
    await short?.server.stop();
    await schema?.drop();
    await shortSchema?.drop();
  });

  it('concurrent refreshes on one instance: all get tokens, nothing is revoked', async () => {
    await concurrentRefreshes(s, [s.issuer, s.issuer, s.issuer]);
  });

  it('concurrent refreshes across two instances sharing the schema: both get tokens, nothing is revoked', async () => {
    await concurrentRefreshes(s, [s.issuer, secondUrl, s.issuer, secondUrl]);
  });

  it('after the interval reuse revokes the grant', async () => {
    await reuseAfterInterval(short, 1);
  });
});
