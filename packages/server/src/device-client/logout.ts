/** `propusk logout`: revokes the stored refresh and access tokens at the provider, then deletes them. */
import { discover, client } from './oidc.ts';
import { configDir, deleteCredentials, loadCredentials } from './store.ts';

export async function logout(options: { configDir?: string | undefined }): Promise<'revoked' | 'not_signed_in'> {
  const dir = configDir(options.configDir);
  const creds = loadCredentials(dir);
  if (!creds) return 'not_signed_in';
  const config = await discover(creds.issuer, creds.client_id, creds.client_secret);
  // Revoking the refresh token ends the grant (and its access tokens); the access token too, in case it outlives it.
  if (creds.refresh_token) await client.tokenRevocation(config, creds.refresh_token, { token_type_hint: 'refresh_token' });
  await client.tokenRevocation(config, creds.access_token, { token_type_hint: 'access_token' });
  deleteCredentials(dir);
  return 'revoked';
}
