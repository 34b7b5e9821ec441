/** Owner check of every application route: only an owner sees or changes a client; anyone else gets the same 404 as for a client that does not exist. */
import type { Account } from '../../accounts/types.ts';
import type { Client } from '../../clients/types.ts';
import { DomainError } from '../../shared/errors.ts';
import { clientNotFound } from './refusals.ts';
import type { PortalRequest } from './page.ts';

/** The client when `account` owns it; otherwise renders the 404 page and returns undefined. */
export async function ownedClient(req: PortalRequest, account: Account, clientId: string): Promise<Client | undefined> {
  const client = (await req.deps.integrations.isOwner(clientId, account.id))
    ? await req.deps.clients.get(clientId).catch((err: unknown) => {
        if (err instanceof DomainError && err.code === 'ERR_NOT_FOUND') return undefined;
        throw err;
      })
    : undefined;
  if (!client) clientNotFound(req);
  return client;
}
