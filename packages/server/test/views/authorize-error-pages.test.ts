/**
 * The error pages a person sees when an application sends them to sign in with an unknown client
 * id or a redirect URI (or post-logout redirect URI) it has not registered: one plain sentence in their language, a way back,
 * and a collapsible details block with the client id and the rejected URI (escaped) for developers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { authorizeUrl, setupCodeFlow, type CodeFlowSetup } from '../codeflow/support/setup.ts';

const LIBRARY_TEXT = /did not match|client is invalid|client not found|registered redirect_uris|redirect_uri not registered/i;

async function errorHtml(url: string, acceptLanguage: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { headers: { accept: 'text/html', 'accept-language': acceptLanguage }, redirect: 'manual' });
  return { status: res.status, text: await res.text() };
}

function detailsBlock(text: string): string {
  const m = /<details[\s>][\s\S]*?<\/details>/.exec(text);
  assert.ok(m, 'the page has a <details> block');
  return m[0];
}

describe('authorization error pages', () => {
  let s: CodeFlowSetup;
  before(async () => {
    s = await setupCodeFlow();
  });
  after(() => s.server.stop());

  const badUri = 'https://evil.example/cb?x=<b>"&y=1';
  const endSession = (params: Record<string, string>) => `${s.issuer}/connect/endsession?${new URLSearchParams(params).toString()}`;
  const cases = [
    { name: 'a redirect_uri the client has not registered', url: () => authorizeUrl(s.issuer, { redirect_uri: badUri }), clientId: 'web.app', uri: badUri, code: 'invalid_redirect_uri' },
    { name: 'an unknown client', url: () => authorizeUrl(s.issuer, { client_id: 'no.such<app>' }), clientId: 'no.such<app>', uri: 'http://127.0.0.1:9/cb', code: 'invalid_client' },
    { name: 'a post_logout_redirect_uri the client has not registered', url: () => endSession({ client_id: 'web.app', post_logout_redirect_uri: badUri }), clientId: 'web.app', uri: badUri, code: 'invalid_request' },
    { name: 'sign-out for an unknown client', url: () => endSession({ client_id: 'no.such<app>', post_logout_redirect_uri: badUri }), clientId: 'no.such<app>', uri: badUri, code: 'invalid_client' },
  ];
  const locales = [
    { lang: 'ru', sentence: /[А-Яа-яЁё]{4,}/, way: 'Вернуться на главную' },
    { lang: 'en', sentence: /application/i, way: 'Back to the home page' },
  ];

  for (const c of cases) {
    for (const l of locales) {
      it(`${c.name}: a ${l.lang} page with a plain sentence, a way back and the details`, async () => {
        const { status, text } = await errorHtml(c.url(), l.lang);
        assert.equal(status, 400);
        assert.match(text, new RegExp(`<html[^>]*lang="${l.lang}"`));
        const details = detailsBlock(text);
        const outside = text.replace(details, '');
        assert.doesNotMatch(text, LIBRARY_TEXT, 'no raw library text on the page');
        const lead = /<p class="card__lead">([\s\S]*?)<\/p>/.exec(outside)?.[1] ?? '';
        assert.match(lead, l.sentence, 'the lead is a plain sentence in the person’s language');
        if (l.lang === 'ru') assert.doesNotMatch(lead, /[A-Za-z]{4,}/, 'no English words in the Russian sentence');
        assert.ok(outside.includes(l.way), 'a way back');
        assert.match(outside, /<a [^>]*href="\/account"/);
        const esc = (v: string) => v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
        assert.ok(details.includes(esc(c.clientId)), `details name the client id: ${details}`);
        assert.ok(details.includes(esc(c.uri)), `details name the redirect URI: ${details}`);
        assert.ok(details.includes(c.code), 'details carry the error code');
        assert.ok(!text.includes('<b>"'), 'values are escaped');
      });
    }
  }
});
