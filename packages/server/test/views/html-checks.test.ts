/** Tests of the test helpers themselves, so the page checks cannot pass silently on bad markup. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedOutPage, loginPage } from '../../src/views/index.ts';
import { assertBalanced, assertCsrfInEveryForm, assertLabelledInputs, assertNoInlineCode, assertWellFormedPage } from './html-checks.ts';

describe('html checks', () => {
  it('accept a real page', () => {
    assertWellFormedPage(signedOutPage({ locale: 'en' }), 'en');
  });
  it('reject the wrong lang', () => {
    assert.throws(() => assertWellFormedPage(signedOutPage({ locale: 'en' }), 'ru'), assert.AssertionError);
  });
  it('reject unbalanced markup', () => {
    assert.throws(() => assertBalanced('<div><p></div>'), /does not match/);
    assert.throws(() => assertBalanced('<div>'), /unclosed/);
    assertBalanced('<div><input><svg><path d="x"/></svg></div>');
  });
  it('reject inline style, handlers and scripts', () => {
    assert.throws(() => assertNoInlineCode('<p style="color:red">x</p>'), /style=/);
    assert.throws(() => assertNoInlineCode('<img src="/x" onerror="x()">'), /event handler/);
    assert.throws(() => assertNoInlineCode('<script>alert(1)</script>'), /inline content/);
    assert.throws(() => assertNoInlineCode('<script src="https://cdn.example/x.js"></script>'), assert.AssertionError);
    assert.throws(() => assertNoInlineCode('<a href="javascript:x()">x</a>'), /javascript/);
  });
  it('reject unlabelled inputs and forms without CSRF', () => {
    assert.throws(() => assertLabelledInputs('<input id="a" name="a">'), /no <label for>/);
    assert.throws(() => assertLabelledInputs('<label for="a">A</label><input name="a">'), /without id/);
    assert.throws(() => assertCsrfInEveryForm('<form method="post" action="/x"><button>x</button></form>'), /csrf/);
    assert.throws(() => assertCsrfInEveryForm(loginPage({ locale: 'ru', action: '/a', csrfToken: 'a', clientName: 'c' }), 'b'));
  });
});
