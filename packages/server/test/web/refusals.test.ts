/**
 * One refusal renderer for every page and JSON error: the same refusal has the same code on every
 * surface, a page in the language the person chose (the switch's cookie wins over Accept-Language,
 * on our own error pages too), and JSON with an English description for a client that prefers JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../support/server.ts';
import { t } from '../../src/views/index.ts';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(() => server?.stop());

const form = (path: string, headers: Record<string, string>) =>
  fetch(`${server.issuer}${path}`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'login=a&password=b' });

/** Form posts without a form token, on every surface that has forms of its own. */
const CSRF_POSTS = ['/account/sign-in', '/integrations/sign-in', '/integrations/sign-out', '/integrations/invitations/some-token/sign-in'];

describe('refusals', () => {
  it('a form without its token gets 403 ERR_CSRF_TOKEN_INVALID on every surface, as JSON in English when JSON is preferred', async () => {
    for (const path of CSRF_POSTS) {
      const res = await form(path, { accept: 'application/json', 'accept-language': 'ru' });
      assert.equal(res.status, 403, path);
      assert.deepEqual(await res.json(), { error: 'ERR_CSRF_TOKEN_INVALID', error_description: t('en', 'account.csrf.message') }, path);
    }
  });

  it('the same refusal as a page: same code, in the language of the switch over Accept-Language', async () => {
    for (const path of CSRF_POSTS) {
      for (const [cookie, locale] of [['', 'ru'], ['propusk.lang=en', 'en']] as const) {
        const res = await form(path, { accept: 'text/html', 'accept-language': 'ru', cookie });
        assert.equal(res.status, 403, path);
        assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
        const page = await res.text();
        assert.match(page, /ERR_CSRF_TOKEN_INVALID/, path);
        assert.ok(page.includes(t(locale, 'account.csrf.message')), `${path} in ${locale}`);
        assert.match(page, new RegExp(`<html lang="${locale}"`), `${path} in ${locale}`);
      }
    }
  });

  it('an interaction that is gone: 400 ERR_INTERACTION_EXPIRED as a page by default, JSON when preferred', async () => {
    const page = await fetch(`${server.issuer}/interaction/no-such-uid`);
    assert.equal(page.status, 400);
    assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
    assert.match(await page.text(), /ERR_INTERACTION_EXPIRED/);
    const json = await fetch(`${server.issuer}/interaction/no-such-uid`, { headers: { accept: 'application/json' } });
    assert.deepEqual(await json.json(), { error: 'ERR_INTERACTION_EXPIRED', error_description: t('en', 'interaction.expired.message') });
  });

  it("our own 404 page follows the language switch's cookie like every other page; APIs answer JSON by default", async () => {
    const en = await fetch(`${server.issuer}/no/such/page`, { headers: { accept: 'text/html', 'accept-language': 'ru', cookie: 'propusk.lang=en' } });
    assert.equal(en.status, 404);
    assert.ok((await en.text()).includes(t('en', 'error.title.404')));
    const api = await fetch(`${server.issuer}/no/such/page`);
    assert.equal(api.status, 404);
    assert.deepEqual(await api.json(), { error: 'not_found', error_description: 'the requested resource does not exist' });
  });
});
