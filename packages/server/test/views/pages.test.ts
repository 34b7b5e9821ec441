/** Tests of every page: structure, accessibility basics, CSRF fields, locale, and escaping of every caller-supplied parameter. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  consentPage,
  demoCallbackPage,
  deviceConfirmPage,
  deviceDonePage,
  deviceEntryPage,
  errorPage,
  locales,
  loginPage,
  logoutConfirmPage,
  signedOutPage,
  passwordLinkPage,
  passwordLinkDonePage,
  t,
  type Locale,
} from '../../src/views/index.ts';
import { assertCsrfInEveryForm, assertWellFormedPage, attr, startTags } from './html-checks.ts';

/** Renders one page with `s` in every caller-supplied string parameter. */
type Render = (locale: Locale, s: string) => string;

const scopes = (s: string) => [{ name: 'openid' }, { name: 'extern.api' }, { name: s, description: s }, { name: s }];

const PAGES: Record<string, Render> = {
  login: (locale, s) =>
    loginPage({ locale, action: s, csrfToken: s, clientName: s, loginHint: s, error: 'invalid_credentials', switchLocaleHref: s, cancelAction: s }),
  loginPlain: (locale, s) => loginPage({ locale, action: '/i/1/login', csrfToken: s, clientName: s }),
  consent: (locale, s) =>
    consentPage({ locale, action: s, csrfToken: s, clientName: s, scopes: scopes(s), claims: ['email', s], switchLocaleHref: s, accountLabel: s }),
  error: (locale, s) => errorPage({ locale, status: 400, title: s, message: s, code: s, requestId: s, homeHref: s }),
  errorMinimal: (locale, s) => errorPage({ locale, message: s }),
  signedOut: (locale) => signedOutPage({ locale }),
  logoutConfirm: (locale, s) =>
    logoutConfirmPage({ locale, action: s, csrfToken: s, clientName: s, hiddenFields: { xsrf: s, [s]: s }, switchLocaleHref: s }),
  deviceEntry: (locale, s) => deviceEntryPage({ locale, action: s, csrfToken: s, userCode: s, error: 'invalid', switchLocaleHref: s }),
  deviceConfirm: (locale, s) =>
    deviceConfirmPage({ locale, action: s, csrfToken: s, clientName: s, userCode: s, switchLocaleHref: s }),
  deviceDoneSuccess: (locale) => deviceDonePage({ locale, outcome: 'success' }),
  deviceDoneDenied: (locale) => deviceDonePage({ locale, outcome: 'denied' }),
  deviceDoneExpired: (locale) => deviceDonePage({ locale, outcome: 'expired' }),
  passwordLink: (locale, s) => passwordLinkPage({ locale, login: s, action: s, csrfToken: s, minLength: 10, maxLength: 256, error: 'mismatch', switchLocaleHref: s }),
  passwordLinkPlain: (locale, s) => passwordLinkPage({ locale, login: s, action: '/account/set-password/x', csrfToken: s, minLength: 10, maxLength: 256 }),
  passwordLinkDone: (locale, s) => passwordLinkDonePage({ locale, accountHref: s }),
  demoCallbackCode: (locale, s) =>
    demoCallbackPage({ locale, result: { kind: 'code', code: s, state: s }, tokenEndpoint: s, clientId: s, redirectUri: s, switchLocaleHref: s }),
  demoCallbackError: (locale, s) =>
    demoCallbackPage({ locale, result: { kind: 'error', error: s, description: s, state: s }, tokenEndpoint: s, clientId: s, redirectUri: s, switchLocaleHref: s }),
  demoCallbackEmpty: (locale, s) => demoCallbackPage({ locale, result: { kind: 'empty' }, tokenEndpoint: s, clientId: s, redirectUri: s }),
};

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onfocus='alert(1)' x='",
  '`-alert(1)-`',
  '</textarea></title><svg onload=alert(1)>',
  'javascript:alert(1)',
];

describe('every page', () => {
  for (const [name, render] of Object.entries(PAGES)) {
    for (const locale of locales) {
      it(`${name} (${locale}) is a well-formed, accessible page`, () => {
        const doc = render(locale, '/safe/value');
        assertWellFormedPage(doc, locale);
        assertCsrfInEveryForm(doc, '/safe/value');
        assert.doesNotMatch(doc, /style=/);
        assert.doesNotMatch(doc, /<script[^>]*>[^<]/);
      });

      it(`${name} (${locale}) escapes every caller-supplied value`, () => {
        for (const payload of PAYLOADS) {
          const doc = render(locale, payload);
          assertWellFormedPage(doc, locale);
          assert.ok(!doc.includes('<script>alert'), 'raw <script> payload');
          assert.ok(!/<img|<svg onload|<\/textarea>|<\/title><svg/i.test(doc), 'raw tag payload');
          assert.ok(!doc.includes("' onfocus='") && !doc.includes('" onerror'), 'attribute breakout');
          assert.ok(!doc.includes('`'), 'raw backtick');
          for (const a of doc.matchAll(/\s(?:href|action|src)="([^"]*)"/g)) {
            assert.ok(!/^\s*javascript:/i.test(a[1] ?? ''), 'javascript: URL in an attribute');
          }
        }
      });
    }
  }
});

