/** Tests of the integrator-portal pages: structure, accessibility basics, CSRF in every form, locale, escaping of every caller-supplied value. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  integrationClientPage,
  integrationInvitationCreatedPage,
  integrationInvitationPage,
  integrationKeyIssuedPage,
  integrationKeyRevokePage,
  integrationRedirectUrisPage,
  integrationsListPage,
  locales,
  t,
  type Locale,
} from '../../src/views/index.ts';
import { assertCsrfInEveryForm, assertWellFormedPage, attr, startTags } from './html-checks.ts';

type Render = (locale: Locale, s: string) => string;

const when = new Date(Date.UTC(2026, 2, 12, 14, 5));
const chrome = (locale: Locale, s: string) => ({ locale, account: s, csrfToken: s, switchLocaleHref: s });
const client = (s: string) => ({ clientId: s, name: s, grantTypes: ['authorization_code', s], redirectUris: [s, 'https://a.example/cb'], scopes: ['openid', s], permissions: ['trusted', s], public: false, disabled: false });
const invitation = (locale: Locale, s: string) => ({
  locale, csrfToken: s, switchLocaleHref: s, clientName: s, clientId: s, email: s, expiresAt: when,
  acceptAction: s, signInAction: s, switchAccountAction: s, minPasswordLength: 10,
});

const PAGES: Record<string, Render> = {
  list: (locale, s) => integrationsListPage({ ...chrome(locale, s), clients: [{ clientId: s, name: s, grantTypes: [s], redirectUris: [s], href: s }, { clientId: 'b', name: 'B', grantTypes: [], redirectUris: [], href: '/b' }] }),
  listEmpty: (locale, s) => integrationsListPage({ ...chrome(locale, s), clients: [] }),
  client: (locale, s) =>
    integrationClientPage({
      ...chrome(locale, s),
      client: client(s),
      allPermissions: ['trusted', 'link-by-phone'],
      keys: [{ id: s, label: s, createdAt: when, lastUsedAt: null, revokeHref: s }, { id: 'k2', label: null, createdAt: when, lastUsedAt: when, revokeHref: '/r' }],
      owners: [s, 'b@example.com'],
      issueKeyAction: s,
      inviteAction: s,
      redirectUrisHref: s,
      backHref: s,
      done: 'revoked',
    }),
  clientPublicNoKeys: (locale, s) =>
    integrationClientPage({ ...chrome(locale, s), client: { ...client(s), public: true, disabled: true }, allPermissions: ['trusted'], keys: [], owners: [], issueKeyAction: s, inviteAction: s, backHref: s }),
  keyIssued: (locale, s) => integrationKeyIssuedPage({ ...chrome(locale, s), clientId: s, clientName: s, apiKey: s, apiKeyId: s, label: s, backHref: s }),
  keyRevoke: (locale, s) => integrationKeyRevokePage({ ...chrome(locale, s), clientName: s, key: { id: s, label: s, createdAt: when, lastUsedAt: when }, action: s, cancelHref: s }),
  redirectUris: (locale, s) => integrationRedirectUrisPage({ ...chrome(locale, s), clientName: s, value: s, error: s, action: s, cancelHref: s }),
  invitationCreated: (locale, s) => integrationInvitationCreatedPage({ ...chrome(locale, s), clientName: s, url: s, email: s, expiresAt: when, backHref: s }),
  invitationSignIn: (locale, s) => integrationInvitationPage({ ...invitation(locale, s), signUpAction: s, signInError: 'invalid_credentials', login: s, signUpError: 'exists', signUpEmail: s }),
  invitationSignedIn: (locale, s) => integrationInvitationPage({ ...invitation(locale, s), account: s, accountMatches: true }),
  invitationWrongAccount: (locale, s) => integrationInvitationPage({ ...invitation(locale, s), account: s, accountMatches: false }),
};

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onfocus='alert(1)' x='", '`-alert(1)-`', '</textarea></title><svg onload=alert(1)>', 'javascript:alert(1)'];

describe('integrator portal pages', () => {
  for (const [name, render] of Object.entries(PAGES)) {
    for (const locale of locales) {
      it(`${name} (${locale}) is a well-formed, accessible page`, () => {
        const doc = render(locale, '/safe/value');
        assertWellFormedPage(doc, locale);
        assertCsrfInEveryForm(doc, '/safe/value');
      });
      it(`${name} (${locale}) escapes every caller-supplied value`, () => {
        for (const payload of PAYLOADS) {
          const doc = render(locale, payload);
          assertWellFormedPage(doc, locale);
          assert.ok(!doc.includes('<script>alert'), 'raw <script> payload');
          assert.ok(!/<img|<svg onload|<\/textarea><\/title>|<\/title><svg/i.test(doc), 'raw tag payload');
          assert.ok(!doc.includes("' onfocus='") && !doc.includes('" onerror'), 'attribute breakout');
          assert.ok(!doc.includes('`'), 'raw backtick');
          for (const a of doc.matchAll(/\s(?:href|action|src)="([^"]*)"/g)) assert.ok(!/^\s*javascript:/i.test(a[1] ?? ''), 'javascript: URL');
        }
      });
    }
  }

  it('the key page shows the key once with a copy button, a warning and the script', () => {
    const doc = integrationKeyIssuedPage({ locale: 'en', account: 'a@b.c', csrfToken: 't', clientId: 'app', clientName: 'App', apiKey: 'KEY-1', apiKeyId: 'id-1', label: null, backHref: '/integrations/clients/app' });
    assert.equal(doc.split('KEY-1').length, 2, 'the key appears exactly once');
    assert.match(doc, /<code id="api-key"[^>]*>KEY-1<\/code>/);
    assert.match(doc, /<button[^>]*hidden[^>]*data-copy-target="api-key"/);
    assert.match(doc, /<script src="\/assets\/propusk.js" defer><\/script>/);
    assert.ok(doc.includes(t('en', 'integrations.keyIssued.warningTitle')));
  });

  it('the application page never has a field for the key, and lists keys by id and label', () => {
    const doc = PAGES.client!('ru', 'x');
    assert.equal(startTags(doc, 'input').filter((a) => /api.?key|secret/i.test(attr(a, 'name') ?? '')).length, 0);
    assert.ok(doc.includes(t('ru', 'integrations.key.neverUsed')));
    assert.ok(doc.includes(t('ru', 'integrations.done.revoked')));
  });

  it('the invitation page offers sign-up only with a sign-up action, and accept only to the matching account', () => {
    const base = invitation('en', 'x');
    assert.doesNotMatch(integrationInvitationPage(base), /signup-email/);
    assert.match(integrationInvitationPage({ ...base, signUpAction: '/s' }), /id="signup-email"/);
    assert.match(integrationInvitationPage({ ...base, account: 'a', accountMatches: true }), />Accept invitation<\/button>/);
    assert.doesNotMatch(integrationInvitationPage({ ...base, account: 'a', accountMatches: false }), /Accept invitation<\/button>/);
  });
});
