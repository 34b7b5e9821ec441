/**
 * Generates docs/audit-events.md from the audit vocabulary (AUDIT_EVENTS and AUDIT_ACTORS in
 * src/audit/types.ts), so the list cannot drift from the code. `npm run docs:generate` writes it;
 * the test suite checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AUDIT_ACTORS, AUDIT_EVENTS } from '../src/audit/types.ts';

export const auditEventsPath = resolve(import.meta.dirname, '../../../docs/audit-events.md');

const cell = (text: string): string => text.replace(/\|/g, '\\|');

export function renderAuditEvents(): string {
  const actors = Object.entries(AUDIT_ACTORS).map(([actor, meaning]) => `| \`${actor}\` | ${cell(meaning)} |`);
  const events = Object.entries(AUDIT_EVENTS)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, spec]) => {
      const details = Object.entries(spec.details as Record<string, string>);
      const table = details.length
        ? `| detail | meaning |\n|---|---|\n${details.map(([key, meaning]) => `| \`${key}\` | ${cell(meaning)} |`).join('\n')}`
        : 'No details.';
      return `### \`${name}\`\n\n${spec.description}\n\n${table}\n`;
    });
  return `# Audit events

Propusk records who did what, when and with what outcome — never a secret (no password, api-key,
token, code or link). Each event is a row in the database (\`propusk admin audit tail\` shows the
newest) and a line in the log. This file is generated from \`packages/server/src/audit/types.ts\`
by \`npm run docs:generate\`; do not edit it by hand.

Every event has a type (below), a time, an outcome (\`success\` or \`failure\`), the client IP
address of the request it came from (if any), an actor, the account and the client it concerns
(if any), and details. Failures of someone who proved nothing (a wrong password, an unknown
client) are counted in one row per client IP address, kind and 10-minute window (its \`count\`,
first and last time) rather than stored one per row.

## Actors

| actor | who |
|---|---|
${actors.join('\n')}

## Events

${events.join('\n')}`;
}

if (import.meta.main) {
  writeFileSync(auditEventsPath, renderAuditEvents());
  console.log(`wrote ${auditEventsPath}`);
}