describe('layout', () => {
  it('uses the locale for lang and product name, and shows the switch link only when given', () => {
    const ru = loginPage({ locale: 'ru', action: '/a', csrfToken: 'c', clientName: 'App', switchLocaleHref: '?ui_locales=en' });
    assert.match(ru, /<title>Вход — Пропуск<\/title>/);
    assert.match(ru, /<a class="lang-switch" href="\?ui_locales=en" hreflang="en" lang="en"[^>]*>.*English<\/a>/);
    const en = loginPage({ locale: 'en', action: '/a', csrfToken: 'c', clientName: 'App', switchLocaleHref: '?ui_locales=ru' });
    assert.match(en, /<title>Sign in — Propusk<\/title>/);
    assert.match(en, /hreflang="ru" lang="ru"[^>]*>.*Русский<\/a>/);
    assert.doesNotMatch(signedOutPage({ locale: 'ru' }), /lang-switch/);
  });
  it('includes the enhancement script only where a copy button or a show-password toggle is used', () => {
    assert.doesNotMatch(signedOutPage({ locale: 'ru' }), /<script/);
    const login = loginPage({ locale: 'ru', action: '/a', csrfToken: 'c', clientName: 'App' });
    assert.match(login, /<script src="\/assets\/propusk.js" defer><\/script>/);
    assert.match(login, /<button type="button" class="field__reveal" hidden aria-controls="password" aria-pressed="false" data-reveal-target="password"/);
    const doc = errorPage({ locale: 'ru', message: 'm', requestId: 'req-1' });
    assert.match(doc, /<script src="\/assets\/propusk.js" defer><\/script>/);
    assert.match(doc, /<button[^>]*hidden[^>]*data-copy-target="request-id"/);
    assert.match(doc, /<code id="request-id">req-1<\/code>/);
  });
});

describe('loginPage', () => {
  const base = { locale: 'ru' as const, action: '/interaction/x/login', csrfToken: 'tok', clientName: 'Бухгалтерия' };
  it('has login and password fields with autocomplete and a Войти submit', () => {
    const doc = loginPage(base);
    const inputs = startTags(doc, 'input');
    const login = inputs.find((a) => attr(a, 'name') === 'login') ?? '';
    const password = inputs.find((a) => attr(a, 'name') === 'password') ?? '';
    assert.equal(attr(login, 'autocomplete'), 'username');
    assert.equal(attr(login, 'autofocus'), '');
    assert.equal(attr(password, 'autocomplete'), 'current-password');
    assert.equal(attr(password, 'type'), 'password');
    assert.match(doc, /<button type="submit" class="button button--primary">Войти<\/button>/);
    assert.match(doc, /<form class="form" method="post" action="\/interaction\/x\/login">/);
    assert.doesNotMatch(doc, /role="alert"/);
  });
  it('focuses the password when the login is prefilled', () => {
    const doc = loginPage({ ...base, loginHint: 'ivanov' });
    const login = startTags(doc, 'input').find((a) => attr(a, 'name') === 'login') ?? '';
    assert.equal(attr(login, 'value'), 'ivanov');
    assert.equal(attr(login, 'autofocus'), undefined);
    assert.equal(startTags(doc, 'input').find((a) => attr(a, 'name') === 'password')?.includes('autofocus'), true);
  });
  it('announces a generic error that does not say whether the account exists', () => {
    for (const locale of locales) {
      const doc = loginPage({ ...base, locale, error: 'invalid_credentials' });
      assert.match(doc, /<div class="notice notice--error" role="alert" id="login-error">/);
      assert.ok(doc.includes(t(locale, 'login.error.invalid_credentials')));
      assert.doesNotMatch(t(locale, 'login.error.invalid_credentials'), /не найден|not found|не существует|does not exist|unknown/i);
      assert.match(doc, /aria-invalid="true" aria-describedby="login-hint login-error"/);
    }
    assert.ok(loginPage({ ...base, error: 'locked', retryAfterSeconds: 900 }).includes('Попробуйте снова через 15 минут.'));
    assert.ok(loginPage({ ...base, locale: 'en', error: 'locked', retryAfterSeconds: 900 }).includes('Try again in 15 minutes.'));
    assert.doesNotMatch(loginPage({ ...base, error: 'locked', retryAfterSeconds: 900 }), /несколько минут|\{wait\}/);
    assert.ok(loginPage({ ...base, error: 'required' }).includes(t('ru', 'login.error.required')));
  });
  it('renders a separate cancel form with its own CSRF field only when cancelAction is given', () => {
    assert.equal(startTags(loginPage(base), 'form').length, 1);
    const doc = loginPage({ ...base, cancelAction: '/interaction/x/abort' });
    assert.equal(startTags(doc, 'form').length, 2);
    assert.match(doc, /action="\/interaction\/x\/abort">\n<input type="hidden" name="csrf" value="tok">/);
    assert.match(doc, />Отмена<\/button>/);
    assertCsrfInEveryForm(doc, 'tok');
  });
  it('shows the client name escaped', () => {
    const doc = loginPage({ ...base, clientName: '<script>alert(1)</script>' });
    assert.ok(doc.includes('<strong class="client-name">&lt;script&gt;alert(1)&lt;/script&gt;</strong>'));
  });
});

