/** `propusk token`: prints a valid access token, refreshing it (and saving the rotated refresh token) when it has expired. */
import { discover, client } from './oidc.ts';
import { configDir, loadCredentials, saveCredentials } from './store.ts';
import { DeviceLoginError } from './login.ts';
import type { Say } from './messages.ts';

/** A token this close to expiry is refreshed first. */
const SKEW_SECONDS = 30;

export async function currentToken(options: { configDir?: string | undefined; now?: number; say: Say }): Promise<string> {
  const dir = configDir(options.configDir);
  const creds = loadCredentials(dir);
  if (!creds) throw new DeviceLoginError('not_signed_in', options.say('cli.error.notSignedIn'));
  const now = options.now ?? Math.floor(Date.now() / 1000);
  if (creds.expires_at - SKEW_SECONDS > now) return creds.access_token;
  if (!creds.refresh_token) throw new DeviceLoginError('expired', options.say('cli.error.expiredNoRefresh'));
  const config = await discover(creds.issuer, creds.client_id, creds.client_secret);
  let tokens;
  try {
    tokens = await client.refreshTokenGrant(config, creds.refresh_token);
  } catch (err) {
    if ((err as { error?: string }).error === 'invalid_grant') throw new DeviceLoginError('invalid_grant', options.say('cli.error.sessionEnded'));
    throw err;
  }
  saveCredentials(dir, {
    ...creds,
    access_token: tokens.access_token,
    refresh_token: tokens.refresh_token ?? creds.refresh_token,
    ...(tokens.id_token ? { id_token: tokens.id_token } : {}),
    expires_at: now + (tokens.expires_in ?? 0),
  });
  return tokens.access_token;
}
