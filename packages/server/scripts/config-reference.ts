/**
 * Generates docs/configuration.md from the comments in src/config/schema.ts, so the reference
 * cannot drift from the code. `npm run docs:config` writes it; the test suite checks it is current.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const schemaPath = resolve(import.meta.dirname, '../src/config/schema.ts');
export const referencePath = resolve(import.meta.dirname, '../../../docs/configuration.md');

export function renderReference(source = readFileSync(schemaPath, 'utf8')): string {
  const entries = [...source.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*\n\s*([A-Z_]+):/g)].map((m) => ({
    name: m[2]!,
    doc: m[1]!.trim().replace(/\s*\n\s*\*\s?/g, ' ').trim(),
  }));
  const rows = entries.map(({ name, doc }) => {
    const [text, def] = doc.split(/\s*Default:\s*/);
    return `| \`${name}\` | ${text!.replace(/\|/g, '\\|')} | ${def ? def.replace(/\.$/, '').replace(/\|/g, '\\|') : '—'} |`;
  });
  return `# Configuration reference

Propusk is configured with environment variables. An invalid value stops the process with a
message naming the variable. This file is generated from \`packages/server/src/config/schema.ts\`
by \`npm run docs:config\`; do not edit it by hand.

| variable | meaning | default |
|---|---|---|
${rows.join('\n')}
`;
}

if (import.meta.main) {
  writeFileSync(referencePath, renderReference());
  console.log(`wrote ${referencePath}`);
}
