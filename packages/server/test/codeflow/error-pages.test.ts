/**
 * The pages for an unknown client and an unregistered redirect_uri speak the person's language:
 * one plain sentence and a way on, and no English library text outside a collapsed block that
 * gives the application's developers the error, the client id and the rejected URI (escaped).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setupCodeFlow, type CodeFlowSetup } from './support/setup.ts';
import { t } from '../../src/views/index.ts';

let s: CodeFlowSetup;
before(async () => {
  s = await setupCodeFlow();
});
after(() => s?.server.stop());

async function page(params: Record<string, string>, language: string) {
  const url = new URL('/connect/authorize', s.issuer);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { headers: { 'accept-language': language, accept: 'text/html' }, redirect: 'manual' });
  const html = await res.text();
  const details = /<details[^>]*>([\s\S]*?)<\/details>/.exec(html)?.[1] ?? '';
  return { status: res.status, html, details, outside: html.replace(/<details[\s\S]*?<\/details>/, '') };
}

const EVIL = 'https://evil.example/cb?x="><script>alert(1)</script>';

describe('error pages of the authorization endpoint', () => {
  it('an unknown client: Russian sentence and a way on; developer details with the client id', async () => {
    const p = await page({ client_id: 'nobody<b>', response_type: 'code', scope: 'openid', redirect_uri: 'https://x.example/cb' }, 'ru');
    assert.equal(p.status, 400);
    assert.ok(p.html.includes(t('ru', 'error.oauth.invalid_client.message')));
    assert.match(p.html, /<html lang="ru"/);
    assert.match(p.outside, /href="\/account"/);
    assert.doesNotMatch(p.outside, /client is invalid|not found|invalid_client_id|error_description/i, 'no library text outside the details');
    assert.match(p.details, /nobody&lt;b&gt;/, 'the client id, escaped');
    assert.match(p.details, /invalid_client/);
  });

  it('an unregistered redirect_uri: the same in English; the rejected URI is escaped', async () => {
    const p = await page({ client_id: s.web.clientId, response_type: 'code', scope: 'openid', redirect_uri: EVIL }, 'en');
    assert.equal(p.status, 400);
    assert.ok(p.html.includes(t('en', 'error.oauth.invalid_redirect_uri.message')));
    assert.ok(p.details.includes('https://evil.example/cb?x=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;'), p.details);
    assert.doesNotMatch(p.html, /<script>alert/);
    assert.match(p.details, /redirect_uri did not match|invalid_redirect_uri/);
    const ru = await page({ client_id: s.web.clientId, response_type: 'code', scope: 'openid', redirect_uri: EVIL }, 'ru');
    assert.ok(ru.html.includes(t('ru', 'error.oauth.invalid_redirect_uri.title')));
    assert.doesNotMatch(ru.outside, /redirect_uri did not match|did not match one of the client/i);
  });
});
