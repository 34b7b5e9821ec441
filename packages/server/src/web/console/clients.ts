/**
 * Clients in the console: the list and one client (listClients, getClient, listClientKeys,
 * listPartnerKeys), and what an operator with `clients:write` changes on it: enable; disable and
 * revoke its tokens (each through a confirmation); permissions; whether sign-ins need two-step
 * verification and redirect URIs (updateClient);
 * api-keys (a new one shown once; revoking through a confirmation); owner invitations (the link
 * shown once); partner keys (removing through a confirmation).
 */
import { PERMISSIONS as CLIENT_PERMISSIONS } from '../../clients/types.ts';
import {
  confirmPage,
  consoleDate,
  consoleClientPage,
  consoleClientsPage,
  consoleRedirectUrisPage,
  t,
  type ConsoleApiKey,
  type ConsoleClient,
  type ConsolePartnerKey,
  type ConsoleProblem,
  type MessageKey,
} from '../../views/index.ts';
import { ADMIN_API_INTROSPECTION_CLIENT } from '../../operators/types.ts';
import { attempt, call, chrome, may, render, seeOther, type ConsoleRequest } from './page.ts';
import { createSecret, showSecret } from './secrets.ts';
import { listPage } from './lists.ts';
import { consolePaths } from './paths.ts';

interface Page<T> {
  items: T[];
  next_cursor: string | null;
}

const ALL = { limit: '200' };

/** What `?done=` after a change says. */
const DONE: Record<string, MessageKey> = {
  enabled: 'console.clients.done.enabled',
  disabled: 'console.clients.done.disabled',
  'tokens-revoked': 'console.clients.done.tokensRevoked',
  'key-revoked': 'console.clients.done.keyRevoked',
  permissions: 'console.clients.done.permissions',
  'mfa-required': 'console.clients.done.mfaRequired',
  'mfa-not-required': 'console.clients.done.mfaNotRequired',
  'redirect-uris': 'console.clients.done.redirectUris',
  'partner-key-added': 'console.clients.done.partnerKeyAdded',
  'partner-key-removed': 'console.clients.done.partnerKeyRemoved',
};

const getClient = (req: ConsoleRequest, clientId: string) => call<ConsoleClient>(req, 'getClient', { params: { client_id: clientId } });

/** GET /console/clients */
export async function clientsPage(req: ConsoleRequest): Promise<void> {
  const list = await listPage<ConsoleClient>(req, 'listClients', consolePaths.clients, []);
  render(req, consoleClientsPage({ ...chrome(req, 'clients'), clients: list.items.map((c) => ({ ...c, href: consolePaths.client(c.client_id) })), next: list.next, first: list.first }));
}

/** Renders one client, with `problem` when a form on it was refused. */
async function showClient(req: ConsoleRequest, clientId: string, problem?: ConsoleProblem): Promise<void> {
  const client = await getClient(req, clientId);
  const [keys, partnerKeys] = await Promise.all([
    client.public ? { items: [] } : call<Page<ConsoleApiKey>>(req, 'listClientKeys', { params: { client_id: clientId }, query: ALL }),
    may(req, 'listPartnerKeys') ? call<Page<ConsolePartnerKey>>(req, 'listPartnerKeys', { params: { client_id: clientId }, query: ALL }) : { items: [] },
  ]);
  // Propusk's own clients (the console, the management API's introspection client) are not changed from here.
  const own = client.kind === 'first-party' || client.client_id === ADMIN_API_INTROSPECTION_CLIENT;
  const manage = (id: string, href: string) => (may(req, id) && !own ? href : undefined);
  const done = typeof req.ctx.query.done === 'string' ? DONE[req.ctx.query.done] : undefined;
  render(
    req,
    consoleClientPage({
      ...chrome(req, 'clients'),
      client,
      keys: keys.items.map((k) => ({ ...k, revokeHref: k.revoked_at ? undefined : manage('revokeClientKey', consolePaths.revokeKey(clientId, k.api_key_id)) })),
      partnerKeys: partnerKeys.items.map((k) => ({ ...k, removeHref: manage('removePartnerKey', consolePaths.removePartnerKey(clientId, k.key_id)) })),
      allPermissions: CLIENT_PERMISSIONS,
      actions: {
        enableAction: client.disabled ? manage('enableClient', consolePaths.clientAction(clientId, 'enable')) : undefined,
        disableHref: client.disabled ? undefined : manage('disableClient', consolePaths.clientAction(clientId, 'disable')),
        revokeTokensHref: manage('revokeClientTokens', consolePaths.clientAction(clientId, 'revoke-tokens')),
        permissionsAction: manage('grantClientPermission', consolePaths.clientAction(clientId, 'permissions')),
        requireMfaAction: manage('updateClient', consolePaths.clientAction(clientId, 'require-mfa')),
        redirectUrisHref: client.grant_types.includes('authorization_code') ? manage('updateClient', consolePaths.clientAction(clientId, 'redirect-uris')) : undefined,
        issueKeyAction: client.public ? undefined : manage('issueClientKey', consolePaths.clientAction(clientId, 'keys')),
        inviteAction: manage('inviteClientOwner', consolePaths.clientAction(clientId, 'invitations')),
        addPartnerKeyAction: manage('addPartnerKey', consolePaths.clientAction(clientId, 'partner-keys')),
      },
      done,
      problem,
      backHref: consolePaths.clients,
    }),
    problem?.status ?? 200,
  );
}