describe('consentPage', () => {
  const base = {
    locale: 'ru' as const,
    action: '/interaction/x/confirm',
    csrfToken: 'tok',
    clientName: 'App',
    accountLabel: 'ivanov@example.ru',
    scopes: [
      { name: 'openid' },
      { name: 'profile' },
      { name: 'email' },
      { name: 'phone' },
      { name: 'offline_access' },
      { name: 'extern.api', description: 'ignored: built-in wins' },
      { name: 'extern.test-tools' },
      { name: 'reports.read', description: 'Чтение отчётов' },
      { name: 'bare.scope' },
    ],
  };
  it('describes built-in scopes, then falls back to the given description, then to the name', () => {
    const doc = consentPage(base);
    for (const key of ['scope.openid', 'scope.profile', 'scope.email', 'scope.phone', 'scope.offline_access', 'scope.extern.api', 'scope.extern.test-tools'] as const) {
      assert.ok(doc.includes(t('ru', key)), key);
    }
    assert.ok(doc.includes('Доступ к API Экстерна'));
    assert.ok(!doc.includes('ignored: built-in wins'));
    assert.ok(doc.includes('<span class="scopes__text">Чтение отчётов</span><code class="scopes__name">reports.read</code>'));
    assert.ok(doc.includes('<span class="scopes__text">bare.scope</span></li>'));
    const en = consentPage({ ...base, locale: 'en' });
    assert.ok(en.includes('Access to the Extern API'));
  });
  it('shows who is signed in and offers allow/deny in one form', () => {
    const doc = consentPage(base);
    assert.ok(doc.includes('<strong>ivanov@example.ru</strong>'));
    assert.equal(startTags(doc, 'form').length, 1);
    assert.match(doc, /<button type="submit" class="button button--primary" name="decision" value="allow">Разрешить<\/button>/);
    assert.ok(!/\bautofocus\b/.test(doc), "Allow is not focused by default: Deny is as easy to reach");
    assert.match(doc, /<button type="submit" class="button button--secondary" name="decision" value="deny">Отказать<\/button>/);
  });
  it('lists requested claims when given', () => {
    assert.doesNotMatch(consentPage(base), /claims-title/);
    const doc = consentPage({ ...base, claims: ['email', 'birthdate'] });
    assert.ok(doc.includes(t('ru', 'claim.email')));
    assert.ok(doc.includes('>birthdate<'));
  });
});

