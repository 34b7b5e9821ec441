/**
 * The documentation's relative links resolve: every link in README.md, the guides in docs/, the
 * packages' and the benchmark's READMEs points at a file (or folder) of this repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(import.meta.dirname, '../../../..');
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

  for (const page of pages) {
    it(`every relative link of ${page} resolves`, () => {
      const broken = links(readFileSync(join(ROOT, page), 'utf8')).filter((target) => !existsSync(resolve(ROOT, dirname(page), decodeURI(target))));
      assert.deepEqual(broken, [], `${page} links to missing files`);
    });
  }
});
