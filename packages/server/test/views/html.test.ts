/** Tests of the `html` tagged template, `raw`, `join`, `attributes` and `safeUrl`: the XSS guard of the view layer. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributes, escapeHtml, html, join, raw, safeUrl, SafeHtml } from '../../src/views/index.ts';

describe('escapeHtml', () => {
  it('escapes & < > " \' and backtick', () => {
    assert.equal(escapeHtml(`&<>"'\``), '&amp;&lt;&gt;&quot;&#39;&#96;');
  });
  it('leaves other text, including Cyrillic and emoji, unchanged', () => {
    assert.equal(escapeHtml('Пропуск — вход 🔑 / = ;'), 'Пропуск — вход 🔑 / = ;');
  });
  it('does not double-decode existing entities', () => {
    assert.equal(escapeHtml('&lt;'), '&amp;lt;');
  });
});

describe('html`...`', () => {
  it('escapes string interpolations in element content', () => {
    const out = html`<p>${'<script>alert(1)</script>'}</p>`.toString();
    assert.equal(out, '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });
  it('escapes attribute breakouts with double quotes, single quotes and backticks', () => {
    assert.equal(html`<a title="${'" onclick="x'}">`.toString(), '<a title="&quot; onclick=&quot;x">');
    assert.equal(html`<a title='${"' onclick='x"}'>`.toString(), "<a title='&#39; onclick=&#39;x'>");
    assert.equal(html`<a title="${'`x`'}">`.toString(), '<a title="&#96;x&#96;">');
  });
  it('keeps nested html results and raw() unescaped', () => {
    const inner = html`<b>${'a&b'}</b>`;
    assert.equal(html`<p>${inner}</p>`.toString(), '<p><b>a&amp;b</b></p>');
    assert.equal(html`<p>${raw('<br>')}</p>`.toString(), '<p><br></p>');
  });
  it('joins arrays, escaping strings and keeping SafeHtml', () => {
    const items = ['<x>', html`<i>y</i>`, ['<z>', html`<u>w</u>`]];
    assert.equal(html`<p>${items}</p>`.toString(), '<p>&lt;x&gt;<i>y</i>&lt;z&gt;<u>w</u></p>');
  });
  it('renders numbers and bigints, and nothing for null, undefined and booleans', () => {
    assert.equal(html`${1}|${2n}|${null}|${undefined}|${false}|${true}`.toString(), '1|2||||');
  });
  it('does not trust look-alike objects: only real SafeHtml instances pass', () => {
    const forged = { toString: () => '<script>x</script>' } as unknown as SafeHtml;
    assert.equal(html`${forged}`.toString(), '&lt;script&gt;x&lt;/script&gt;');
    assert.ok(html`x` instanceof SafeHtml);
  });
  it('escapes strings that look like markup produced elsewhere', () => {
    const text = html`<b>bold</b>`.toString();
    assert.equal(html`${text}`.toString(), '&lt;b&gt;bold&lt;/b&gt;');
  });
  it('join() escapes values and a string separator', () => {
    assert.equal(join(['<a>', html`<b></b>`], ' & ').toString(), '&lt;a&gt; &amp; <b></b>');
    assert.equal(join(['a', 'b'], html`<br>`).toString(), 'a<br>b');
  });
});

describe('attributes', () => {
  it('renders, escapes and omits attributes', () => {
    const out = attributes({ id: 'x', value: '"><script>', required: true, hidden: false, title: undefined, size: 4 }).toString();
    assert.equal(out, ' id="x" value="&quot;&gt;&lt;script&gt;" required size="4"');
  });
  it('throws on an attribute name that could inject markup', () => {
    assert.throws(() => attributes({ 'x onload=alert(1)': 'y' }), TypeError);
    assert.throws(() => attributes({ '"><script>': 'y' }), /Invalid attribute name/);
  });
});

describe('safeUrl', () => {
  it('passes relative and http(s) URLs', () => {
    for (const url of ['/interaction/abc', '?ui_locales=en', '#main', 'https://app.example/cb', 'http://localhost:3000/']) {
      assert.equal(safeUrl(url), url);
    }
  });
  it('rejects script, data and protocol-relative URLs', () => {
    for (const url of ['javascript:alert(1)', ' JaVaScRiPt:alert(1)', 'data:text/html,x', '//evil.example', '/\\evil.example', 'vbscript:x', 'java\tscript:x']) {
      assert.equal(safeUrl(url), '#', url);
    }
    assert.equal(safeUrl('javascript:x', '/'), '/');
  });
});
