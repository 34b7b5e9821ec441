/**
 * A lost consume race is a reuse. Two exchanges of one authorization code (or one refresh token)
 * that both read it unconsumed reach the adapter's conditional consume together; one wins. The
 * loser must be treated as oidc-provider treats a code presented again: the grant is revoked (the
 * winner's tokens stop working) and the reuse is audited. The race is made certain on PostgreSQL
 * by holding the row's lock while both requests read it and queue behind the lock.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pg from 'pg';
import { exchangeCode, introspect, refresh, setupCodeFlow, signInForCallback, type CodeFlowSetup } from './support/setup.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';
import { storedId } from '../../src/storage/oidc-adapter.ts';
import type { AuditEvent } from '../../src/audit/types.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describePostgres('a lost consume race on PostgreSQL', () => {
  let schema: TestSchema;
  let s: CodeFlowSetup;
  before(async () => {
    schema = await createTestSchema();
    s = await setupCodeFlow(undefined, { DATABASE_URL: schema.url, PROPUSK_REFRESH_REUSE_INTERVAL: '0' });
  });
  after(async () => {
    await s?.server.stop();
    await schema?.drop();
  });

  /**
   * Runs `requests` while another connection holds the lock on the artefact's row: every request
   * reads the row unconsumed and then waits at its consume; the lock is released once they all wait.
   */
  async function raced<T>(model: string, id: string, requests: () => Promise<T>[]): Promise<T[]> {
    const locker = new pg.Client({ connectionString: schema.url });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('select 1 from oidc_model where model = $1 and id = $2 for update', [model, storedId(model, id)]);
      const answers = Promise.all(requests());
      // Wait until a request waits for this lock, then give the other one time to get there too.
      for (let i = 0; i < 100; i++) {
        const { rows } = await locker.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where pg_backend_pid() = any(pg_blocking_pids(pid))');
        if (rows[0]!.n > 0) break;
        await sleep(20);
      }
      await sleep(300);
      await locker.query('rollback');
      return await answers;
    } finally {
      await locker.end();
    }
  }

  async function audited(type: string, since: Date): Promise<AuditEvent[]> {
    for (let i = 0; i < 40; i++) {
      const events = await s.server.context.audit.tail({ type, since });
      if (events.length > 0) return events;
      await sleep(50);
    }
    return [];
  }

  it('of two exchanges of one code, one gets tokens and the other revokes them and is audited, as a reuse', async () => {
    const since = new Date();
    const code = (await signInForCallback(s.issuer, s.user)).callback.searchParams.get('code')!;
    const answers = await raced('AuthorizationCode', code, () => [exchangeCode(s, code), exchangeCode(s, code)]);
    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1, answers.map((a) => `${a.status} ${a.text}`).join(' | '));
    const lost = answers.find((a) => a.status !== 200)!;
    assert.equal(lost.json.error, 'invalid_grant', lost.text);
    assert.equal((await introspect(s, String(won[0]!.json.access_token))).active, false, "the winner's access token is revoked");
    assert.equal((await refresh(s, String(won[0]!.json.refresh_token))).json.error, 'invalid_grant', "the winner's refresh token is revoked");
    const reuses = await audited('authorization_code.reuse_detected', since);
    assert.equal(reuses.length, 1, 'the reuse is audited once');
    assert.equal(reuses[0]!.outcome, 'failure');
    assert.equal(reuses[0]!.details.grant_revoked, true);
  });

  it('of two refreshes with one token (no reuse interval), one gets tokens and the other revokes the grant and is audited', async () => {
    const since = new Date();
    const code = (await signInForCallback(s.issuer, s.user)).callback.searchParams.get('code')!;
    const first = await exchangeCode(s, code);
    assert.equal(first.status, 200, first.text);
    const token = String(first.json.refresh_token);
    const answers = await raced('RefreshToken', token, () => [refresh(s, token), refresh(s, token)]);
    const won = answers.filter((a) => a.status === 200);
    assert.equal(won.length, 1, answers.map((a) => `${a.status} ${a.text}`).join(' | '));
    assert.equal(answers.find((a) => a.status !== 200)!.json.error, 'invalid_grant');
    assert.equal((await introspect(s, String(won[0]!.json.access_token))).active, false, "the winner's access token is revoked");
    assert.equal((await refresh(s, String(won[0]!.json.refresh_token))).json.error, 'invalid_grant', "the winner's refresh token is revoked");
    const reuses = await audited('refresh_token.reuse_detected', since);
    assert.equal(reuses.length, 1, 'the reuse is audited once');
    assert.equal(reuses[0]!.details.grant_revoked, true);
  });
});
