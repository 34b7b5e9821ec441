/** Regex-level structural checks shared by the view tests: balanced tags, labels, CSRF fields, no inline script or style. */
import assert from 'node:assert/strict';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^>]*?)?)(\/?)>/g;

/** All start tags named `name`, with their raw attribute text. */
export function startTags(doc: string, name: string): string[] {
  const out: string[] = [];
  for (const m of doc.matchAll(TAG)) if (!m[1] && m[2]?.toLowerCase() === name) out.push(m[3] ?? '');
  return out;
}

/** Value of an attribute in a start tag's attribute text, or undefined. */
export function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`(?:^|\\s)${name}(?:="([^"]*)")?(?=\\s|/?$)`).exec(attrs);
  if (!m) return undefined;
  return m[1] ?? '';
}

/** Asserts that every non-void element is closed in order. */
export function assertBalanced(doc: string): void {
  const stack: string[] = [];
  for (const m of doc.matchAll(TAG)) {
    const name = (m[2] ?? '').toLowerCase();
    if (m[1]) {
      const open = stack.pop();
      assert.equal(open, name, `closing </${name}> does not match <${open}>`);
    } else if (!VOID.has(name) && !m[4]) {
      stack.push(name);
    }
  }
  assert.deepEqual(stack, [], `unclosed elements: ${stack.join(', ')}`);
}

/** Asserts the document-level rules every page must follow. */
export function assertWellFormedPage(doc: string, locale: 'ru' | 'en'): void {
  assert.match(doc, /^<!doctype html>\n<html lang="(ru|en)">/);
  assert.ok(doc.startsWith(`<!doctype html>\n<html lang="${locale}">`), 'html lang matches the locale');
  assert.match(doc, /<meta charset="utf-8">/);
  assert.match(doc, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  assert.match(doc, /<meta name="robots" content="noindex">/);
  assert.equal(startTags(doc, 'link').filter((a) => attr(a, 'rel') === 'stylesheet').length, 1, 'exactly one stylesheet');
  assert.match(doc, /<link rel="stylesheet" href="\/assets\/propusk.css">/);
  assert.match(doc, /<title>[^<]+<\/title>/);
  assert.equal(startTags(doc, 'h1').length, 1, 'exactly one h1');
  assert.equal(startTags(doc, 'main').length, 1);
  assertBalanced(doc);
  assertNoInlineCode(doc);
  assertLabelledInputs(doc);
  assertCsrfInEveryForm(doc);
  assertUniqueIds(doc);
  assertButtonsHaveText(doc);
  assert.ok((doc.match(/\sautofocus(?=[\s>])/g) ?? []).length <= 1, 'at most one autofocus');
}

/** No `style` attributes or elements, no inline event handlers, scripts only by `src` and empty, no external URLs. */
export function assertNoInlineCode(doc: string): void {
  assert.doesNotMatch(doc, /<style/i, '<style> element');
  for (const m of doc.matchAll(TAG)) {
    const names = (m[3] ?? '').replace(/"[^"]*"/g, '""');
    assert.doesNotMatch(names, /\sstyle=/i, 'style= attribute');
    assert.doesNotMatch(names, /\son[a-z]+=/i, 'inline event handler');
    assert.doesNotMatch(names, /'/, 'single-quoted or broken attribute');
  }
  assert.doesNotMatch(doc, /\s(?:href|src|action|formaction)="\s*javascript:/i, 'javascript: URL');
  for (const m of doc.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.equal(m[2], '', 'script element with inline content');
    assert.match(m[1] ?? '', /\ssrc="\/assets\/(?:propusk|webauthn|passkeys)\.js"/, 'script only from /assets/ (ours and the WebAuthn bundle)');
  }
  assert.equal((doc.match(/<script/gi) ?? []).length, (doc.match(/<script[^>]*><\/script>/gi) ?? []).length);
  for (const a of [...startTags(doc, 'link'), ...startTags(doc, 'script'), ...startTags(doc, 'img')]) {
    const url = attr(a, 'href') ?? attr(a, 'src') ?? '';
    assert.ok(url.startsWith('/') || url.startsWith('data:'), `external asset: ${url}`);
  }
}

/** Every visible `<input>`, `<select>`, `<textarea>` has an id with a matching `<label for>`. */
export function assertLabelledInputs(doc: string): void {
  const labels = new Set(startTags(doc, 'label').map((a) => attr(a, 'for')));
  for (const a of [...startTags(doc, 'input'), ...startTags(doc, 'select'), ...startTags(doc, 'textarea')]) {
    if (attr(a, 'type') === 'hidden') continue;
    const id = attr(a, 'id');
    assert.ok(id, `input without id: ${a}`);
    assert.ok(labels.has(id), `input #${id} has no <label for>`);
  }
}

/** Every `<form>` posts and carries exactly one hidden `csrf` input with the expected token (when given). */
export function assertCsrfInEveryForm(doc: string, token?: string): void {
  const forms = [...doc.matchAll(/<form([^>]*)>([\s\S]*?)<\/form>/g)];
  assert.equal(forms.length, startTags(doc, 'form').length, 'nested or unclosed form');
  for (const [, attrs = '', body = ''] of forms) {
    assert.equal(attr(attrs, 'method'), 'post');
    const csrf = startTags(body, 'input').filter((a) => attr(a, 'type') === 'hidden' && attr(a, 'name') === 'csrf');
    assert.equal(csrf.length, 1, 'one csrf field per form');
    if (token !== undefined) assert.equal(attr(csrf[0] ?? '', 'value'), token);
  }
}

/** Ids are unique and every `aria-describedby`/`aria-labelledby`/`for` reference resolves. */
export function assertUniqueIds(doc: string): void {
  const ids = [...doc.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
  assert.equal(new Set(ids).size, ids.length, `duplicate ids: ${ids.join(' ')}`);
  for (const m of doc.matchAll(/\saria-(?:describedby|labelledby)="([^"]*)"/g)) {
    for (const ref of (m[1] ?? '').split(/\s+/)) assert.ok(ids.includes(ref), `dangling reference #${ref}`);
  }
}

/** Every `<button>` has visible text. */
export function assertButtonsHaveText(doc: string): void {
  for (const m of doc.matchAll(/<button[^>]*>([\s\S]*?)<\/button>/g)) {
    assert.ok((m[1] ?? '').replace(/<[^>]*>/g, '').trim().length > 0, 'button without text');
  }
}
