/**
 * The compiled start path (scripts/build.ts): `npm start` and the bench run dist/main.js, an
 * esbuild bundle that carries the pure-JavaScript dependencies. Built here (when stale) from the
 * current sources and started as `node dist/main.js`, it must do what the sources do: start with demo data
 * (pino logging), issue and introspect a token (oidc-provider, kysely on node:sqlite), sign a user
 * in on /account (argon2id, the external native addon, and the page routers loaded on first use),
 * and the CLI bundle must run an admin command.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildIfStale, freshBundle } from '../../scripts/build.ts';
import { basic, postForm, runCli, spawnServe, type ServeProcess } from '../support/server.ts';
import { FormsAgent } from '../codeflow/support/forms-agent.ts';

describe('the server bundle (dist/)', () => {
  let dir: string;
  let server: ServeProcess | undefined;
  let issuer: string;
  /** What the server wrote so far (standard output and error). */
  const output = (): string => server?.output() ?? '';
  let env: Record<string, string>;

  const demo = (label: RegExp): string => {
    const m = label.exec(output());
    assert.ok(m?.[1], `${label} in the demo banner:\n${output()}`);
    return m[1];
  };

  before(async () => {
    // Built only when stale: a rebuild swaps dist/ under servers other tests may run from it.
    assert.notEqual(await buildIfStale(), 'failed');
    dir = mkdtempSync(join(tmpdir(), 'propusk-bundle-'));
    const main = freshBundle('main');
    assert.ok(main, 'dist/main.js is fresh after the build');
    // A database per try: a server started again on another port finds an empty one, as the first did.
    const envFor = (port: number) => ({ DATABASE_URL: `sqlite:${join(dir, `p-${port}.sqlite`)}`, PORT: String(port), PROPUSK_HOST: '127.0.0.1', PROPUSK_ISSUER: `http://127.0.0.1:${port}`, PROPUSK_DEMO: '1', PROPUSK_LOG_LEVEL: 'info' });
    server = await spawnServe((port) => ({ ...process.env, ...envFor(port) }), { args: [main], ready: /"msg":"Propusk is listening"/, timeoutMs: 20_000 });
    env = envFor(server.port);
    issuer = env.PROPUSK_ISSUER!;
  });

  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('both entry points are fresh after a build', () => {
    assert.match(freshBundle('main') ?? '', /dist\/main\.js$/);
    assert.match(freshBundle('cli') ?? '', /dist\/cli\.js$/);
  });

  it('holds non-ASCII characters only where they are not comments (Node keeps such a file as a two-byte string)', () => {
    const chunks = join(dirname(freshBundle('main')!), 'chunks');
    const files = readdirSync(chunks).filter((f) => f.endsWith('.js'));
    assert.ok(files.length > 0, `no chunks in ${chunks}`);
    for (const name of files) {
      const lines = readFileSync(join(chunks, name), 'utf8').split('\n');
      const nonAscii = lines.filter((l) => /[\u0080-\uffff]/.test(l));
      // scripts/build.ts spells comments in ASCII unless the file has non-ASCII outside comments too.
      if (nonAscii.length > 0) assert.ok(nonAscii.some((l) => !/^\s*(\/\/|\/\*|\*)/.test(l)), `${name}: non-ASCII comment lines left: ${nonAscii.slice(0, 2).join(' | ')}`);
    }
  });

  it('logs through pino and serves discovery', async () => {
    assert.match(output(), /"msg":"Propusk is listening"/);
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { issuer: string }).issuer, issuer);
  });

  it('issues a client-credentials token and introspects it', async () => {
    const key = demo(/Demo client:\s+demo\.app\s+api-key:\s+(\S+)/);
    const token = await postForm(`${issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'demo.app', client_secret: key, scope: 'extern.api' });
    assert.equal(token.status, 200, token.text);
    const rsKey = demo(/client_id:\s+rs\.extern\.api\s+api-key:\s+(\S+)/);
    const info = await postForm(`${issuer}/connect/introspect`, { token: String(token.json.access_token) }, { authorization: basic('rs.extern.api', rsKey) });
    assert.equal(info.status, 200, info.text);
    assert.equal(info.json.active, true);
  });

  it('signs the demo user in on /account (argon2id) and refuses a wrong password', async () => {
    const login = demo(/Demo user:\s+(\S+)/);
    const password = demo(/password:\s+(\S+)/);
    const wrong = new FormsAgent(issuer);
    const refused = await wrong.submit(await wrong.follow('/account'), '/account/sign-in', { login, password: `${password}x` });
    assert.match(refused.html, /name="password"/, 'still the sign-in form');
    const agent = new FormsAgent(issuer);
    const page = await agent.submit(await agent.follow('/account'), '/account/sign-in', { login, password });
    assert.doesNotMatch(page.html, /name="password"/, 'signed in');
    assert.match(page.html, new RegExp(login.replace(/[.]/g, '\\.')));
  });

  it('runs an admin command from the CLI bundle', async () => {
    const res = await runCli(['admin', 'client', 'list'], env);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /demo\.app/);
  });
});
