// Helpers shared by the end-to-end tests: passing the provider's device-verification pages as a
// browser would.
import assert from 'node:assert/strict';
import type { FormsAgent, Page } from '../../../packages/server/test/codeflow/support/forms-agent.ts';

/**
 * Submits the device-verification pages (code entry and/or confirmation) the
 * way a browser would: every field of the `/device` form that has a value, the
 * user code if the page asks for it, and the first named submit button. Stops
 * when the provider leaves `/device` (for the login page).
 */
export async function passDevicePages(agent: FormsAgent, page: Page, userCode: string): Promise<Page> {
  for (let step = 0; step < 3 && new URL(page.url).pathname === '/device'; step++) {
    const form = /<form[^>]*action="([^"]*\/device[^"]*)"[^>]*>([\s\S]*?)<\/form>/.exec(page.html);
    assert.ok(form, `a /device form in:\n${page.html.slice(0, 1500)}`);
    const fields: Record<string, string> = {};
    for (const input of form[2]!.matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      if (name === undefined) continue;
      const value = /value="([^"]*)"/.exec(input[0])?.[1];
      if (value !== undefined) fields[name] = value;
      else if (/user[-_]code/.test(name)) fields[name] = userCode;
    }
    // The first named submit button is the one that goes on ("confirm"), the others abort.
    const button = /<button[^>]*type="submit"[^>]*name="([^"]*)"[^>]*value="([^"]*)"/.exec(form[2]!);
    if (button !== null) fields[button[1]!] = button[2]!;
    page = await agent.follow(new URL(form[1]!.replace(/&amp;/g, '&'), page.url).href, { form: fields });
  }
  return page;
}
