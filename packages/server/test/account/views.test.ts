/** The account page views: well-formed and accessible in both languages, CSRF in every form, every caller-supplied value escaped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accountPage, locales, loginPage, t, type AccountPageParams, type Locale, type PasswordChangeError } from '../../src/views/index.ts';
import { assertCsrfInEveryForm, assertWellFormedPage, attr, startTags } from '../views/html-checks.ts';

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onfocus='alert(1)' x='", '</textarea></title><svg onload=alert(1)>', 'javascript:alert(1)'];

function render(locale: Locale, s: string, overrides: Partial<AccountPageParams> = {}): string {
  return accountPage({
    locale,
    csrfToken: s,
    accountLabel: s,
    applications: [
      { clientName: s, scopes: [{ name: 'openid' }, { name: s, description: s }], grantedAt: new Date('2025-05-01T10:00:00Z'), lastUsedAt: null, revokeHref: s },
      { clientName: 'Бухгалтерия', scopes: [{ name: 'extern.api' }], grantedAt: null, lastUsedAt: new Date('2025-05-02T08:30:00Z'), revokeHref: '/account/applications/g2/revoke' },
    ],
    password: { action: s, minLength: 10, maxLength: 256 },
    signOut: { everywhereHref: s, signOutAction: s },
    switchLocaleHref: s,
    ...overrides,
  });
}

describe('account page view', () => {
  for (const locale of locales) {
    it(`(${locale}) is a well-formed page with the token in every form`, () => {
      const doc = render(locale, '/safe/value');
      assertWellFormedPage(doc, locale);
      assertCsrfInEveryForm(doc, '/safe/value');
      assert.equal(startTags(doc, 'form').length, 2, 'password, sign out on this device: revoking and signing out everywhere are confirmed on a page of their own');
      assert.equal(startTags(doc, 'a').filter((a) => attr(a, 'href') === '/account/applications/g2/revoke').length, 1, 'each row links its confirmation');
      assert.ok(startTags(doc, 'form').every((a) => attr(a, 'method') === 'post'));
      assert.ok(doc.includes(t(locale, 'account.apps.heading')));
      assert.match(doc, /<time datetime="2025-05-01T10:00:00.000Z">/);
      assert.ok(doc.includes(t(locale, 'account.apps.unknown')), 'an unknown last use is said so');
      const passwords = startTags(doc, 'input').filter((a) => attr(a, 'type') === 'password');
      assert.deepEqual(passwords.map((a) => attr(a, 'autocomplete')), ['current-password', 'new-password', 'new-password']);
    });

    it(`(${locale}) escapes every caller-supplied value`, () => {
      for (const payload of PAYLOADS) {
        const doc = render(locale, payload);
        assertWellFormedPage(doc, locale);
        assert.ok(!doc.includes('<script>alert'));
        assert.ok(!/<img|<svg onload|<\/textarea>|<\/title><svg/i.test(doc));
        assert.ok(!doc.includes("' onfocus='") && !doc.includes('" onerror'));
        for (const a of doc.matchAll(/\s(?:href|action|src)="([^"]*)"/g)) assert.ok(!/^\s*javascript:/i.test(a[1] ?? ''));
      }
    });

    it(`(${locale}) shows an empty state, the notices, and each password error once`, () => {
      assert.ok(render(locale, '/x', { applications: [] }).includes(t(locale, 'account.apps.empty')));
      assert.ok(render(locale, '/x', { notice: 'revoked' }).includes(t(locale, 'account.done.revoked')));
      assert.ok(render(locale, '/x', { notice: 'password_changed' }).includes(t(locale, 'account.done.password_changed')));
      for (const error of ['required', 'incorrect', 'mismatch', 'rules', 'unchanged'] satisfies PasswordChangeError[]) {
        const doc = render(locale, '/x', { password: { action: '/p', minLength: 10, maxLength: 256, error } });
        assertWellFormedPage(doc, locale);
        assert.equal((doc.match(/role="alert"/g) ?? []).length, 1, error);
        assert.ok(doc.includes(t(locale, `account.password.error.${error}`, { min: 10, max: 256 })), error);
      }
    });

    it(`(${locale}) the sign-in page takes the account lead and a confirmation`, () => {
      const doc = loginPage({ locale, action: '/account/sign-in', csrfToken: 'c', clientName: 'x', lead: t(locale, 'account.signIn.lead'), message: { kind: 'success', text: t(locale, 'account.done.signed_out_everywhere') } });
      assertWellFormedPage(doc, locale);
      assert.ok(doc.includes(t(locale, 'account.signIn.lead')));
      assert.match(doc, /notice--success/);
    });
  }
});
