/** The owner's pages of applications: the list (`/integrations`) and one application (`/integrations/clients/:clientId`). */
import type { Account } from '../../accounts/types.ts';
import type { Client } from '../../clients/types.ts';
import { PERMISSIONS } from '../../clients/types.ts';
import { integrationClientPage, integrationsListPage } from '../../views/index.ts';
import { ownedClient } from './access.ts';
import { PORTAL_PATH, portalPaths } from './paths.ts';
import { chrome, render, type PortalRequest } from './page.ts';

/** GET /integrations */
export async function clientListPage(req: PortalRequest, account: Account): Promise<void> {
  const clients = await req.deps.integrations.listOwnedClients(account.id);
  render(
    req,
    integrationsListPage({
      ...chrome(req, account),
      clients: clients.map((c) => ({ clientId: c.clientId, name: c.name, grantTypes: c.grantTypes, redirectUris: c.redirectUris, href: portalPaths.client(c.clientId) })),
    }),
  );
}

/** Renders the application page of an owned client. */
export async function showClient(req: PortalRequest, account: Account, client: Client, done?: 'revoked' | 'redirectUris'): Promise<void> {
  const keys = client.public ? [] : (await req.deps.clients.listKeys(client.clientId)).filter((k) => k.revokedAt === null);
  const owners = await Promise.all((await req.deps.integrations.ownersOf(client.clientId)).map((o) => req.deps.accountRepository.findById(o.accountId)));
  render(
    req,
    integrationClientPage({
      ...chrome(req, account),
      client,
      allPermissions: PERMISSIONS,
      keys: keys.map((k) => ({ id: k.id, label: k.label, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt, revokeHref: portalPaths.revokeKey(client.clientId, k.id) })),
      owners: owners.flatMap((a) => (a ? [a.login] : [])),
      issueKeyAction: portalPaths.issueKey(client.clientId),
      inviteAction: portalPaths.invite(client.clientId),
      redirectUrisHref: client.grantTypes.includes('authorization_code') ? portalPaths.redirectUris(client.clientId) : undefined,
      backHref: PORTAL_PATH,
      done,
    }),
  );
}

/** GET /integrations/clients/:clientId (`?done=revoked|redirect-uris` after a change) */
export async function clientPage(req: PortalRequest, account: Account, clientId: string): Promise<void> {
  const client = await ownedClient(req, account, clientId);
  if (!client) return;
  const done = req.ctx.query.done === 'revoked' ? 'revoked' : req.ctx.query.done === 'redirect-uris' ? 'redirectUris' : undefined;
  await showClient(req, account, client, done);
}
