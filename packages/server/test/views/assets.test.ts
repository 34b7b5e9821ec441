/** Tests of the static assets: the stylesheet loads nothing external, the script only wires copy buttons. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { script, scriptPath, stylesheet, stylesheetPath } from '../../src/views/index.ts';

describe('assets', () => {
  it('are served from fixed /assets/ paths', () => {
    assert.equal(stylesheetPath, '/assets/propusk.css');
    assert.equal(scriptPath, '/assets/propusk.js');
  });
  it('stylesheet uses only local resources and supports focus, dark scheme and reduced motion', () => {
    assert.ok(stylesheet.length > 1000);
    assert.doesNotMatch(stylesheet, /@import|url\(|https?:/);
    assert.match(stylesheet, /:focus-visible/);
    assert.match(stylesheet, /prefers-color-scheme: dark/);
    assert.match(stylesheet, /prefers-reduced-motion/);
    assert.match(stylesheet, /\[hidden\] \{ display: none !important; \}/);
    assert.equal((stylesheet.match(/\{/g) ?? []).length, (stylesheet.match(/\}/g) ?? []).length);
  });
  it('script only handles data-copy-target and uses no eval or network', () => {
    assert.match(script, /data-copy-target/);
    assert.match(script, /navigator\.clipboard/);
    assert.doesNotMatch(script, /\beval\b|new Function|fetch\(|XMLHttpRequest|innerHTML|document\.write/);
    assert.doesNotThrow(() => new Function(script));
  });
});
