/**
 * Faults of a two-instance cluster (support.ts): an instance killed with SIGKILL in the middle of a
 * flow, PostgreSQL connections terminated or refused (503 fast, recovery without a restart), and a
 * burst of token requests through those faults in which no token acknowledged with 200 is lost.
 * The instances reach PostgreSQL through a TcpProxy so the database can be made to go away.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, it } from 'node:test';
import { FormsAgent } from '../codeflow/support/forms-agent.ts';
import { API_SCOPE } from '../codeflow/support/setup.ts';
import { basic } from '../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../support/fixtures.ts';
import { terminateBackends } from '../storage/support.ts';
import { t } from '../../src/views/index.ts';
import { Cluster, STEER, describeCluster, eventually, formFields, on, servedBy, sleep } from './support.ts';

const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const A = 0;
const B = 1;

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
}

describeCluster('a cluster under faults', () => {
  let c: Cluster;
  let device: { clientId: string; apiKey: string };
  let user: { login: string; password: string; id: string };
  let rs: { clientId: string; secret: string };

  before(async () => {
    c = await Cluster.start({ databaseProxy: true, env: { PROPUSK_DEVICE_POLL_INTERVAL: '1' } });
    device = await createClient(c.admin, { clientId: 'extern.plugin', grantTypes: [DEVICE_GRANT], scopes: ['openid', API_SCOPE] });
    const { account, password } = await createUser(c.admin);
    user = { login: account.login, password, id: account.id };
    rs = await resourceCredentials(c.admin, API_SCOPE);
  });

  after(() => c?.stop());

  // A test that failed half-way must not leave the next one with a dead instance or database.
  beforeEach(async () => {
    await c.dbProxy!.restore();
    await c.ensureUp();
  });

  const introspect = async (i: number | undefined, token: string) => (await c.post(i, '/connect/introspect', { token }, { authorization: basic(rs.clientId, rs.secret) })).json;
  const ready = async (i: number) => (await c.fetch(i, '/readyz')).status;
  const serviceClient = () => createClient(c.admin, { clientId: `svc-${randomBytes(3).toString('hex')}` });
  const ccToken = (i: number | undefined, client: { clientId: string; apiKey: string }) =>
    c.post(i, '/connect/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.apiKey, scope: API_SCOPE });

  it('kill -9 of the instance in the middle of a device flow: the other finishes it', async () => {
    const auth = await c.post(A, '/connect/deviceauthorization', { client_id: device.clientId, client_secret: device.apiKey, scope: `openid ${API_SCOPE}` });
    assert.equal(auth.status, 200, auth.text);
    const { device_code: deviceCode, verification_uri_complete: link } = auth.json as { device_code: string; verification_uri_complete: string };
    const poll = (i: number) => c.post(i, '/connect/token', { grant_type: DEVICE_GRANT, device_code: deviceCode, client_id: device.clientId, client_secret: device.apiKey });
    assert.equal((await poll(A)).json.error, 'authorization_pending');

    // On A: the code confirmed and the user signed in; the consent page is showing.
    const agent = new FormsAgent(c.issuer, { ...on(A), 'accept-language': 'en' });
    const confirm = await agent.follow(link);
    const { action, fields } = formFields(confirm.html, '/device');
    const login = await agent.follow(new URL(action, confirm.url).href, { form: { ...fields, confirm: 'yes' } });
    const consent = await agent.submit(login, '/login', { login: user.login, password: user.password });
    servedBy(consent, A);
    assert.match(consent.html, /name="decision"/);

    const killed = c.instances[A]!;
    await killed.kill9();
    assert.equal((await c.fetch(A, '/healthz')).status, 502, 'A is gone');

    // The browser and the device carry on against B (where the load balancer now sends everything).
    agent.headers[STEER] = String(B);
    const done = await agent.submit(consent, '/consent', { decision: 'allow' });
    assert.equal(done.status, 200, done.html);
    servedBy(done, B);
    assert.match(done.html, new RegExp(t('en', 'device.done.success.title')));
    await sleep(1000);
    const tokens = await poll(B);
    assert.equal(tokens.status, 200, tokens.text);
    const active = await introspect(B, String(tokens.json.access_token));
    assert.equal(active.active, true);
    assert.equal(active.sub, user.id);
    assert.equal((await poll(B)).json.error, 'invalid_grant', 'the device code is spent');
  });

  it('PostgreSQL terminating every backend: never a 500, both instances serve again within seconds, without a restart', async () => {
    const client = await serviceClient();
    const pids = c.instances.map((i) => i.pid);
    for (const i of [A, B]) assert.equal((await ccToken(i, client)).status, 200);
    assert.ok((await terminateBackends(c.schema.schema)) >= 2, 'the pools and change feeds of both instances were connected');
    for (const i of [A, B]) {
      const seen: { status: number; ms: number }[] = [];
      const { afterMs } = await eventually(`instance ${i} issues tokens again`, 3000, async () => {
        const { value, ms } = await timed(() => ccToken(i, client));
        seen.push({ status: value.status, ms });
        return value.status === 200 ? true : undefined;
      });
      assert.ok(afterMs < 3000);
      for (const s of seen) {
        assert.ok(s.status === 200 || s.status === 503, `instance ${i}: ${JSON.stringify(seen)}`);
        assert.ok(s.ms < 1000, `instance ${i} answered within a second: ${JSON.stringify(seen)}`);
      }
      assert.equal(await ready(i), 200);
    }
    assert.deepEqual(
      c.instances.map((i) => i.pid),
      pids,
      'no instance restarted',
    );
  });

  it('PostgreSQL unreachable: 503 fast on both (JSON and HTML); back without a restart, and a key revoked meanwhile is refused by both', async () => {
    const client = await serviceClient();
    const pids = c.instances.map((i) => i.pid);
    for (const i of [A, B]) assert.equal((await ccToken(i, client)).status, 200);

    await c.dbProxy!.refuse();
    for (const i of [A, B]) {
      await ccToken(i, client); // may meet a pooled connection that was just cut
      const json = await timed(() => ccToken(i, client));
      assert.equal(json.value.status, 503, json.value.text);
      assert.equal(json.value.json.error, 'temporarily_unavailable');
      assert.equal(json.value.headers.get('retry-after'), '1');
      assert.ok(json.ms < 1000, `instance ${i}: token took ${json.ms} ms`);
      const readyz = await timed(() => c.fetch(i, '/readyz'));
      assert.equal(readyz.value.status, 503);
      assert.ok(readyz.ms < 1000, `instance ${i}: /readyz took ${readyz.ms} ms`);
      // An unknown client: no cache can answer for it, the instance must ask the database.
      const html = await c.fetch(i, `/connect/authorize?client_id=unknown-${randomBytes(3).toString('hex')}&response_type=code&scope=openid&redirect_uri=http://127.0.0.1:9/cb`, {
        headers: { accept: 'text/html' },
      });
      assert.equal(html.status, 503);
      assert.match(html.headers.get('content-type') ?? '', /text\/html/);
    }
    // Revoked by an operator while the instances cannot hear (the CLI reaches the database directly).
    const cli = await c.cli(['client', 'revoke-key', client.clientId, client.apiKeyId]);
    assert.equal(cli.code, 0, cli.stderr);

    await c.dbProxy!.restore();
    for (const i of [A, B]) {
      await eventually(`instance ${i} ready again`, 5000, async () => ((await ready(i)) === 200 ? true : undefined));
      // The change feed reconnects and catches up with what it missed: the revoked key stops working.
      const { value: res } = await eventually(`instance ${i} refuses the key revoked during the outage`, 5000, async () => {
        const r = await ccToken(i, client);
        return r.status === 401 ? r : undefined;
      });
      assert.equal(res.json.error, 'invalid_client');
    }
    const fresh = await serviceClient();
    for (const i of [A, B]) assert.equal((await ccToken(i, fresh)).status, 200);
    assert.deepEqual(
      c.instances.map((i) => i.pid),
      pids,
      'no instance restarted',
    );
  });

  it('no token acknowledged to a client is lost: a burst across both instances while backends are terminated and the database drops out', async () => {
    const clients = await Promise.all(Array.from({ length: 4 }, () => serviceClient()));
    const TOTAL = 240;
    const CONCURRENCY = 12;
    const results: { status: number; token?: string; text: string }[] = [];
    let sent = 0;
    const worker = async () => {
      while (sent < TOTAL) {
        const n = sent++;
        const res = await ccToken(undefined, clients[n % clients.length]!);
        results.push({ status: res.status, token: res.json.access_token as string | undefined, text: res.text });
      }
    };
    const faults = (async () => {
      const terminated: number[] = [];
      for (let round = 0; round < 3; round++) {
        await sleep(150);
        terminated.push(await terminateBackends(c.schema.schema));
        await sleep(150);
        await c.dbProxy!.refuse(); // every connection cut mid-whatever, new ones refused …
        await sleep(100);
        await c.dbProxy!.restore(); // … and back
      }
      return terminated;
    })();
    const [terminated] = await Promise.all([faults, ...Array.from({ length: CONCURRENCY }, worker)]);
    const statuses = Object.groupBy(results, (r) => String(r.status));
    const summary = Object.entries(statuses).map(([s, rs]) => `${s}×${rs!.length}`).join(' ');
    // The faults met requests in flight (otherwise this test would prove nothing).
    assert.ok(terminated.some((n) => n >= 1), `backends terminated: ${terminated.join(',')}`);
    assert.ok((statuses['503'] ?? []).length >= 1, `some requests met the faults: ${summary}`);
    for (const r of results) assert.ok(r.status === 200 || r.status === 503, `only 200 or 503: ${summary}; e.g. ${r.status} ${r.text}`);
    const issued = (statuses['200'] ?? []).map((r) => r.token);
    assert.ok(issued.length >= TOTAL / 4, `enough tokens issued to mean something: ${summary}`);
    assert.ok(c.lb.log.some((s) => s.instance === A) && c.lb.log.some((s) => s.instance === B));

    for (const i of [A, B]) await eventually(`instance ${i} ready`, 5000, async () => ((await ready(i)) === 200 ? true : undefined));
    const inactive: string[] = [];
    for (let k = 0; k < issued.length; k += 16) {
      const batch = issued.slice(k, k + 16);
      const answers = await Promise.all(batch.map((token) => introspect(undefined, String(token))));
      answers.forEach((a, j) => {
        if (a.active !== true) inactive.push(`${batch[j]} → ${JSON.stringify(a)}`);
      });
    }
    assert.deepEqual(inactive, [], `${inactive.length} of ${issued.length} acknowledged tokens are lost (${summary})`);
  });
});
