/**
 * What a starting server makes sure of for the management API and the console:
 * - the API's introspection client `rs.propusk.admin` has an active api-key whose secret this
 *   server knows (an internal secret shared by every instance through the database);
 * - the console's first-party client redirects only to this issuer's `/console/callback`.
 */
import type { AppContext } from '../../context.ts';
import { hashApiKey } from '../../clients/api-keys.ts';
import { newId } from '../../shared/ids.ts';
import { ADMIN_API_INTROSPECTION_CLIENT, CONSOLE_CLIENT_ID } from '../../operators/types.ts';

export const CONSOLE_PATH = '/console';
export const consoleRedirectUri = (issuer: string) => `${issuer}${CONSOLE_PATH}/callback`;
export const consolePostLogoutUri = (issuer: string) => `${issuer}${CONSOLE_PATH}`;

/** The secret of `rs.propusk.admin`, with an active api-key for it (created when missing). */
export async function adminApiCredentials(app: AppContext): Promise<{ clientId: string; clientSecret: string }> {
  const secret = await app.keys.internalSecret('admin-api');
  const hash = hashApiKey(secret);
  const active = await app.repos.apiKeys.activeHashes(ADMIN_API_INTROSPECTION_CLIENT);
  if (!active.some((k) => k.hash === hash)) {
    await app.repos.apiKeys
      .create({ id: newId(), clientId: ADMIN_API_INTROSPECTION_CLIENT, hash, label: 'internal: management API token checks', createdAt: new Date() })
      .catch(async (err: unknown) => {
        // Another instance created it at the same moment (the hash is unique).
        if (!(await app.repos.apiKeys.activeHashes(ADMIN_API_INTROSPECTION_CLIENT)).some((k) => k.hash === hash)) throw err;
      });
    await app.repos.changes.publish('client', ADMIN_API_INTROSPECTION_CLIENT);
  }
  return { clientId: ADMIN_API_INTROSPECTION_CLIENT, clientSecret: secret };
}

/** Points the console client's redirect URIs at this issuer (every instance of one deployment writes the same). */
export async function ensureConsoleClient(app: AppContext): Promise<void> {
  const client = await app.repos.clients.find(CONSOLE_CLIENT_ID);
  if (!client) return;
  const redirectUris = [consoleRedirectUri(app.config.issuer)];
  const postLogoutRedirectUris = [consolePostLogoutUri(app.config.issuer)];
  if (JSON.stringify(client.redirectUris) === JSON.stringify(redirectUris) && JSON.stringify(client.postLogoutRedirectUris) === JSON.stringify(postLogoutRedirectUris)) return;
  await app.repos.clients.update(CONSOLE_CLIENT_ID, { redirectUris, postLogoutRedirectUris });
  await app.repos.changes.publish('client', CONSOLE_CLIENT_ID);
}
