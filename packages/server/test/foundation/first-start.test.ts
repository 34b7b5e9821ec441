/**
 * The first start as a developer sees it: `propusk serve` as a child process on an empty database
 * prints "Listening on <address>" and the demo banner; the banner's authorization URL, opened in
 * Chromium, signs the demo user in and lands on Propusk's own /demo/callback page (ru and en),
 * whose printed curl command exchanges the code for tokens; the banner's commands for new secrets
 * work. Without the demo client the page does not exist.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createClient } from '../support/fixtures.ts';
import { postForm, runCli, spawnServe, startTestServer, type ServeProcess } from '../support/server.ts';
import { t, type Locale } from '../../src/views/index.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let dir: string;
let server: ServeProcess | undefined;
/** What the server wrote so far (standard output and error). */
const output = (): string => server?.output() ?? '';
let issuer: string;
let env: Record<string, string>;
let browser: Browser;

/** The value a banner line gives after `label`. */
function banner(label: RegExp): string {
  const m = label.exec(output());
  assert.ok(m?.[1], `${label} in the banner:\n${output()}`);
  return m[1];
}

const sh = (command: string, extraEnv: Record<string, string>): Promise<string> =>
  new Promise((resolve, reject) => execFile('sh', ['-c', command], { env: { ...process.env, ...extraEnv } }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))));

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'propusk-first-start-'));
  // A database per try: a server started again on another port finds an empty one, as the first did.
  const envFor = (port: number) => ({ DATABASE_URL: `sqlite:${join(dir, `p-${port}.sqlite`)}`, PORT: String(port), PROPUSK_ISSUER: `http://127.0.0.1:${port}`, PROPUSK_DEMO: '1', PROPUSK_LOG_LEVEL: 'info' });
  const base = { ...process.env };
  delete base.NODE_ENV;
  delete base.HOST;
  delete base.PROPUSK_HOST;
  server = await spawnServe((port) => ({ ...base, ...envFor(port) }));
  env = envFor(server.port);
  issuer = env.PROPUSK_ISSUER!;
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Opens the banner's authorization URL in a fresh context, signs the demo user in and allows. Ends on the callback page. */
async function signInThroughBanner(locale: Locale, decision: 'allow' | 'deny' = 'allow'): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await browser.newContext({ locale: locale === 'ru' ? 'ru-RU' : 'en-US' });
  const page = await context.newPage();
  await page.goto(banner(/open this in a browser on this machine[^\n]*\n[^\n]*\n\s+(\S+)\n/));
  await page.fill('input[name="login"]', banner(/Demo user:\s+(\S+)/));
  await page.fill('input[name="password"]', banner(/password:\s+(\S+)/));
  await page.getByRole('button', { name: t(locale, 'login.submit') }).click();
  await page.waitForSelector('button[name="decision"]');
  await page.click(`button[name="decision"][value="${decision}"]`);
  await page.waitForURL((u) => u.pathname === '/demo/callback');
  return { page, close: () => context.close() };
}

