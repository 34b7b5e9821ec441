/**
 * The audit log stays bounded under unauthenticated noise: repeated failures of one kind from one
 * source within a window are one row with a count (and first/last time), shown by `admin audit
 * tail`; rows older than PROPUSK_AUDIT_RETENTION_DAYS are swept. On SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { postForm, runCli, startTestServer, type TestServer } from '../support/server.ts';
import { sweepExpired } from '../../src/storage/sweeper.ts';
import { createTestSchema, describePostgres, type TestSchema } from '../storage/support.ts';

const BURST = 3000;
const DAY_MS = 86_400_000;

function suite(name: string, describeFn: (name: string, fn: () => void) => void, postgres: boolean) {
  describeFn(`audit volume (${name})`, () => {
    let server: TestServer;
    let schema: TestSchema | undefined;
    before(async () => {
      schema = postgres ? await createTestSchema() : undefined;
      server = await startTestServer({ ...(schema ? { DATABASE_URL: schema.url } : {}), PROPUSK_AUDIT_RETENTION_DAYS: '30' });
    });
    after(async () => {
      await server.stop();
      await schema?.drop();
    });

    const failures = async () => server.context.db.selectFrom('audit_event').selectAll().where('type', '=', 'trusted_grant').execute();

    it(`${BURST} unauthenticated failures from one source are a few rows with the total count`, async () => {
      // Unknown clients, wrong secrets: refused at client authentication, before any grant rule.
      for (let i = 0; i < BURST; i += 50) {
        const batch = Array.from({ length: 50 }, (_, j) =>
          postForm(`${server.url}/connect/token`, { grant_type: 'trusted', client_id: `ghost-${i + j}`, client_secret: 'wrong', token: 'x.y.z', scope: 'extern.api' }),
        );
        for (const r of await Promise.all(batch)) assert.equal(r.json.error, 'invalid_client');
      }
      // Refusals before the handler are audited without holding up the response: wait for them to land.
      let rows = await failures();
      const total = () => rows.reduce((n, r) => n + Number(r.count), 0);
      for (let i = 0; i < 100 && total() < BURST; i++) {
        await new Promise((r) => setTimeout(r, 50));
        rows = await failures();
      }
      assert.equal(total(), BURST);
      // One row per window; a burst may straddle one window boundary.
      assert.ok(rows.length <= 2, `${rows.length} rows for one kind of failure from one source`);
      const row = rows.at(-1)!;
      assert.equal(row.outcome, 'failure');
      assert.equal(row.source_ip, '127.0.0.1');
      assert.ok(Number(row.last_at) >= Number(row.at));

      const env = { DATABASE_URL: server.env.DATABASE_URL!, PROPUSK_ISSUER: server.issuer };
      const json = await runCli(['admin', 'audit', 'tail', '--type', 'trusted_grant', '--json'], env);
      assert.equal(json.code, 0, json.stderr);
      const events = JSON.parse(json.stdout) as { count: number; first_at: string; last_at: string; source_ip: string }[];
      assert.equal(events.reduce((n, e) => n + e.count, 0), BURST);
      assert.equal(events.at(-1)!.source_ip, '127.0.0.1');
      assert.ok(Date.parse(events.at(-1)!.last_at) >= Date.parse(events.at(-1)!.first_at));
      const human = await runCli(['admin', 'audit', 'tail', '--type', 'trusted_grant'], env);
      assert.equal(human.code, 0, human.stderr);
      assert.match(human.stdout.split('\n')[0]!, /\bcount\b/);
      assert.ok(human.stdout.split('\n').slice(1).some((l) => /\s(\d{3,4})\s/.test(l)), human.stdout);
    });

    if (postgres) {
      it('two instances on one database count in the same row', async () => {
        const other = await startTestServer({ DATABASE_URL: schema!.url, PROPUSK_ISSUER: server.issuer });
        try {
          const refused = (url: string, i: number) =>
            postForm(`${url}/connect/token`, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', client_id: `twin-${i}`, client_secret: 'wrong', assertion: 'x.y.z', scope: 'extern.api' });
          for (let i = 0; i < 400; i += 40) {
            await Promise.all(Array.from({ length: 40 }, (_, j) => refused(j % 2 ? server.url : other.url, i + j)));
          }
          const total = (rows: { count: number }[]) => rows.reduce((n, r) => n + Number(r.count), 0);
          // Counted in the rows of the earlier burst (same kind, same source), whichever instance served them.
          let rows = await failures();
          for (let i = 0; i < 100 && total(rows) < BURST + 400; i++) {
            await new Promise((r) => setTimeout(r, 50));
            rows = await failures();
          }
          assert.equal(total(rows), BURST + 400);
          assert.ok(rows.length <= 3, `${rows.length} rows`);
        } finally {
          await other.stop();
        }
      });
    }

    it('successes and signed-in failures stay one row each', async () => {
      const before = (await server.context.audit.tail({ type: 'account.password_changed', limit: 100 })).length;
      for (let i = 0; i < 3; i++) {
        await server.context.audit.record({ type: 'account.password_changed', outcome: 'failure', accountId: 'acct-1', details: { reason: 'wrong' } });
      }
      const events = await server.context.audit.tail({ type: 'account.password_changed', limit: 100 });
      assert.equal(events.length - before, 3);
      assert.ok(events.every((e) => e.count === 1));
    });

    it('the sweeper deletes rows older than PROPUSK_AUDIT_RETENTION_DAYS, in batches', async () => {
      const now = Date.now();
      const old = Array.from({ length: 2500 }, (_, i) => ({
        at: now - 31 * DAY_MS - i,
        type: 'retention.old',
        actor: null,
        client_id: null,
        account_id: null,
        outcome: 'success',
        details: '{}',
      }));
      for (let i = 0; i < old.length; i += 500) await server.context.db.insertInto('audit_event').values(old.slice(i, i + 500)).execute();
      await server.context.db
        .insertInto('audit_event')
        .values({ at: now - 29 * DAY_MS, type: 'retention.kept', actor: null, client_id: null, account_id: null, outcome: 'success', details: '{}' })
        .execute();
      // Bounded: a sweep deletes at most auditBatchSize × auditMaxBatches rows; the next sweeps take the rest.
      const first = await sweepExpired(server.context.db, now, { auditRetentionDays: server.context.config.auditRetentionDays, auditBatchSize: 1000, auditMaxBatches: 2 });
      assert.equal(first.audit, 2000);
      const second = await sweepExpired(server.context.db, now, { auditRetentionDays: server.context.config.auditRetentionDays });
      assert.equal(second.audit, 500);
      const left = await server.context.db.selectFrom('audit_event').select('type').where('type', 'in', ['retention.old', 'retention.kept']).execute();
      assert.deepEqual(left.map((r) => r.type), ['retention.kept']);
    });
  });
}

suite('SQLite', describe, false);
suite('PostgreSQL', describePostgres, true);
