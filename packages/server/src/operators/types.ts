/**
 * Operators of Propusk: people (accounts) and machine clients that manage it through the
 * management API and the console. A role grants a fixed set of permissions; the API and the
 * console check the permission of each operation, on every request, against the roles stored now.
 */

/** Roles an operator may hold. */
export const ROLES = ['admin', 'support', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** What each role is for (CLI help, docs). */
export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  admin: 'everything',
  support: 'find users, see their applications, links and events; link and unlink; disable, enable, revoke tokens, issue set-password links, reset second factors',
  auditor: 'read everything, change nothing',
};

/** Each permission an operation may require. */
export const PERMISSIONS = {
  'users:read': 'find accounts; see their applications, links and events',
  'users:manage': 'disable and enable accounts, revoke their tokens, issue set-password links, reset their second factors',
  'users:write': 'create accounts and change their names, phone and e-mail verification',
  'links:read': 'see links between partner users and accounts',
  'links:write': 'create and remove links',
  'clients:read': 'see clients, their api-key metadata, permissions, partner keys',
  'clients:write': 'create and change clients, issue and revoke api-keys, invitations, permissions, partner keys',
  'resources:read': 'see API resources',
  'resources:write': 'create API resources',
  'signing-keys:read': 'see signing keys (public parts)',
  'signing-keys:write': 'rotate signing keys',
  'audit:read': 'read and export the audit log',
} as const;
export type Permission = keyof typeof PERMISSIONS;

const READ: Permission[] = ['users:read', 'links:read', 'clients:read', 'resources:read', 'signing-keys:read', 'audit:read'];

/** The permissions of each role. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: Object.keys(PERMISSIONS) as Permission[],
  support: ['users:read', 'users:manage', 'links:read', 'links:write'],
  auditor: READ,
};

export const isRole = (value: string): value is Role => (ROLES as readonly string[]).includes(value);

/** Who holds a role: an account or a machine client. */
export type RoleSubject = { kind: 'account'; id: string } | { kind: 'client'; id: string };

export const subjectKey = (s: RoleSubject): string => `${s.kind}:${s.id}`;

export interface RoleGrant {
  subject: RoleSubject;
  role: Role;
  grantedAt: Date;
}

export interface RoleRepository {
  /** True when the role was added, false when the subject already held it. */
  grant(subject: RoleSubject, role: Role, at: Date): Promise<boolean>;
  /** True when the subject held the role. */
  revoke(subject: RoleSubject, role: Role): Promise<boolean>;
  rolesOf(subject: RoleSubject): Promise<Role[]>;
  list(): Promise<RoleGrant[]>;
}

/** The union of the permissions of `roles`. */
export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((r) => ROLE_PERMISSIONS[r]));
}

/** The management API's resource: scope and audience (created by the migrations). */
export const ADMIN_API_SCOPE = 'propusk.admin';
export const ADMIN_API_AUDIENCE = 'urn:propusk:api:propusk.admin';
/** Its introspection client. */
export const ADMIN_API_INTROSPECTION_CLIENT = 'rs.propusk.admin';
/** The console's first-party client: public, PKCE, no consent page. */
export const CONSOLE_CLIENT_ID = 'propusk-console';