describe('the first start', () => {
  it('prints "Listening on" with the bound address and port, besides the JSON log line', async () => {
    const lines = output().split('\n');
    assert.ok(lines.includes(`Listening on http://127.0.0.1:${env.PORT}`), output());
    const deadline = Date.now() + 5_000;
    while (!output().includes('"msg":"Propusk is listening"')) {
      assert.ok(Date.now() < deadline, output());
      await sleep(50);
    }
  });

  it('a refusal on the consent page shows the error on the callback page (first: an allowed consent is remembered)', async () => {
    const { page, close } = await signInThroughBanner('ru', 'deny');
    try {
      assert.equal(await page.locator('h1').innerText(), t('ru', 'demo.callback.error.title'));
      assert.match(await page.locator('main').innerText(), /access_denied/);
      assert.equal(await page.locator('#token-command').count(), 0);
    } finally {
      await close();
    }
  });

  it('the banner URL signs the demo user in and lands on the callback page; its curl exchanges the code for tokens', async () => {
    const url = new URL(banner(/open this in a browser on this machine[^\n]*\n[^\n]*\n\s+(\S+)\n/));
    assert.equal(url.origin + url.pathname, `${issuer}/connect/authorize`);
    assert.equal(url.searchParams.get('redirect_uri'), `${issuer}/demo/callback`);
    const { page, close } = await signInThroughBanner('en');
    try {
      const landed = new URL(page.url());
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
      assert.equal(await page.locator('h1').innerText(), t('en', 'demo.callback.code.title'));
      const main = await page.locator('main').innerText();
      assert.ok(main.includes(landed.searchParams.get('code')!), 'the page shows the code');
      assert.ok(main.includes(url.searchParams.get('state')!), 'and the state of the banner URL');

      // The same page in Russian through the language switch, the code still shown.
      await page.click('a.lang-switch');
      await page.waitForFunction('document.documentElement.lang === "ru"');
      assert.equal(await page.locator('h1').innerText(), t('ru', 'demo.callback.code.title'));
      assert.ok((await page.locator('main').innerText()).includes(landed.searchParams.get('code')!));

      const command = await page.locator('#token-command').innerText();
      assert.match(command, /^curl /);
      assert.match(command, /client_id=demo\.app/);
      assert.ok(command.includes(`redirect_uri=${issuer}/demo/callback`), command);
      assert.ok(command.includes('"$API_KEY"'), 'a placeholder for the api-key, not the key');
      const answer = JSON.parse(await sh(command, { API_KEY: banner(/Demo client:\s+demo\.app\s+api-key:\s+(\S+)/) })) as Record<string, unknown>;
      assert.equal(typeof answer.access_token, 'string', JSON.stringify(answer));
      assert.equal(typeof answer.id_token, 'string');
      assert.equal(answer.token_type, 'Bearer');

      // It fits a phone screen: the long command wraps instead of scrolling sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      assert.ok(await page.evaluate('document.documentElement.scrollWidth <= 390'), 'no sideways scrolling at 390 px');
      if (process.env.DEMO_SHOT) await page.screenshot({ path: process.env.DEMO_SHOT, fullPage: true });
    } finally {
      await close();
    }
  });

  it('the page is rendered like the others: escaped values, no-store, the pages\' CSP, no inline script, 400 without a code', async () => {
    const hostile = `<script>alert(1)</script>'"`;
    const res = await fetch(`${issuer}/demo/callback?code=${encodeURIComponent(hostile)}&state=s1`, { headers: { 'accept-language': 'en' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const other = await fetch(`${issuer}/device`);
    assert.equal(res.headers.get('content-security-policy'), other.headers.get('content-security-policy'));
    const body = await res.text();
    assert.ok(!body.includes('<script>alert'), 'the code is escaped');
    assert.ok(body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.doesNotMatch(body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
    // In the curl command the code is one shell word, whatever it holds.
    assert.ok(body.includes(`code=&#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;\\&#39;&#39;&quot;&#39;`), body);

    const error = await fetch(`${issuer}/demo/callback?error=invalid_scope&error_description=${encodeURIComponent('<b>nope</b>')}`, { headers: { 'accept-language': 'en' } });
    assert.equal(error.status, 200);
    const errorBody = await error.text();
    assert.ok(errorBody.includes('invalid_scope') && errorBody.includes('&lt;b&gt;nope&lt;/b&gt;'));

    const empty = await fetch(`${issuer}/demo/callback`, { headers: { 'accept-language': 'en' } });
    assert.equal(empty.status, 400);
    assert.ok((await empty.text()).includes(t('en', 'demo.callback.empty.title')));
  });

  it('the banner names the commands that issue new demo secrets, and they work', async () => {
    const commands = [...output().matchAll(/^\s+npx propusk (admin [^#\n]+?)\s*#/gm)].map((m) => m[1]!.split(/\s+/));
    const login = banner(/Demo user:\s+(\S+)/);
    assert.deepEqual(commands, [
      ['admin', 'client', 'issue-key', 'demo.app'],
      ['admin', 'client', 'issue-key', 'rs.extern.api'],
      ['admin', 'user', 'set-password', login, '--password-stdin'],
    ]);
    const key = await runCli(commands[0]!, { DATABASE_URL: env.DATABASE_URL! });
    assert.equal(key.code, 0, key.stderr);
    const fresh = /api-key \(shown once[^)]*\):\s+(\S+)/.exec(key.stdout)?.[1];
    assert.ok(fresh, key.stdout);
    const token = await postForm(`${issuer}/connect/token`, { grant_type: 'client_credentials', client_id: 'demo.app', client_secret: fresh, scope: 'extern.api' });
    assert.equal(token.status, 200, token.text);
    const password = await runCli(commands[2]!, { DATABASE_URL: env.DATABASE_URL! }, 'a-brand-new-demo-password\n');
    assert.equal(password.code, 0, password.stderr);
  });
});

describe('/demo/callback without the demo client', () => {
  it('is 404 when there is no demo client, or when a demo.app client does not return there', async () => {
    const server = await startTestServer();
    try {
      const url = `${server.issuer}/demo/callback?code=abc&state=x`;
      assert.equal((await fetch(url)).status, 404);
      await createClient(server.context, { clientId: 'demo.app', grantTypes: ['authorization_code'], redirectUris: ['http://localhost:8080/callback'], scopes: ['openid'] });
      assert.equal((await fetch(url)).status, 404);
    } finally {
      await server.stop();
    }
  });
});
