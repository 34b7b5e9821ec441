/**
 * Native apps finish signing in, in a real browser: a public client with a private-use scheme
 * (`com.example.app:/cb`) or a loopback redirect (`http://[::1]:port/cb`, `http://127.0.0.1:port/cb`,
 * `http://localhost:port/cb`) is handed the redirect with `code`, `state` and `iss` after Allow,
 * `error=access_denied` after Deny, and its post_logout_redirect_uri after signing out. Chromium
 * checks the pages' Content-Security-Policy `form-action` on every redirect after a form post; a
 * policy that names no such target blocks the app's redirect.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { setupCodeFlow, newUser, pkce, type CodeFlowSetup } from './support/setup.ts';
import { createClient } from '../support/fixtures.ts';

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCHEME = 'com.example.app';

/** A loopback listener on 127.0.0.1 and [::1] (one port): the native app's redirect target. */
async function loopbackApp(): Promise<{ port: number; hits: URL[]; close(): Promise<void> }> {
  const hits: URL[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    hits.push(new URL(req.url ?? '/', 'http://app'));
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>app</title><p>signed in</p>');
  };
  const v4: Server = createServer(handler);
  await new Promise<void>((r) => v4.listen(0, '127.0.0.1', r));
  const port = (v4.address() as AddressInfo).port;
  const v6: Server = createServer(handler);
  await new Promise<void>((r, j) => v6.once('error', j).listen(port, '::1', r));
  const close = (server: Server) => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  return { port, hits, close: async () => { await close(v4); await close(v6); } };
}

let s: CodeFlowSetup;
let browser: Browser;
let app: Awaited<ReturnType<typeof loopbackApp>>;
const redirects: Record<string, string> = {};

before(async () => {
  app = await loopbackApp();
  s = await setupCodeFlow();
  redirects.scheme = `${SCHEME}:/cb`;
  redirects.ipv6 = `http://[::1]:${app.port}/cb`;
  redirects.ipv4 = `http://127.0.0.1:${app.port}/cb`;
  redirects.localhost = `http://localhost:${app.port}/cb`;
  await createClient(s.server.context, {
    clientId: 'native.app',
    name: 'Native app',
    public: true,
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: Object.values(redirects),
    postLogoutRedirectUris: [`${SCHEME}:/signed-out`, `http://[::1]:${app.port}/signed-out`],
    scopes: ['openid', 'profile', 'extern.api'],
  });
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await s?.server.stop();
  await app?.close();
});

/**
 * Runs `act` and returns the URL the browser was sent to under `target`: a loopback request the
 * app received, or a private-use-scheme URL Chromium tried to hand to the operating system (its
 * console says it has no handler for it). Undefined when nothing arrived (blocked).
 */
async function handedTo(page: Page, target: string, act: () => Promise<void>): Promise<URL | undefined> {
  const seen: string[] = [];
  const blocked: string[] = [];
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy/i.test(text)) blocked.push(text);
    const found = text.match(new RegExp(`'(${SCHEME}:[^']+)'`));
    if (found) seen.push(found[1]!);
  });
  page.on('request', (r) => {
    if (r.url().startsWith(target)) seen.push(r.url());
  });
  const before = app.hits.length;
  await act();
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (target.startsWith('http')) {
      const hit = app.hits.slice(before).find((h) => target.endsWith(h.pathname));
      if (hit && seen.length > 0) return new URL(seen[0]!);
    } else if (seen.length > 0) return new URL(seen[0]!);
    if (blocked.length > 0) assert.fail(`blocked by the page's CSP: ${blocked[0]}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}

async function signIn(page: Page, user: { login: string; password: string }, redirectUri: string, state: string): Promise<void> {
  const { challenge } = pkce();
  const url = new URL('/connect/authorize', s.issuer);
  for (const [k, v] of Object.entries({ response_type: 'code', client_id: 'native.app', scope: 'openid profile extern.api', redirect_uri: redirectUri, state, code_challenge: challenge, code_challenge_method: 'S256', ui_locales: 'en' })) url.searchParams.set(k, v);
  await page.goto(url.href);
  await page.fill('input[name=login]', user.login);
  await page.fill('input[name=password]', user.password);
  await Promise.all([page.waitForURL(/\/interaction\//), page.click('form[action*="/login"] button[type=submit]')]);
  await page.waitForSelector('input[name=decision], button[name=decision]');
}

describe('native apps in Chromium', () => {
  for (const kind of ['scheme', 'ipv6', 'ipv4', 'localhost'] as const) {
    it(`Allow hands ${kind} redirect the code, state and iss`, async () => {
      const user = await newUser(s);
      const page = await browser.newPage();
      try {
        const state = `st-${kind}`;
        await signIn(page, user, redirects[kind]!, state);
        const got = await handedTo(page, redirects[kind]!, () => page.click('button[name=decision][value=allow]'));
        assert.ok(got, `the browser was handed ${redirects[kind]}`);
        assert.ok(got.searchParams.get('code'), `code in ${got.href}`);
        assert.equal(got.searchParams.get('state'), state);
        assert.equal(got.searchParams.get('iss'), s.issuer);
      } finally {
        await page.close();
      }
    });
  }

  for (const kind of ['scheme', 'ipv6'] as const) {
    it(`Deny hands ${kind} redirect error=access_denied`, async () => {
      const user = await newUser(s);
      const page = await browser.newPage();
      try {
        await signIn(page, user, redirects[kind]!, 'st-deny');
        const got = await handedTo(page, redirects[kind]!, () => page.click('button[name=decision][value=deny]'));
        assert.ok(got, 'the browser was handed the redirect');
        assert.equal(got.searchParams.get('error'), 'access_denied');
        assert.equal(got.searchParams.get('state'), 'st-deny');
      } finally {
        await page.close();
      }
    });
  }

  it('signing out hands the post_logout_redirect_uri (a private-use scheme) its state', async () => {
    const user = await newUser(s);
    const page = await browser.newPage();
    try {
      await signIn(page, user, redirects.ipv4!, 'st-logout');
      await handedTo(page, redirects.ipv4!, () => page.click('button[name=decision][value=allow]'));
      const url = new URL('/connect/endsession', s.issuer);
      url.searchParams.set('client_id', 'native.app');
      url.searchParams.set('post_logout_redirect_uri', `${SCHEME}:/signed-out`);
      url.searchParams.set('state', 'bye');
      url.searchParams.set('ui_locales', 'en');
      await page.goto(url.href);
      const submit = page.locator('form button[type=submit]').first();
      const got = await handedTo(page, `${SCHEME}:/signed-out`, () => submit.click());
      assert.ok(got, 'the browser was handed the post-logout redirect');
      assert.equal(got.searchParams.get('state'), 'bye');
    } finally {
      await page.close();
    }
  });
});
