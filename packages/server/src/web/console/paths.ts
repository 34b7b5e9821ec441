/** URLs of the operator console, in one place, and its route templates (http/route-templates.ts). */
import { CONSOLE_PATH } from '../admin-api/setup.ts';
import { returnPathUnder } from '../shared/return-path.ts';

export { CONSOLE_PATH };

const e = encodeURIComponent;
const user = (id: string) => `${CONSOLE_PATH}/users/${e(id)}`;
const client = (clientId: string) => `${CONSOLE_PATH}/clients/${e(clientId)}`;

export const consolePaths = {
  home: CONSOLE_PATH,
  signIn: `${CONSOLE_PATH}/sign-in`,
  callback: `${CONSOLE_PATH}/callback`,
  signOut: `${CONSOLE_PATH}/sign-out`,

  users: `${CONSOLE_PATH}/users`,
  user,
  /** disable, enable, revoke-tokens, reset-mfa, password-link: GET is the confirmation (or the one-time link), POST does it. */
  userAction: (id: string, action: 'disable' | 'enable' | 'revoke-tokens' | 'reset-mfa' | 'password-link') => `${user(id)}/${action}`,

  links: `${CONSOLE_PATH}/links`,
  unlink: (clientId: string, serviceUserId: string) => `${CONSOLE_PATH}/links/${e(clientId)}/${e(serviceUserId)}/remove`,

  clients: `${CONSOLE_PATH}/clients`,
  client,
  clientAction: (clientId: string, action: 'disable' | 'enable' | 'revoke-tokens' | 'permissions' | 'require-mfa' | 'redirect-uris' | 'keys' | 'invitations' | 'partner-keys') =>
    `${client(clientId)}/${action}`,
  /** The page that shows a new api-key once. */
  issuedKey: (clientId: string, keyId: string) => `${client(clientId)}/keys/${e(keyId)}`,
  revokeKey: (clientId: string, keyId: string) => `${client(clientId)}/keys/${e(keyId)}/revoke`,
  /** The page that shows a new invitation link once. */
  createdInvitation: (clientId: string, invitationId: string) => `${client(clientId)}/invitations/${e(invitationId)}`,
  removePartnerKey: (clientId: string, keyId: string) => `${client(clientId)}/partner-keys/${e(keyId)}/remove`,

  apis: `${CONSOLE_PATH}/apis`,
  /** The page that shows a new API's introspection secret once. */
  createdApi: (scope: string) => `${CONSOLE_PATH}/apis/${e(scope)}/created`,

  signingKeys: `${CONSOLE_PATH}/signing-keys`,
  rotate: `${CONSOLE_PATH}/signing-keys/rotate`,

  audit: `${CONSOLE_PATH}/audit`,
  auditExport: `${CONSOLE_PATH}/audit/export`,
} as const;

/** Every route of the console, as templates (the canonical spelling of request paths). */
export const consoleRouteTemplates: readonly string[] = [
  CONSOLE_PATH,
  `${CONSOLE_PATH}/sign-in`,
  `${CONSOLE_PATH}/callback`,
  `${CONSOLE_PATH}/sign-out`,
  `${CONSOLE_PATH}/users`,
  `${CONSOLE_PATH}/users/:id`,
  `${CONSOLE_PATH}/users/:id/disable`,
  `${CONSOLE_PATH}/users/:id/enable`,
  `${CONSOLE_PATH}/users/:id/revoke-tokens`,
  `${CONSOLE_PATH}/users/:id/reset-mfa`,
  `${CONSOLE_PATH}/users/:id/password-link`,
  `${CONSOLE_PATH}/links`,
  `${CONSOLE_PATH}/links/:clientId/:serviceUserId/remove`,
  `${CONSOLE_PATH}/clients`,
  `${CONSOLE_PATH}/clients/:clientId`,
  `${CONSOLE_PATH}/clients/:clientId/disable`,
  `${CONSOLE_PATH}/clients/:clientId/enable`,
  `${CONSOLE_PATH}/clients/:clientId/revoke-tokens`,
  `${CONSOLE_PATH}/clients/:clientId/permissions`,
  `${CONSOLE_PATH}/clients/:clientId/require-mfa`,
  `${CONSOLE_PATH}/clients/:clientId/redirect-uris`,
  `${CONSOLE_PATH}/clients/:clientId/keys`,
  `${CONSOLE_PATH}/clients/:clientId/keys/:keyId`,
  `${CONSOLE_PATH}/clients/:clientId/keys/:keyId/revoke`,
  `${CONSOLE_PATH}/clients/:clientId/invitations`,
  `${CONSOLE_PATH}/clients/:clientId/invitations/:invitationId`,
  `${CONSOLE_PATH}/clients/:clientId/partner-keys`,
  `${CONSOLE_PATH}/clients/:clientId/partner-keys/:keyId/remove`,
  `${CONSOLE_PATH}/apis`,
  `${CONSOLE_PATH}/apis/:scope/created`,
  `${CONSOLE_PATH}/signing-keys`,
  `${CONSOLE_PATH}/signing-keys/rotate`,
  `${CONSOLE_PATH}/audit`,
  `${CONSOLE_PATH}/audit/export`,
];

/** A console path to return to after signing in; anything else becomes the console's home. */
export const safeConsolePath = (value: unknown): string => returnPathUnder(CONSOLE_PATH, value);
