/** URLs of the integrator portal, in one place (the admin CLI prints invitation links built here). */
import { returnPathUnder } from '../shared/return-path.ts';

export const PORTAL_PATH = '/integrations';

export const portalPaths = {
  home: PORTAL_PATH,
  signIn: `${PORTAL_PATH}/sign-in`,
  signOut: `${PORTAL_PATH}/sign-out`,
  invitation: (token: string) => `${PORTAL_PATH}/invitations/${encodeURIComponent(token)}`,
  client: (clientId: string) => `${PORTAL_PATH}/clients/${encodeURIComponent(clientId)}`,
  issueKey: (clientId: string) => `${PORTAL_PATH}/clients/${encodeURIComponent(clientId)}/keys`,
  /** The page that shows a new key once (post/redirect/get). */
  issuedKey: (clientId: string, keyId: string) => `${PORTAL_PATH}/clients/${encodeURIComponent(clientId)}/keys/${encodeURIComponent(keyId)}`,
  revokeKey: (clientId: string, keyId: string) => `${PORTAL_PATH}/clients/${encodeURIComponent(clientId)}/keys/${encodeURIComponent(keyId)}/revoke`,
  redirectUris: (clientId: string) => `${PORTAL_PATH}/clients/${encodeURIComponent(clientId)}/redirect-uris`,
  invite: (clientId: string) => `${PORTAL_PATH}/clients/${encodeURIComponent(clientId)}/invitations`,
  /** The page that shows a new invitation link once (post/redirect/get). */
  createdInvitation: (clientId: string, invitationId: string) => `${PORTAL_PATH}/clients/${encodeURIComponent(clientId)}/invitations/${encodeURIComponent(invitationId)}`,
} as const;

/** Every route of the portal, as templates (the canonical spelling of request paths, http/route-templates.ts). */
export const portalRouteTemplates: readonly string[] = [
  PORTAL_PATH,
  `${PORTAL_PATH}/sign-in`,
  `${PORTAL_PATH}/sign-out`,
  ...['second-factor', 'passkey', 'enrol-totp', 'enrol-passkey', 'continue', 'sign-in-again'].map((p) => `${PORTAL_PATH}/sign-in/${p}`),
  `${PORTAL_PATH}/passkey-sign-in`,
  `${PORTAL_PATH}/invitations/:token`,
  `${PORTAL_PATH}/invitations/:token/accept`,
  `${PORTAL_PATH}/invitations/:token/sign-in`,
  `${PORTAL_PATH}/invitations/:token/sign-up`,
  `${PORTAL_PATH}/clients/:clientId`,
  `${PORTAL_PATH}/clients/:clientId/keys`,
  `${PORTAL_PATH}/clients/:clientId/keys/:keyId`,
  `${PORTAL_PATH}/clients/:clientId/keys/:keyId/revoke`,
  `${PORTAL_PATH}/clients/:clientId/redirect-uris`,
  `${PORTAL_PATH}/clients/:clientId/invitations`,
  `${PORTAL_PATH}/clients/:clientId/invitations/:invitationId`,
];

/** The absolute invitation link the manager sends: `<issuer>/integrations/invitations/<token>`. */
export const invitationUrl = (issuer: string, token: string): string => `${issuer}${portalPaths.invitation(token)}`;

/** A portal path to return to after signing in; anything else (other sites, other paths) becomes the portal's home. */
export const safeReturnPath = (value: string | null | undefined): string => returnPathUnder(PORTAL_PATH, value, 500);
