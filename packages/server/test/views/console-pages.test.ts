/**
 * Tests of the console's pages: structure, accessibility basics, the form token in every POST form
 * (search and filter forms are GETs that change nothing), locale, and escaping of every value that
 * comes from storage or the request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  confirmPage,
  consoleApisPage,
  consoleAuditPage,
  consoleClientPage,
  consoleClientsPage,
  consoleLandingPage,
  consoleLinksPage,
  consoleNoRolePage,
  consoleRedirectUrisPage,
  consoleRefusalPage,
  consoleSigningKeysPage,
  consoleUserPage,
  consoleUsersPage,
  locales,
  secretPage,
  type ConsoleChrome,
  type Locale,
} from '../../src/views/index.ts';
import { assertBalanced, assertButtonsHaveText, assertLabelledInputs, assertNoInlineCode, assertUniqueIds, attr, startTags } from './html-checks.ts';

type Render = (locale: Locale, s: string) => string;

const at = '2026-03-12T14:05:00.000Z';
const chrome = (locale: Locale, s: string): ConsoleChrome => ({
  locale,
  operator: s,
  roles: ['admin'],
  csrfToken: s,
  signOutAction: '/console/sign-out',
  nav: [
    { section: 'users', href: s },
    { section: 'audit', href: '/console/audit' },
  ],
  current: 'users',
  switchLocaleHref: s,
});
const problem = (s: string) => ({ status: 400, slug: 'invalid-request', detail: s, invalidParams: [{ name: s, reason: s }] });
const client = (s: string) => ({
  client_id: s, name: s, kind: 'client', grant_types: ['authorization_code', s], redirect_uris: [s], post_logout_redirect_uris: [s], scopes: [s],
  public: false, application_type: 'web', permissions: ['trusted'], disabled: false, roles: [s], created_at: at, updated_at: at,
});
const user = (s: string) => ({ id: s, login: s, email: s, email_verified: true, phone: s, given_name: s, family_name: s, middle_name: s, disabled: false, created_at: at });
const event = (s: string) => ({ at, type: s, actor: s, client_id: s, account_id: s, outcome: 'failure', details: { [s]: s, n: 1 }, source_ip: s, count: 2 });
const link = (s: string) => ({ client_id: s, service_user_id: s, account_id: s, login: s, created_at: at, unlinkHref: s, userHref: s });

const PAGES: Record<string, Render> = {
  landing: (locale, s) => consoleLandingPage({ locale, signInHref: s, switchLocaleHref: s }),
  noRole: (locale, s) => consoleNoRolePage({ ...chrome(locale, s), nav: [] }),
  refusal: (locale, s) => consoleRefusalPage({ ...chrome(locale, s), title: s, message: s, homeHref: s }),
  confirm: (locale, s) => confirmPage({ ...chrome(locale, s), title: s, lead: s, details: [[s, s]], warning: s, action: s, confirmLabel: s, cancelHref: s }),
  secret: (locale, s) => secretPage({ ...chrome(locale, s), title: s, lead: s, secretLabel: s, secret: s, details: [[s, s]], backHref: s }),
  signingKeys: (locale, s) =>
    consoleSigningKeysPage({ ...chrome(locale, s), keys: [{ kid: s, alg: s, signing: true, created_at: at, retired_at: null }, { kid: 'k2', alg: 'RS256', signing: false, created_at: at, retired_at: at }], next: s, first: s, rotateHref: s, rotated: s }),
  clients: (locale, s) => consoleClientsPage({ ...chrome(locale, s), clients: [{ ...client(s), href: s }], next: s, first: s }),
  clientsEmpty: (locale, s) => consoleClientsPage({ ...chrome(locale, s), clients: [] }),
  client: (locale, s) =>
    consoleClientPage({
      ...chrome(locale, s),
      client: client(s),
      keys: [{ api_key_id: s, label: s, created_at: at, last_used_at: at, revoked_at: null, revokeHref: s }, { api_key_id: 'k2', label: null, created_at: at, last_used_at: null, revoked_at: at }],
      partnerKeys: [{ key_id: s, kid: s, source: s, not_after: at, created_at: at, removeHref: s }],
      allPermissions: ['trusted', 'link-by-phone'],
      actions: { disableHref: s, revokeTokensHref: s, permissionsAction: s, requireMfaAction: s, redirectUrisHref: s, issueKeyAction: s, inviteAction: s, addPartnerKeyAction: s },
      done: 'console.clients.done.enabled',
      problem: problem(s),
      backHref: s,
    }),
  clientReadOnly: (locale, s) => consoleClientPage({ ...chrome(locale, s), client: { ...client(s), public: true, disabled: true, require_mfa: true }, keys: [], partnerKeys: [], allPermissions: ['trusted'], actions: {}, backHref: s }),
  redirectUris: (locale, s) => consoleRedirectUrisPage({ ...chrome(locale, s), client: client(s), redirectUris: s, postLogoutUris: s, action: s, cancelHref: s, problem: problem(s) }),
  apis: (locale, s) =>
    consoleApisPage({
      ...chrome(locale, s),
      apis: [{ scope: s, indicator: s, name: s, access_token_format: s, access_token_signing_alg: s, access_token_ttl: 60, introspection_client_id: s, created_at: at }],
      next: s,
      createAction: s,
      signingAlgs: ['RS256', s],
      values: { scope: s, name: s, indicator: s, access_token_format: 'jwt', access_token_signing_alg: s, access_token_ttl: s },
      problem: problem(s),
    }),
  users: (locale, s) => consoleUsersPage({ ...chrome(locale, s), users: [{ ...user(s), href: s }], query: s, action: s, next: s, first: s }),
  usersEmpty: (locale, s) => consoleUsersPage({ ...chrome(locale, s), users: [], query: '', action: '/console/users' }),
  user: (locale, s) =>
    consoleUserPage({
      ...chrome(locale, s),
      user: { ...user(s), factors: { totp: true, passkeys: 2, recovery_codes: 10 } },
      applications: [{ client_id: s, client_name: s, scopes: [s], granted_at: at }],
      links: [link(s)],
      events: [event(s)],
      actions: { enableAction: s, disableHref: s, revokeTokensHref: s, resetMfaHref: s, passwordLinkAction: s, linkHref: s, auditHref: s },
      done: 'console.users.done.enabled',
      problem: problem(s),
      backHref: s,
    }),
  links: (locale, s) =>
    consoleLinksPage({
      ...chrome(locale, s),
      links: [link(s)],
      filters: { client_id: s, service_user_id: s, user: s },
      action: s,
      next: s,
      partners: [{ client_id: s, name: s }],
      linkAction: s,
      values: { client_id: s, service_user_id: s, user: s },
      done: 'console.links.done.linked',
      problem: problem(s),
    }),
  audit: (locale, s) => consoleAuditPage({ ...chrome(locale, s), events: [event(s)], filters: { type: s, actor: s, since: s }, action: s, next: s, first: s, exportHref: s, problem: problem(s) }),
};

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "' onfocus='alert(1)' x='", '`-alert(1)-`', '</textarea></title><svg onload=alert(1)>', 'javascript:alert(1)'];

/** Every POST form carries one form token; the other forms are GETs. */
function assertTokenInPostForms(doc: string, token: string): void {
  for (const [, attrs = '', body = ''] of doc.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)) {
    const method = attr(attrs, 'method');
    assert.ok(method === 'post' || method === 'get', `form method ${method}`);
    const csrf = startTags(body, 'input').filter((a) => attr(a, 'type') === 'hidden' && attr(a, 'name') === 'csrf');
    if (method === 'post') {
      assert.equal(csrf.length, 1, 'one csrf field per POST form');
      assert.equal(attr(csrf[0]!, 'value'), token);
    } else {
      assert.equal(csrf.length, 0, 'no form token in a GET form (it would land in the URL)');
    }
  }
}

