/**
 * A suite of page tests in Chromium against one server with web.app: the relying party's redirect
 * target, the server (no sign-in delay), the browser and the screenshot folder, set up before the
 * suite's tests and taken down after; plus a ready authorization request and the sign-in form.
 */
import { after, before } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { authorizeUrl, pkce, setupCodeFlow, type CodeFlowSetup } from './setup.ts';
import { startRpServer, type RpServer } from './rp-server.ts';
import { launch, screenshotDir } from '../../console/browser-support.ts';

export interface BrowserSuite {
  readonly s: CodeFlowSetup;
  readonly rp: RpServer;
  readonly browser: Browser;
  readonly dir: string;
  /** An authorization request of web.app (code, PKCE) returning to the relying party. */
  signInUrl(): string;
}

export function browserSuite(): BrowserSuite {
  const state: Partial<{ s: CodeFlowSetup; rp: RpServer; browser: Browser; dir: string }> = {};
  before(async () => {
    state.rp = await startRpServer();
    state.s = await setupCodeFlow(state.rp.base, { PROPUSK_SIGN_IN_DELAY_MS: '0' });
    state.browser = await launch();
    state.dir = screenshotDir();
  });
  after(async () => {
    await state.browser?.close();
    await state.s?.server.stop();
    await state.rp?.close();
  });
  return {
    get s() {
      return state.s!;
    },
    get rp() {
      return state.rp!;
    },
    get browser() {
      return state.browser!;
    },
    get dir() {
      return state.dir!;
    },
    signInUrl: () => authorizeUrl(state.s!.issuer, { redirect_uri: `${state.rp!.base}/cb`, code_challenge: pkce().challenge, code_challenge_method: 'S256' }),
  };
}

/** Fills the sign-in form and submits it (`label`: the button's text in the page's language). */
export async function signInWith(page: Page, user: { login: string; password: string }, label = 'Sign in'): Promise<void> {
  await page.fill('#login', user.login);
  await page.fill('#password', user.password);
  await page.getByRole('button', { name: label, exact: true }).click();
}