describe('errorPage', () => {
  it('picks a title by status, shows the message, code and request id, and never more', () => {
    const doc = errorPage({ locale: 'en', status: 404, message: 'No such page.', code: 'not_found', requestId: 'r-42', homeHref: '/' });
    assert.match(doc, /<h1 class="card__title" id="page-title">Page not found<\/h1>/);
    assert.ok(doc.includes('No such page.'));
    assert.ok(doc.includes('<code>not_found</code>'));
    assert.ok(doc.includes('r-42'));
    assert.match(doc, /<a class="button button--secondary" href="\/">Back to the home page<\/a>/);
  });
  it('uses the generic title for unknown statuses and the given title when set', () => {
    assert.ok(errorPage({ locale: 'ru', status: 500, message: 'm' }).includes('Что-то пошло не так'));
    assert.ok(errorPage({ locale: 'ru', status: 418, message: 'm', title: 'Свой заголовок' }).includes('>Свой заголовок</h1>'));
  });
  it('omits the support block and the home link when not given', () => {
    const doc = errorPage({ locale: 'ru', message: 'm' });
    assert.doesNotMatch(doc, /card__footer|<a class="button/);
  });
});

describe('logoutConfirmPage', () => {
  it('renders hidden fields and yes/no buttons; only "yes" sends logout', () => {
    const doc = logoutConfirmPage({ locale: 'ru', action: '/session/end/confirm', csrfToken: 'tok', hiddenFields: { xsrf: 'abc', state: 's&1' } });
    assert.ok(doc.includes('<input type="hidden" name="xsrf" value="abc">'));
    assert.ok(doc.includes('<input type="hidden" name="state" value="s&amp;1">'));
    assert.match(doc, /<h1[^>]*>Выйти\?<\/h1>/);
    assert.match(doc, /name="logout" value="yes"[^>]*>Да, выйти<\/button>/);
    assert.match(doc, /<button type="submit" class="button button--secondary">Нет, остаться<\/button>/);
    assertCsrfInEveryForm(doc, 'tok');
  });
});

describe('device pages', () => {
  it('entry: user_code field sized for ABCD-EFGH with one-time-code autocomplete and a case/dash hint', () => {
    const doc = deviceEntryPage({ locale: 'ru', action: '/device', csrfToken: 'tok' });
    const input = startTags(doc, 'input').find((a) => attr(a, 'name') === 'user_code') ?? '';
    assert.equal(attr(input, 'autocomplete'), 'one-time-code');
    assert.equal(attr(input, 'autofocus'), '');
    assert.equal(attr(input, 'autocapitalize'), 'characters');
    assert.equal(attr(input, 'size'), '11');
    assert.equal(attr(input, 'aria-describedby'), 'user_code-hint');
    assert.ok(doc.includes('Регистр букв и дефис не важны'));
  });
  it('entry: prefills the formatted code and announces errors', () => {
    for (const error of ['invalid', 'expired', 'used', 'too_many', 'session'] as const) {
      const doc = deviceEntryPage({ locale: 'en', action: '/device', csrfToken: 'tok', userCode: 'bdwp hqpk', error });
      assert.ok(doc.includes('value="BDWP-HQPK"'));
      assert.ok(doc.includes(`role="alert">${t('en', `device.error.${error}`)}`));
      assert.match(doc, /aria-invalid="true" aria-describedby="user_code-hint user_code-error"/);
    }
  });
  it('confirm: shows the code as ABCD-EFGH, the client, scopes and confirm/abort buttons', () => {
    const doc = deviceConfirmPage({
      locale: 'ru',
      action: '/device/confirm',
      csrfToken: 'tok',
      clientName: 'Плагин',
      userCode: 'bdwphqpk',
    });
    assert.ok(doc.includes('<p class="user-code__value" translate="no">BDWP-HQPK</p>'));
    assert.ok(doc.includes('«<strong class="client-name">Плагин</strong>»'));
    // The permissions are shown once, on the approval page that follows; no button is focused.
    assert.ok(!doc.includes('Доступ к API Экстерна'));
    assert.doesNotMatch(doc, /autofocus/);
    assert.match(doc, /name="confirm" value="yes"[^>]*>Продолжить<\/button>/);
    assert.match(doc, /name="abort" value="yes">Отмена<\/button>/);
    assert.ok(doc.includes('<input type="hidden" name="user_code" value="BDWP-HQPK">'));
  });
  it('entry and confirm carry the hidden fields they are given (oidc-provider\'s xsrf)', () => {
    const entry = deviceEntryPage({ locale: 'en', action: '/device', csrfToken: 'tok', hiddenFields: { xsrf: 'x&1' } });
    assert.ok(entry.includes('<input type="hidden" name="xsrf" value="x&amp;1">'));
    const confirm = deviceConfirmPage({ locale: 'en', action: '/device', csrfToken: 'tok', clientName: 'A', userCode: 'BDWPHQPK', hiddenFields: { xsrf: 'x&1' } });
    assert.ok(confirm.includes('<input type="hidden" name="xsrf" value="x&amp;1">'));
  });
  it('done: a distinct title per outcome in both locales', () => {
    for (const locale of locales) {
      const titles = (['success', 'denied', 'expired'] as const).map((outcome) =>
        /<h1[^>]*>([^<]*)<\/h1>/.exec(deviceDonePage({ locale, outcome }))?.[1],
      );
      assert.equal(new Set(titles).size, 3);
    }
  });
});
