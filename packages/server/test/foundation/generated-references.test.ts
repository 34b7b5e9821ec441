/**
 * docs/audit-events.md, docs/cli-reference.md and docs/management-api-reference.md are generated
 * from the code (the audit vocabulary, the admin command registry, the management API's operations) and must be current: `npm run docs:generate` rewrites them.
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { auditEventsPath, renderAuditEvents } from '../../scripts/audit-events-reference.ts';
import { cliReferencePath, renderCliReference } from '../../scripts/cli-reference.ts';
import { AUDIT_ACTORS, AUDIT_EVENTS } from '../../src/audit/types.ts';
import { commands } from '../../src/admin/index.ts';
import { managementApiReferencePath, renderManagementApiReference } from '../../scripts/management-api-reference.ts';
import { ADMIN_OPERATIONS } from '../../src/web/admin-api/operations/index.ts';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

it('the audit-event list documents every event and actor and is up to date (npm run docs:generate)', () => {
  const doc = readFileSync(auditEventsPath, 'utf8');
  assert.equal(doc, renderAuditEvents());
  for (const [name, spec] of Object.entries(AUDIT_EVENTS)) {
    assert.match(doc, new RegExp(`^### \`${escape(name)}\`$`, 'm'), name);
    for (const detail of Object.keys(spec.details)) assert.match(doc, new RegExp(`\\| \`${escape(detail)}\` \\|`), `${name}: ${detail}`);
  }
  for (const actor of Object.keys(AUDIT_ACTORS)) assert.match(doc, new RegExp(`\\| \`${escape(actor)}\` \\|`), actor);
});

it('the admin CLI reference documents every command, argument and option and is up to date (npm run docs:generate)', () => {
  const doc = readFileSync(cliReferencePath, 'utf8');
  assert.equal(doc, renderCliReference());
  for (const cmd of commands) {
    assert.match(doc, new RegExp(`^### \`${escape(cmd.name)}\`$`, 'm'), cmd.name);
    assert.ok(doc.includes(`propusk admin ${cmd.usage}\n`), `${cmd.name}: usage`);
    for (const p of cmd.positionals ?? []) assert.ok(doc.includes(`| \`<${p.name}>\` |`), `${cmd.name}: <${p.name}>`);
    for (const option of Object.keys(cmd.options)) assert.ok(doc.includes(`| \`--${option}`), `${cmd.name}: --${option}`);
  }
});

it('the management API reference lists every operation and is up to date (npm run docs:generate)', () => {
  const doc = readFileSync(managementApiReferencePath, 'utf8');
  assert.equal(doc, renderManagementApiReference());
  for (const op of ADMIN_OPERATIONS) assert.ok(doc.includes(`| \`${op.method.toUpperCase()} ${op.path}\` |`), op.id);
});
