/** Every operation of the management API, in the order the OpenAPI document lists them. */
import type { Operation } from '../operation.ts';
import { clientOperations } from './clients.ts';
import { resourceOperations } from './resources.ts';
import { signingKeyOperations } from './signing-keys.ts';
import { auditOperations } from './audit.ts';
import { passwordLinkOperations } from './password-links.ts';
import { userOperations } from './users.ts';
import { linkOperations } from './links.ts';
import { linkPartnerOperations } from './link-partners.ts';

import { ADMIN_API_PATHS } from '../paths.ts';

export const ADMIN_OPERATIONS: readonly Operation[] = [
  ...userOperations,
  ...passwordLinkOperations,
  ...clientOperations,
  ...resourceOperations,
  ...linkOperations,
  ...linkPartnerOperations,
  ...signingKeyOperations,
  ...auditOperations,
];

for (const op of ADMIN_OPERATIONS) {
  if (!ADMIN_API_PATHS.includes(op.path)) throw new Error(`management API: ${op.path} is missing from ADMIN_API_PATHS (web/admin-api/paths.ts)`);
}
const ids = ADMIN_OPERATIONS.map((o) => o.id);
if (new Set(ids).size !== ids.length) throw new Error('management API: two operations share an id');
