/**
 * Editing an application's redirect URIs (authorization_code clients only): https, or http on
 * localhost/127.0.0.1 for development — ClientService.setRedirectUris decides and publishes the
 * change, so authorize and token use the new list at once. A refused list is shown again with a
 * localized message naming the first offending URI.
 */
import type { Account } from '../../accounts/types.ts';
import type { Client } from '../../clients/types.ts';
import { MAX_REDIRECT_URIS, validateRedirectUri } from '../../clients/validation.ts';
import { DomainError } from '../../shared/errors.ts';
import { integrationRedirectUrisPage, t } from '../../views/index.ts';
import { ownedClient } from './access.ts';
import { portalPaths } from './paths.ts';
import { chrome, render, seeOther, type PortalRequest } from './page.ts';
import { clientNotFound } from './refusals.ts';

function show(req: PortalRequest, account: Account, client: Client, value: string, error?: string): void {
  render(
    req,
    integrationRedirectUrisPage({
      ...chrome(req, account),
      clientName: client.name,
      value,
      error,
      action: portalPaths.redirectUris(client.clientId),
      cancelHref: portalPaths.client(client.clientId),
    }),
    error ? 400 : 200,
  );
}

/** The localized reason a list is refused, or undefined when every URI passes. */
function refusal(req: PortalRequest, client: Client, uris: string[]): string | undefined {
  if (uris.length === 0) return t(req.locale, 'integrations.redirectUris.errorEmpty');
  if (uris.length > MAX_REDIRECT_URIS) return t(req.locale, 'integrations.redirectUris.errorTooMany', { max: MAX_REDIRECT_URIS });
  for (const uri of uris) {
    try {
      validateRedirectUri(uri, 'redirect URI', client.applicationType);
    } catch {
      return t(req.locale, 'integrations.redirectUris.errorInvalid', { uri: uri.length > 200 ? `${uri.slice(0, 200)}…` : uri });
    }
  }
  return undefined;
}

async function editable(req: PortalRequest, account: Account, clientId: string): Promise<Client | undefined> {
  const client = await ownedClient(req, account, clientId);
  if (client && !client.grantTypes.includes('authorization_code')) return void clientNotFound(req);
  return client;
}

/** GET /integrations/clients/:clientId/redirect-uris */
export async function redirectUrisPage(req: PortalRequest, account: Account, clientId: string): Promise<void> {
  const client = await editable(req, account, clientId);
  if (client) show(req, account, client, client.redirectUris.join('\n'));
}

/** POST /integrations/clients/:clientId/redirect-uris (`redirect_uris`, one per line) */
export async function saveRedirectUris(req: PortalRequest, account: Account, clientId: string): Promise<void> {
  const client = await editable(req, account, clientId);
  if (!client) return;
  const value = req.form.get('redirect_uris') ?? '';
  const uris = [...new Set(value.split(/\r?\n/).map((u) => u.trim()).filter(Boolean))];
  const error = refusal(req, client, uris);
  if (error) return show(req, account, client, value, error);
  try {
    await req.deps.clients.setRedirectUris(clientId, uris, { portalOwner: account.id });
  } catch (err) {
    if (err instanceof DomainError && err.code === 'ERR_INVALID') return show(req, account, client, value, t(req.locale, 'integrations.redirectUris.errorInvalid', { uri: uris[0] ?? '' }));
    throw err;
  }
  seeOther(req, `${portalPaths.client(clientId)}?done=redirect-uris`);
}
