/** A server with a device-flow client, a client without the device grant and a user; protocol and browser helpers for the device tests. */
import assert from 'node:assert/strict';
import { chromium, type Browser, type Page } from 'playwright-core';
import { basic, postForm, startTestServer, type TestServer } from '../support/server.ts';
import { createClient, createUser, resourceCredentials } from '../support/fixtures.ts';
import { t, type Locale } from '../../src/views/index.ts';

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const API_SCOPE = 'extern.api';
export const API_AUDIENCE = 'urn:propusk:api:extern.api';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface DeviceSetup {
  server: TestServer;
  issuer: string;
  /** Confidential client with the device and refresh grants ("Плагин Экстерна"). */
  device: { clientId: string; apiKey: string };
  /** Another confidential client with the device grant only. */
  other: { clientId: string; apiKey: string };
  /** A client registered for client_credentials only. */
  service: { clientId: string; apiKey: string };
  user: { login: string; password: string; id: string };
  rs: { clientId: string; secret: string };
}

export async function setupDevice(env: Record<string, string> = {}): Promise<DeviceSetup> {
  const server = await startTestServer(env);
  const ctx = server.context;
  const device = await createClient(ctx, {
    clientId: 'extern.plugin',
    name: 'Плагин Экстерна',
    grantTypes: [DEVICE_GRANT, 'refresh_token'],
    scopes: ['openid', 'profile', 'email', API_SCOPE],
  });
  const other = await createClient(ctx, { clientId: 'other.device', name: 'Other device', grantTypes: [DEVICE_GRANT], scopes: ['openid', API_SCOPE] });
  const service = await createClient(ctx, { clientId: 'service.only', grantTypes: ['client_credentials'], scopes: [API_SCOPE] });
  const { account, password } = await createUser(ctx);
  return { server, issuer: server.issuer, device, other, service, user: { login: account.login, password, id: account.id }, rs: await resourceCredentials(ctx, API_SCOPE) };
}

export interface DeviceAuthorization {
  device_code: string;
  user_code: string;
  verification_uri: string;
  verification_uri_complete: string;
  expires_in: number;
  interval: number;
}

/** POST /connect/deviceauthorization with client_secret_post (default) or Basic. */
export async function authorizeDevice(s: DeviceSetup, options: { scope?: string; client?: { clientId: string; apiKey: string }; basicAuth?: boolean; extra?: Record<string, string> } = {}) {
  const client = options.client ?? s.device;
  const form: Record<string, string> = { scope: options.scope ?? `openid ${API_SCOPE}`, ...options.extra };
  if (options.basicAuth) return postForm(`${s.issuer}/connect/deviceauthorization`, form, { authorization: basic(client.clientId, client.apiKey) });
  return postForm(`${s.issuer}/connect/deviceauthorization`, { ...form, client_id: client.clientId, client_secret: client.apiKey });
}

export async function newDeviceCode(s: DeviceSetup, scope?: string): Promise<DeviceAuthorization> {
  const res = await authorizeDevice(s, { scope });
  assert.equal(res.status, 200, res.text);
  return res.json as unknown as DeviceAuthorization;
}

/** One token request of the device grant, as the API documentation shows it (with `scope`). */
export function poll(s: DeviceSetup, deviceCode: string, options: { client?: { clientId: string; apiKey: string }; scope?: string } = {}) {
  const client = options.client ?? s.device;
  return postForm(`${s.issuer}/connect/token`, {
    grant_type: DEVICE_GRANT,
    client_id: client.clientId,
    client_secret: client.apiKey,
    device_code: deviceCode,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
  });
}

export function introspect(s: DeviceSetup, token: string) {
  return postForm(`${s.issuer}/connect/introspect`, { token }, { authorization: basic(s.rs.clientId, s.rs.secret) });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export const mainText = (page: Page) => page.locator('main').innerText();

/**
 * In a fresh browser context: opens `url` (a verification_uri_complete), confirms the code, signs
 * in and answers the consent page with `decision`. Returns the final page's main text.
 */
export async function approveInBrowser(
  browser: Browser,
  url: string,
  user: { login: string; password: string },
  options: { decision?: 'allow' | 'deny'; locale?: Locale; expectCode?: string } = {},
): Promise<{ text: string; page: Page; close(): Promise<void> }> {
  const locale = options.locale ?? 'ru';
  const context = await browser.newContext({ locale: locale === 'ru' ? 'ru-RU' : 'en-US' });
  const page = await context.newPage();
  await page.goto(url);
  if (options.expectCode) assert.equal(await page.locator('.user-code__value').innerText(), options.expectCode);
  await page.getByRole('button', { name: t(locale, 'device.confirm.continue') }).click();
  await page.waitForSelector('input[name="password"]');
  await page.fill('input[name="login"]', user.login);
  await page.fill('input[name="password"]', user.password);
  await page.getByRole('button', { name: t(locale, 'login.submit') }).click();
  await page.waitForSelector('button[name="decision"]');
  await page.click(`button[name="decision"][value="${options.decision ?? 'allow'}"]`);
  // The result page is rendered where sign-in returns to: /device/<interaction uid>.
  await page.waitForURL((u) => /^\/device\/[^/]+$/.test(u.pathname) && u.pathname !== '/device/qr.svg');
  await page.waitForSelector('main h1');
  return { text: await mainText(page), page, close: () => context.close() };
}
