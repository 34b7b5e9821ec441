/**
 * The documentation's relative links resolve: every link in README.md, the guides in docs/, the
 * packages' and the benchmark's READMEs points at a file (or folder) of this repository. And the
 * two front doors stay short: README.md at most 160 lines, bench/README.md at most 300.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../../../..');
/** Pages with a length limit: longer material belongs in a guide under docs/ or in bench/journal.md. */
const MAX_LINES: Record<string, number> = { 'README.md': 160, 'bench/README.md': 300 };

const pages = [
  'README.md',
  'bench/README.md',
  'packages/resource-server/README.md',
  'examples/extern-api/README.md',
  ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
];

/** Targets of the markdown links `[text](target)` outside code blocks, without any #fragment. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!.split('#')[0]!).filter((t) => t !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(t));
}

describe('documentation links', () => {
  it('finds the pages and their links', () => {
    assert.ok(pages.length >= 8, pages.join(', '));
    assert.ok(links(readFileSync(join(ROOT, 'README.md'), 'utf8')).length >= 5);
  });

  for (const [page, max] of Object.entries(MAX_LINES)) {
    it(`${page} has at most ${max} lines`, () => {
      const text = readFileSync(join(ROOT, page), 'utf8');
      const lines = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
      assert.ok(lines <= max, `${page} has ${lines} lines (at most ${max})`);
    });
  }

  for (const page of pages) {
    it(`every relative link of ${page} resolves`, () => {
      const broken = links(readFileSync(join(ROOT, page), 'utf8')).filter((target) => !existsSync(resolve(ROOT, dirname(page), decodeURI(target))));
      assert.deepEqual(broken, [], `${page} links to missing files`);
    });
  }
});
