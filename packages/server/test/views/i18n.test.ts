/** Tests of the dictionaries (ru/en parity, placeholders), `t`/`tHtml` and `negotiateLocale`. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dictionaries, html, isMessageKey, locales, negotiateLocale, otherLocale, t, tHtml } from '../../src/views/index.ts';

const placeholders = (text: string): string[] => [...text.matchAll(/\{([a-zA-Z0-9_]+)\}/g)].map((m) => m[1] ?? '').sort();

describe('dictionaries', () => {
  it('en has exactly the keys of ru', () => {
    assert.deepEqual(Object.keys(dictionaries.en).sort(), Object.keys(dictionaries.ru).sort());
  });
  it('every message is non-empty and uses the same placeholders in every locale', () => {
    for (const key of Object.keys(dictionaries.ru)) {
      assert.ok(isMessageKey(key));
      for (const locale of locales) assert.ok(dictionaries[locale][key].trim().length > 0, `${locale}:${key}`);
      assert.deepEqual(placeholders(dictionaries.en[key]), placeholders(dictionaries.ru[key]), key);
    }
  });
  it('names the product Пропуск in Russian and Propusk in English', () => {
    assert.equal(t('ru', 'brand.name'), 'Пропуск');
    assert.equal(t('en', 'brand.name'), 'Propusk');
    assert.equal(t('ru', 'login.submit'), 'Войти');
    assert.equal(t('en', 'login.submit'), 'Sign in');
    assert.equal(t('ru', 'scope.extern.api'), 'Доступ к API Экстерна');
    assert.equal(t('en', 'scope.extern.api'), 'Access to the Extern API');
  });
  it('otherLocale flips between the two locales', () => {
    assert.equal(otherLocale('ru'), 'en');
    assert.equal(otherLocale('en'), 'ru');
  });
});

describe('t / tHtml', () => {
  it('substitutes placeholders and leaves unknown ones', () => {
    assert.equal(t('en', 'consent.account', { account: 'ivan' }), 'Signed in as ivan');
    assert.equal(t('en', 'consent.account'), 'Signed in as {account}');
    assert.equal(t('en', 'consent.account', { other: 'x' }), 'Signed in as {account}');
  });
  it('does not interpret $ patterns in values', () => {
    assert.equal(t('en', 'consent.account', { account: "$& $' $1" }), "Signed in as $& $' $1");
  });
  it('returns plain text: markup in params is left for html to escape', () => {
    const text = t('en', 'consent.account', { account: '<b>x</b>' });
    assert.equal(html`${text}`.toString(), 'Signed in as &lt;b&gt;x&lt;/b&gt;');
  });
  it('tHtml escapes text params and keeps SafeHtml params', () => {
    assert.equal(tHtml('en', 'consent.account', { account: '<i>' }).toString(), 'Signed in as &lt;i&gt;');
    assert.equal(tHtml('en', 'consent.account', { account: html`<b>${'<i>'}</b>` }).toString(), 'Signed in as <b>&lt;i&gt;</b>');
  });
  it('tHtml escapes the template text itself', () => {
    assert.equal(tHtml('ru', 'device.confirm.warning').toString(), t('ru', 'device.confirm.warning'));
    assert.equal(tHtml('en', 'device.entry.hint').toString(), 'For example, ABCD-EFGH. Letter case and dashes don’t matter.');
  });
});

describe('negotiateLocale', () => {
  const cases: [Parameters<typeof negotiateLocale>[0], 'ru' | 'en'][] = [
    [{}, 'ru'],
    [{ uiLocales: '', acceptLanguage: '' }, 'ru'],
    [{ uiLocales: 'en' }, 'en'],
    [{ uiLocales: 'en-US ru' }, 'en'],
    [{ uiLocales: 'de fr-CA en-GB' }, 'en'],
    [{ uiLocales: 'de fr' }, 'ru'],
    [{ uiLocales: 'RU-ru', acceptLanguage: 'en' }, 'ru'],
    [{ uiLocales: '  en   ru ' }, 'en'],
    [{ uiLocales: 'de', acceptLanguage: 'en-US,en;q=0.9' }, 'en'],
    [{ acceptLanguage: 'en-US,en;q=0.9,ru;q=0.8' }, 'en'],
    [{ acceptLanguage: 'ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7' }, 'ru'],
    [{ acceptLanguage: 'en;q=0.5, ru;q=0.8' }, 'ru'],
    [{ acceptLanguage: 'ru;q=0.5, en;q=0.8' }, 'en'],
    [{ acceptLanguage: 'de-DE, fr;q=0.9, en;q=0.1' }, 'en'],
    [{ acceptLanguage: 'en;q=0, ru;q=0.1' }, 'ru'],
    [{ acceptLanguage: 'en;q=0' }, 'ru'],
    [{ acceptLanguage: 'de, *;q=0.5' }, 'ru'],
    [{ acceptLanguage: 'EN-gb' }, 'en'],
    [{ acceptLanguage: 'en;q=2, ru;q=0.3' }, 'ru'],
    [{ acceptLanguage: 'en;q=abc' }, 'ru'],
    [{ acceptLanguage: ',,;;q=,' }, 'ru'],
    [{ acceptLanguage: 'english, enx' }, 'ru'],
    [{ acceptLanguage: 'en ; q = 0.9' }, 'en'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${expected}`, () => {
      assert.equal(negotiateLocale(input), expected);
    });
  }
  it('equal q-values keep header order', () => {
    assert.equal(negotiateLocale({ acceptLanguage: 'en;q=0.8, ru;q=0.8' }), 'en');
    assert.equal(negotiateLocale({ acceptLanguage: 'ru;q=0.8, en;q=0.8' }), 'ru');
  });
});
