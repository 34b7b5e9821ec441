/**
 * Every path of the management API below its base, OpenAPI style (`{name}` for a parameter), for
 * the canonical spelling of request paths (http/route-templates.ts) without loading the API's
 * modules. operations/index.ts refuses to load an operation whose path is missing here.
 */
export const ADMIN_API_BASE = '/admin/api/v1';

export const ADMIN_API_PATHS: readonly string[] = [
  '/openapi.json',
  '/users',
  '/users/{id}',
  '/users/{id}/disable',
  '/users/{id}/enable',
  '/users/{id}/revoke-tokens',
  '/users/{id}/password-link',
  '/users/{id}/mfa/reset',
  '/users/{id}/applications',
  '/users/{id}/links',
  '/users/{id}/events',
  '/clients',
  '/clients/{client_id}',
  '/clients/{client_id}/disable',
  '/clients/{client_id}/enable',
  '/clients/{client_id}/revoke-tokens',
  '/clients/{client_id}/keys',
  '/clients/{client_id}/keys/{key_id}',
  '/clients/{client_id}/invitations',
  '/clients/{client_id}/permissions/{permission}',
  '/clients/{client_id}/partner-keys',
  '/clients/{client_id}/partner-keys/{key_id}',
  '/links',
  '/links/{client_id}/{service_user_id}',
  '/links/partners',
  '/resources',
  '/signing-keys',
  '/signing-keys/rotate',
  '/audit',
  '/audit/export',
];

/** The route templates (`:name`) of every path, with the base. */
export const adminApiRouteTemplates = (): string[] => ADMIN_API_PATHS.map((p) => `${ADMIN_API_BASE}${p.replace(/\{(\w+)\}/g, ':$1')}`);
