/**
 * `propusk login`: the device flow from a terminal. Requests a device code, prints the link, the
 * code and a QR code, polls the token endpoint honouring `interval` and `slow_down` (openid-client
 * does both), and stores the tokens for `propusk token`.
 */
import QRCode from 'qrcode';
import { discover, client } from './oidc.ts';
import { configDir, saveCredentials } from './store.ts';

export interface LoginOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  scope: string;
  configDir?: string | undefined;
  qr: boolean;
  out: NodeJS.WritableStream;
  signal: AbortSignal;
}

export class DeviceLoginError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export async function login(o: LoginOptions): Promise<{ file: string; scope: string | undefined }> {
  const config = await discover(o.issuer, o.clientId, o.clientSecret);
  const auth = await client.initiateDeviceAuthorization(config, { scope: o.scope });
  const link = auth.verification_uri_complete ?? auth.verification_uri;
  o.out.write(`\nTo sign in, open ${link}\nand check that the code shown there is ${auth.user_code}\n`);
  if (auth.verification_uri_complete && o.qr) {
    o.out.write(`\nOr scan this QR code with your phone:\n${await QRCode.toString(auth.verification_uri_complete, { type: 'terminal', small: true })}\n`);
  }
  o.out.write(`Waiting for you to confirm (the code expires in ${Math.round(auth.expires_in / 60)} min; Ctrl-C to cancel)…\n`);
  let tokens;
  try {
    tokens = await client.pollDeviceAuthorizationGrant(config, auth, undefined, { signal: o.signal });
  } catch (err) {
    if (o.signal.aborted) throw new DeviceLoginError('cancelled', 'cancelled');
    const code = (err as { error?: string }).error;
    if (code === 'access_denied') throw new DeviceLoginError(code, 'access was refused in the browser');
    if (code === 'expired_token') throw new DeviceLoginError(code, 'the code expired before it was confirmed; run propusk login again');
    throw err;
  }
  const file = saveCredentials(configDir(o.configDir), {
    issuer: o.issuer,
    client_id: o.clientId,
    ...(o.clientSecret ? { client_secret: o.clientSecret } : {}),
    ...(tokens.scope ? { scope: tokens.scope } : {}),
    access_token: tokens.access_token,
    ...(tokens.refresh_token ? { refresh_token: tokens.refresh_token } : {}),
    ...(tokens.id_token ? { id_token: tokens.id_token } : {}),
    expires_at: Math.floor(Date.now() / 1000) + (tokens.expires_in ?? 0),
  });
  o.out.write(`Signed in. Tokens saved to ${file}\n`);
  return { file, scope: tokens.scope };
}
