/**
 * Generates docs/management-api-reference.md from the management API's operations
 * (src/web/admin-api/operations/): every endpoint with its permission and the roles that hold it.
 * `npm run docs:generate` writes it; the test suite checks it is current.
 */
import { resolve } from 'node:path';
import { ADMIN_OPERATIONS } from '../src/web/admin-api/operations/index.ts';
import { ADMIN_API_BASE } from '../src/web/admin-api/paths.ts';
import { ROLE_PERMISSIONS, ROLES } from '../src/operators/types.ts';

export const managementApiReferencePath = resolve(import.meta.dirname, '../../../docs/management-api-reference.md');

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderManagementApiReference(): string {
  const tags = [...new Set(ADMIN_OPERATIONS.map((o) => o.tag))];
  const sections = tags.map((tag) => {
    const rows = ADMIN_OPERATIONS.filter((o) => o.tag === tag).map((o) => {
      const roles = ROLES.filter((r) => (ROLE_PERMISSIONS[r] as readonly string[]).includes(o.permission));
      return `| \`${o.method.toUpperCase()} ${o.path}\` | ${cell(o.summary)} | \`${o.permission}\` | ${roles.join(', ')} | \`${o.id}\` |`;
    });
    return `## ${tag[0]!.toUpperCase()}${tag.slice(1)}\n\n| endpoint | what it does | permission | roles | operationId |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
  });
  return `# Management API reference

Every endpoint of the [management API](management-api.md), below \`${ADMIN_API_BASE}\`. Request and
answer schemas are in the OpenAPI document the server serves at \`${ADMIN_API_BASE}/openapi.json\`.
This file is generated from \`packages/server/src/web/admin-api/operations/\` by
\`npm run docs:generate\`; do not edit it by hand.

${sections.join('\n')}`;
}
