/** `npm run docs:generate`: writes every generated reference — configuration, audit events, admin CLI, management API. */
import { writeFileSync } from 'node:fs';
import { referencePath, renderReference } from './config-reference.ts';
import { auditEventsPath, renderAuditEvents } from './audit-events-reference.ts';
import { cliReferencePath, renderCliReference } from './cli-reference.ts';
import { managementApiReferencePath, renderManagementApiReference } from './management-api-reference.ts';

for (const [path, render] of [
  [referencePath, renderReference],
  [auditEventsPath, renderAuditEvents],
  [cliReferencePath, renderCliReference],
  [managementApiReferencePath, renderManagementApiReference],
] as const) {
  writeFileSync(path, render());
  console.log(`wrote ${path}`);
}
