/**
 * `propusk login`: the device flow from a terminal. Requests a device code, prints the code
 * (`ABCD-EFGH`, as the pages show it), the link and a QR code; in an interactive terminal offers to
 * open the link in the browser on Enter while it already polls the token endpoint (honouring
 * `interval` and `slow_down`: openid-client does both); stores the tokens for `propusk token` and
 * ends with one line naming the provider and the account.
 */
import QRCode from 'qrcode';
import { discover, client } from './oidc.ts';
import { configDir, saveCredentials } from './store.ts';
import { formatUserCode } from '../views/user-code.ts';
import type { Say } from './messages.ts';

export interface LoginOptions {
  issuer: string;
  clientId: string;
  clientSecret?: string | undefined;
  scope: string;
  configDir?: string | undefined;
  qr: boolean;
  out: NodeJS.WritableStream;
  say: Say;
  signal: AbortSignal;
  /** In an interactive terminal with a browser to open: Enter on `input` calls `open` with the link. */
  browser?: { input: NodeJS.ReadableStream; open(url: string): Promise<void> } | undefined;
}

export class DeviceLoginError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** The most human name of the signed-in account the ID token gives: login, email, phone, name, else the subject. */
export function accountName(claims: Record<string, unknown> | undefined): string | undefined {
  if (!claims) return undefined;
  for (const name of ['preferred_username', 'email', 'phone_number', 'name', 'sub']) {
    const value = claims[name];
    if (typeof value === 'string' && value.trim()) return value;
  }
  return undefined;
}

/** Waits for Enter on `input` (once) and opens the link; returns the function that stops waiting. */
function offerBrowser(o: LoginOptions, url: string): () => void {
  const browser = o.browser!;
  o.out.write(`\n${o.say('cli.login.pressEnter')}\n`);
  const onData = (chunk: Buffer | string) => {
    if (!/[\r\n]/.test(chunk.toString())) return;
    stop();
    browser.open(url).catch((err: Error) => o.out.write(`${o.say('cli.login.browserFailed', { reason: err.message })}\n`));
  };
  const stop = () => {
    browser.input.off('data', onData);
    browser.input.pause();
  };
  browser.input.on('data', onData);
  browser.input.resume();
  return stop;
}

export async function login(o: LoginOptions): Promise<{ file: string; scope: string | undefined; account: string | undefined }> {
  const config = await discover(o.issuer, o.clientId, o.clientSecret);
  const auth = await client.initiateDeviceAuthorization(config, { scope: o.scope });
  const link = auth.verification_uri_complete ?? auth.verification_uri;
  o.out.write(`\n${o.say('cli.login.code', { code: formatUserCode(auth.user_code) })}\n${o.say('cli.login.open', { url: link })}\n`);
  if (auth.verification_uri_complete) o.out.write(`${o.say('cli.login.manual', { url: auth.verification_uri })}\n`);
  if (auth.verification_uri_complete && o.qr) {
    o.out.write(`\n${o.say('cli.login.qr')}\n${await QRCode.toString(auth.verification_uri_complete, { type: 'terminal', small: true })}`);
  }
  const stopOffer = o.browser ? offerBrowser(o, link) : () => undefined;
  o.out.write(`${o.say('cli.login.waiting', { minutes: Math.round(auth.expires_in / 60) })}\n`);
  let tokens;
  try {
    tokens = await client.pollDeviceAuthorizationGrant(config, auth, undefined, { signal: o.signal });
  } catch (err) {
    if (o.signal.aborted) throw new DeviceLoginError('cancelled', o.say('cli.error.cancelled'));
    const code = (err as { error?: string }).error;
    if (code === 'access_denied') throw new DeviceLoginError(code, o.say('cli.error.denied'));
    if (code === 'expired_token') throw new DeviceLoginError(code, o.say('cli.error.expired'));
    throw err;
  } finally {
    stopOffer();
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
  const account = accountName(tokens.claims());
  const issuer = config.serverMetadata().issuer;
  o.out.write(`${o.say('cli.login.saved', { file })}\n`);
  o.out.write(`${account ? o.say('cli.login.done', { issuer, account }) : o.say('cli.login.doneNoAccount', { issuer })}\n`);
  return { file, scope: tokens.scope, account };
}