/** GET /console/clients/:clientId */
export const clientPage = (req: ConsoleRequest, p: Record<string, string>): Promise<void> => showClient(req, p.clientId!);

const done = (req: ConsoleRequest, clientId: string, what: string) => seeOther(req, `${consolePaths.client(clientId)}?done=${what}`);

/** POST /console/clients/:clientId/enable */
export async function enableClient(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  await call(req, 'enableClient', { params: { client_id: p.clientId! } });
  done(req, p.clientId!, 'enabled');
}

/** The confirmation pages and POSTs of disabling a client and revoking its tokens. */
const CLIENT_REVOCATIONS = {
  disable: { op: 'disableClient', title: 'console.clients.disableTitle', warning: 'console.clients.disableWarning', confirm: 'console.clients.disable', done: 'disabled' },
  'revoke-tokens': { op: 'revokeClientTokens', title: 'console.clients.revokeTokensTitle', warning: 'console.clients.revokeTokensWarning', confirm: 'console.clients.revokeTokens', done: 'tokens-revoked' },
} as const;

/** GET /console/clients/:clientId/disable|revoke-tokens */
export const clientRevocationPage = (action: keyof typeof CLIENT_REVOCATIONS) => async (req: ConsoleRequest, p: Record<string, string>): Promise<void> => {
  const what = CLIENT_REVOCATIONS[action];
  const client = await getClient(req, p.clientId!);
  const { locale } = req;
  render(
    req,
    confirmPage({
      ...chrome(req, 'clients'),
      title: t(locale, what.title),
      lead: t(locale, 'console.clients.confirmLead', { client: client.name }),
      details: [
        [t(locale, 'console.col.clientId'), client.client_id],
        [t(locale, 'console.col.name'), client.name],
      ],
      warning: t(locale, what.warning),
      action: consolePaths.clientAction(client.client_id, action),
      confirmLabel: t(locale, what.confirm),
      cancelHref: consolePaths.client(client.client_id),
    }),
  );
};

/** POST /console/clients/:clientId/disable|revoke-tokens (`confirm=yes`) */
export const revokeForClient = (action: keyof typeof CLIENT_REVOCATIONS) => async (req: ConsoleRequest, p: Record<string, string>): Promise<void> => {
  const clientId = p.clientId!;
  if (req.form.get('confirm') !== 'yes') return seeOther(req, consolePaths.clientAction(clientId, action));
  await call(req, CLIENT_REVOCATIONS[action].op, { params: { client_id: clientId } });
  done(req, clientId, CLIENT_REVOCATIONS[action].done);
};

/** POST /console/clients/:clientId/permissions (`permission`, `grant=yes|no`) */
export async function setPermission(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const clientId = p.clientId!;
  const op = req.form.get('grant') === 'yes' ? 'grantClientPermission' : 'revokeClientPermission';
  const ok = await attempt(
    req,
    () => call(req, op, { params: { client_id: clientId, permission: req.form.get('permission') ?? '' } }).then(() => undefined),
    (problem) => showClient(req, clientId, problem),
  );
  if (ok) done(req, clientId, 'permissions');
}

/** POST /console/clients/:clientId/require-mfa (`require=yes|no`) */
export async function setRequireMfa(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const clientId = p.clientId!;
  const required = req.form.get('require') === 'yes';
  const ok = await attempt(
    req,
    () => call(req, 'updateClient', { params: { client_id: clientId }, body: { require_mfa: required } }).then(() => undefined),
    (problem) => showClient(req, clientId, problem),
  );
  if (ok) done(req, clientId, required ? 'mfa-required' : 'mfa-not-required');
}

