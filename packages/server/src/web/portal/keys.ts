/**
 * api-keys in the portal. "Issue key" creates the key in its POST and answers 303 to the page that
 * shows it — the only place it ever appears: not stored (only its hash), not logged, not audited,
 * `Cache-Control: no-store`. The key reaches that page in a one-time-secret cookie
 * (web/shared/one-time-secret.ts): a reload or a language switch shows the same key and creates nothing, and
 * once the person leaves the page it cannot be shown again.
 * "Revoke" has a confirmation page; the revocation itself is a POST followed by 303.
 */
import type { Account } from '../../accounts/types.ts';
import { DomainError } from '../../shared/errors.ts';
import { integrationKeyIssuedPage, integrationKeyRevokePage } from '../../views/index.ts';
import { ownedClient } from './access.ts';
import { portalPaths } from './paths.ts';
import { chrome, render, seeOther, type PortalRequest } from './page.ts';
import { clientNotFound, secretGone } from './refusals.ts';

/** Longest key label kept, in characters. */
export const MAX_KEY_LABEL = 100;

/** POST /integrations/clients/:clientId/keys */
export async function issueKey(req: PortalRequest, account: Account, clientId: string): Promise<void> {
  const client = await ownedClient(req, account, clientId);
  if (!client) return;
  if (client.public) return seeOther(req, portalPaths.client(clientId));
  const label = (req.form.get('label') ?? '').trim().slice(0, MAX_KEY_LABEL) || undefined;
  const issued = await req.deps.clients.issueKey(clientId, label, { portalOwner: account.id });
  const page = portalPaths.issuedKey(clientId, issued.api_key_id);
  req.deps.secrets.keep(req.ctx, { page, sid: req.session!.jti, values: { apiKey: issued.api_key, label: label ?? null } });
  seeOther(req, page);
}

/** GET /integrations/clients/:clientId/keys/:keyId — the new key, shown while its one-time cookie lasts. */
export async function issuedKeyPage(req: PortalRequest, account: Account, clientId: string, keyId: string): Promise<void> {
  const client = await ownedClient(req, account, clientId);
  if (!client) return;
  const kept = req.deps.secrets.read(req.ctx, portalPaths.issuedKey(clientId, keyId), req.session?.jti);
  if (!kept?.apiKey) return secretGone(req, portalPaths.client(clientId));
  render(
    req,
    integrationKeyIssuedPage({
      ...chrome(req, account),
      clientId,
      clientName: client.name,
      apiKey: kept.apiKey,
      apiKeyId: keyId,
      label: kept.label ?? null,
      backHref: portalPaths.client(clientId),
    }),
  );
}

/** The active key `keyId` of an owned client, or undefined after rendering 404. */
async function activeKey(req: PortalRequest, account: Account, clientId: string, keyId: string) {
  const client = await ownedClient(req, account, clientId);
  if (!client) return undefined;
  const key = (await req.deps.clients.listKeys(clientId)).find((k) => k.id === keyId && k.revokedAt === null);
  if (!key) return void clientNotFound(req);
  return { client, key };
}

/** GET /integrations/clients/:clientId/keys/:keyId/revoke — the confirmation step. */
export async function revokeKeyPage(req: PortalRequest, account: Account, clientId: string, keyId: string): Promise<void> {
  const found = await activeKey(req, account, clientId, keyId);
  if (!found) return;
  render(
    req,
    integrationKeyRevokePage({
      ...chrome(req, account),
      clientName: found.client.name,
      key: found.key,
      action: portalPaths.revokeKey(clientId, keyId),
      cancelHref: portalPaths.client(clientId),
    }),
  );
}

/** POST /integrations/clients/:clientId/keys/:keyId/revoke (`confirm=yes`) */
export async function revokeKey(req: PortalRequest, account: Account, clientId: string, keyId: string): Promise<void> {
  const found = await activeKey(req, account, clientId, keyId);
  if (!found) return;
  if (req.form.get('confirm') !== 'yes') return seeOther(req, portalPaths.revokeKey(clientId, keyId));
  try {
    await req.deps.clients.revokeKey(clientId, keyId, { portalOwner: account.id });
  } catch (err) {
    if (err instanceof DomainError && err.code === 'ERR_NOT_FOUND') return clientNotFound(req);
    throw err;
  }
  seeOther(req, `${portalPaths.client(clientId)}?done=revoked`);
}
