/**
 * The console in headless Chromium (playwright-core with the system's /usr/bin/chromium, never a
 * downloaded browser): signing in through Propusk's own page, and `capture`, which shows one console
 * page in Russian and English at 1280 and 390 px, checks that nothing scrolls sideways at 390 px and
 * that axe-core finds no serious or critical violation, and writes a screenshot of each.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Person } from './support.ts';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const launch = (): Promise<Browser> => chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Where the screenshots go: test-output/screenshots/pages/ at the repository root (kept with the test output; printed once). */
export function screenshotDir(): string {
  const dir = resolve(import.meta.dirname, '../../../../test-output/screenshots/pages');
  mkdirSync(dir, { recursive: true });
  console.log(`page screenshots: ${dir}`);
  return dir;
}

/** Signs `person` in from the console's landing page (or lands directly when the provider session is alive). */
export async function signInInBrowser(page: Page, issuer: string, person: Person, path = '/console'): Promise<void> {
  await page.goto(`${issuer}${path}`);
  const signInLink = page.locator('a[href="/console/sign-in"]');
  if (await signInLink.count()) await signInLink.click();
  if (await page.locator('#password').count()) {
    await page.fill('#login', person.login);
    await page.fill('#password', person.password);
    await page.locator('form[action*="/login"] button[type="submit"]').click();
  }
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.startsWith('/console/callback'));
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
}

/** The serious and critical axe-core violations of the page. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) does not apply.
  await page.evaluate(axeSource);
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

export const WIDTHS = [1280, 390] as const;

/**
 * Shows the current page (same URL, `lang` set) in English and Russian at each width: no sideways
 * scrolling at 390 px, no serious or critical axe violation, a screenshot `<name>-<lang>-<width>.png`.
 * Ends on the Russian page at 1280 px.
 */
export async function capture(page: Page, dir: string, name: string, options: { status?: number } = {}): Promise<void> {
  const url = new URL(page.url());
  for (const lang of ['en', 'ru'] as const) {
    url.searchParams.set('lang', lang);
    for (const width of [...WIDTHS].reverse()) {
      await page.setViewportSize({ width, height: 900 });
      const res = await page.goto(url.href);
      assert.equal(res?.status(), options.status ?? 200, `${name} ${lang}: ${url.href}`);
      assert.equal(await page.locator('html').getAttribute('lang'), lang);
      if (width === 390) {
        const { scrollWidth, innerWidth } = (await page.evaluate('({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })')) as { scrollWidth: number; innerWidth: number };
        assert.ok(scrollWidth <= innerWidth, `${name} ${lang} at 390 px scrolls sideways: ${scrollWidth} > ${innerWidth}`);
      }
      assert.deepEqual(await axeViolations(page), [], `${name} ${lang} ${width} px`);
      await page.screenshot({ path: join(dir, `${name}-${lang}-${width}.png`), fullPage: true });
    }
  }
}