const lines = (value: string | null): string[] => [...new Set((value ?? '').split(/\r?\n/).map((u) => u.trim()).filter(Boolean))];

function showRedirectUris(req: ConsoleRequest, client: ConsoleClient, values: { redirectUris: string; postLogoutUris: string }, problem?: ConsoleProblem): void {
  render(
    req,
    consoleRedirectUrisPage({
      ...chrome(req, 'clients'),
      client,
      ...values,
      action: consolePaths.clientAction(client.client_id, 'redirect-uris'),
      cancelHref: consolePaths.client(client.client_id),
      problem,
    }),
    problem?.status ?? 200,
  );
}

/** GET /console/clients/:clientId/redirect-uris */
export async function redirectUrisPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const client = await getClient(req, p.clientId!);
  showRedirectUris(req, client, { redirectUris: client.redirect_uris.join('\n'), postLogoutUris: client.post_logout_redirect_uris.join('\n') });
}

/** POST /console/clients/:clientId/redirect-uris (`redirect_uris`, `post_logout_redirect_uris`, one per line) */
export async function saveRedirectUris(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const clientId = p.clientId!;
  const values = { redirectUris: req.form.get('redirect_uris') ?? '', postLogoutUris: req.form.get('post_logout_redirect_uris') ?? '' };
  const ok = await attempt(
    req,
    () => call(req, 'updateClient', { params: { client_id: clientId }, body: { redirect_uris: lines(values.redirectUris), post_logout_redirect_uris: lines(values.postLogoutUris) } }).then(() => undefined),
    async (problem) => showRedirectUris(req, await getClient(req, clientId), values, problem),
  );
  if (ok) done(req, clientId, 'redirect-uris');
}

/** POST /console/clients/:clientId/keys (`label` optional): issues the key and sends the browser to the page that shows it once. */
export async function issueKey(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const clientId = p.clientId!;
  const label = (req.form.get('label') ?? '').trim();
  await createSecret(
    req,
    () => call<{ api_key: string; api_key_id: string }>(req, 'issueClientKey', { params: { client_id: clientId }, body: label ? { label } : {} }),
    (problem) => showClient(req, clientId, problem),
    (issued) => ({ page: consolePaths.issuedKey(clientId, issued.api_key_id), secret: issued.api_key, values: { label: label || null } }),
  );
}

/** GET /console/clients/:clientId/keys/:keyId — the new key, shown while its one-time cookie lasts. */
export function issuedKeyPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, keyId } = p as { clientId: string; keyId: string };
  const { locale } = req;
  return showSecret(req, { page: consolePaths.issuedKey(clientId, keyId), backHref: consolePaths.client(clientId), section: 'clients' }, (kept) => ({
    title: t(locale, 'console.clients.keyIssuedTitle'),
    lead: t(locale, 'console.clients.keyIssuedLead', { client: clientId }),
    secretLabel: t(locale, 'console.clients.apiKey'),
    details: [
      [t(locale, 'console.col.clientId'), clientId],
      [t(locale, 'console.clients.keyId'), keyId],
      [t(locale, 'console.clients.keyLabel'), kept.label ?? t(locale, 'console.none')],
    ],
  }));
}

/** GET /console/clients/:clientId/keys/:keyId/revoke — the confirmation. */
export async function revokeKeyPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, keyId } = p as { clientId: string; keyId: string };
  const [client, keys] = await Promise.all([getClient(req, clientId), call<Page<ConsoleApiKey>>(req, 'listClientKeys', { params: { client_id: clientId }, query: ALL })]);
  const key = keys.items.find((k) => k.api_key_id === keyId && k.revoked_at === null);
  const { locale } = req;
  if (!key) return seeOther(req, consolePaths.client(clientId));
  render(
    req,
    confirmPage({
      ...chrome(req, 'clients'),
      title: t(locale, 'console.clients.revokeKeyTitle'),
      lead: t(locale, 'console.clients.confirmLead', { client: client.name }),
      details: [
        [t(locale, 'console.clients.keyId'), key.api_key_id],
        [t(locale, 'console.clients.keyLabel'), key.label ?? t(locale, 'console.none')],
        [t(locale, 'console.clients.lastUsed'), key.last_used_at ? consoleDate(locale, key.last_used_at) : t(locale, 'console.clients.neverUsed')],
      ],
      warning: t(locale, 'console.clients.revokeKeyWarning'),
      action: consolePaths.revokeKey(clientId, keyId),
      confirmLabel: t(locale, 'console.clients.revokeKey'),
      cancelHref: consolePaths.client(clientId),
    }),
  );
}

