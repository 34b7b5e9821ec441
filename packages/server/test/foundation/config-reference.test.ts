/** docs/configuration.md is generated from the schema comments and must be current. */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderReference, referencePath } from '../../scripts/config-reference.ts';
import { envSchema } from '../../src/config/schema.ts';

it('the configuration reference documents every variable and is up to date (npm run docs:config)', () => {
  const doc = readFileSync(referencePath, 'utf8');
  assert.equal(doc, renderReference());
  for (const name of Object.keys(envSchema.shape)) assert.match(doc, new RegExp(`\\| \`${name}\` \\|`), name);
});