function assertWellFormed(doc: string, locale: Locale): void {
  assert.ok(doc.startsWith(`<!doctype html>\n<html lang="${locale}">`));
  assert.equal(startTags(doc, 'h1').length, 1, 'exactly one h1');
  assertBalanced(doc);
  assertNoInlineCode(doc);
  assertLabelledInputs(doc);
  assertUniqueIds(doc);
  assertButtonsHaveText(doc);
}

describe('console pages', () => {
  for (const [name, render] of Object.entries(PAGES)) {
    for (const locale of locales) {
      it(`${name} (${locale}) is a well-formed page with a form token in every POST form`, () => {
        const doc = render(locale, '/safe/value');
        assertWellFormed(doc, locale);
        assertTokenInPostForms(doc, '/safe/value');
        assert.doesNotMatch(doc, /\{[a-zA-Z]+\}/, 'no placeholder left');
      });

      it(`${name} (${locale}) escapes every value`, () => {
        for (const payload of PAYLOADS) {
          const doc = render(locale, payload);
          assertWellFormed(doc, locale);
          assert.ok(!doc.includes('<script>alert'), 'raw <script> payload');
          assert.ok(!/<img|<svg onload|<\/title><svg/i.test(doc), 'raw tag payload');
          assert.equal((doc.match(/<\/textarea>/g) ?? []).length, startTags(doc, 'textarea').length, 'no textarea closed by a value');
          assert.ok(!doc.includes("' onfocus='") && !doc.includes('" onerror'), 'attribute breakout');
          assert.ok(!doc.includes('`'), 'raw backtick');
          for (const a of doc.matchAll(/\s(?:href|action|src)="([^"]*)"/g)) assert.ok(!/^\s*javascript:/i.test(a[1] ?? ''), 'javascript: URL');
        }
      });
    }
  }

  it('the navigation marks the current section and lists only what it is given', () => {
    const doc = consoleUsersPage({ ...chrome('en', '/x'), users: [], query: '', action: '/console/users' });
    const nav = /<nav class="console-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(doc)![1]!;
    assert.equal((nav.match(/<a /g) ?? []).length, 2);
    assert.match(nav, /href="\/x" class="console-nav__link" aria-current="page">Users</);
    assert.doesNotMatch(consoleNoRolePage({ ...chrome('en', '/x'), nav: [] }), /console-nav/);
  });
});