/** POST /console/clients/:clientId/keys/:keyId/revoke (`confirm=yes`) */
export async function revokeKey(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, keyId } = p as { clientId: string; keyId: string };
  if (req.form.get('confirm') !== 'yes') return seeOther(req, consolePaths.revokeKey(clientId, keyId));
  await call(req, 'revokeClientKey', { params: { client_id: clientId, key_id: keyId } });
  done(req, clientId, 'key-revoked');
}

/** POST /console/clients/:clientId/invitations (`email` optional): the link is shown once on the next page. */
export async function invite(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const clientId = p.clientId!;
  const email = (req.form.get('email') ?? '').trim();
  await createSecret(
    req,
    () => call<{ invitation_id: string; url: string; expires_at: string }>(req, 'inviteClientOwner', { params: { client_id: clientId }, body: email ? { email } : {} }),
    (problem) => showClient(req, clientId, problem),
    (created) => ({ page: consolePaths.createdInvitation(clientId, created.invitation_id), secret: created.url, values: { email: email || null, expiresAt: created.expires_at } }),
  );
}

/** GET /console/clients/:clientId/invitations/:invitationId — the new link, shown while its one-time cookie lasts. */
export function createdInvitationPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, invitationId } = p as { clientId: string; invitationId: string };
  const { locale } = req;
  return showSecret(req, { page: consolePaths.createdInvitation(clientId, invitationId), backHref: consolePaths.client(clientId), section: 'clients' }, (kept) => ({
    title: t(locale, 'console.clients.invitationTitle'),
    lead: t(locale, 'console.clients.invitationLead', { client: clientId }),
    secretLabel: t(locale, 'console.clients.invitationLink'),
    details: [
      [t(locale, 'console.clients.inviteEmail'), kept.email ?? t(locale, 'console.clients.anyAccount')],
      [t(locale, 'console.clients.expires'), consoleDate(locale, kept.expiresAt)],
    ],
  }));
}

/** POST /console/clients/:clientId/partner-keys (`key`: PEM, JWK or JWKS) */
export async function addPartnerKey(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const clientId = p.clientId!;
  const ok = await attempt(
    req,
    () => call(req, 'addPartnerKey', { params: { client_id: clientId }, body: { key: (req.form.get('key') ?? '').trim() } }).then(() => undefined),
    (problem) => showClient(req, clientId, problem),
  );
  if (ok) done(req, clientId, 'partner-key-added');
}

/** GET /console/clients/:clientId/partner-keys/:keyId/remove — the confirmation. */
export async function removePartnerKeyPage(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, keyId } = p as { clientId: string; keyId: string };
  const [client, keys] = await Promise.all([getClient(req, clientId), call<Page<ConsolePartnerKey>>(req, 'listPartnerKeys', { params: { client_id: clientId }, query: ALL })]);
  const key = keys.items.find((k) => k.key_id === keyId);
  if (!key) return seeOther(req, consolePaths.client(clientId));
  const { locale } = req;
  render(
    req,
    confirmPage({
      ...chrome(req, 'clients'),
      title: t(locale, 'console.clients.removePartnerKeyTitle'),
      lead: t(locale, 'console.clients.confirmLead', { client: client.name }),
      details: [
        [t(locale, 'console.clients.kid'), key.kid],
        [t(locale, 'console.clients.keySource'), key.source],
      ],
      warning: t(locale, 'console.clients.removePartnerKeyWarning'),
      action: consolePaths.removePartnerKey(clientId, keyId),
      confirmLabel: t(locale, 'console.clients.removePartnerKey'),
      cancelHref: consolePaths.client(clientId),
    }),
  );
}

/** POST /console/clients/:clientId/partner-keys/:keyId/remove (`confirm=yes`) */
export async function removePartnerKey(req: ConsoleRequest, p: Record<string, string>): Promise<void> {
  const { clientId, keyId } = p as { clientId: string; keyId: string };
  if (req.form.get('confirm') !== 'yes') return seeOther(req, consolePaths.removePartnerKey(clientId, keyId));
  await call(req, 'removePartnerKey', { params: { client_id: clientId, key_id: keyId } });
  done(req, clientId, 'partner-key-removed');
}
