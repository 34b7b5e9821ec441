/**
 * First start on an empty database (development only): a demo user and a demo client with random
 * secrets, printed once with commands to try — among them an authorization URL that works in a
 * browser on this machine (the demo client returns to Propusk's own `/demo/callback` page, which
 * shows the code and how to exchange it), and the commands that issue new secrets if these are
 * missed. Nothing guessable is created; PROPUSK_DEMO=0 turns it off.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GRANT_TYPES, TRUSTED_GRANT } from '../clients/types.ts';
import { routes } from '../provider/routes.ts';
import { validateRedirectUri } from '../clients/validation.ts';
import { DEMO_CLIENT_ID, demoCallbackUri } from './demo-client.ts';

/** `<issuer>/demo/callback` when a client may register it (https, or http on a loopback host), else undefined. */
function demoCallback(issuer: string): string | undefined {
  try {
    return validateRedirectUri(demoCallbackUri(issuer));
  } catch {
    return undefined;
  }
}

/** The demo's authorization request: the code flow for the demo user, back to `/demo/callback`. */
export function demoAuthorizationUrl(issuer: string, state: string): string {
  const query = new URLSearchParams({ client_id: DEMO_CLIENT_ID, response_type: 'code', scope: 'openid profile email', redirect_uri: demoCallbackUri(issuer), state });
  return `${issuer}${routes.authorization}?${query.toString()}`;
}

export async function bootstrapDemo(context: AppContext, out: NodeJS.WritableStream = process.stdout): Promise<boolean> {
  const [accounts, clients, kindOf] = await Promise.all([context.repos.accounts.list({ limit: 1 }), context.clients.list(), context.clients.kinds()]);
  // Empty: no account, and no client but Propusk's own (the console, the APIs' introspection clients).
  if (accounts.length > 0 || clients.some((c) => kindOf(c.clientId) === 'client')) return false;

  const password = randomBytes(12).toString('base64url');
  const user = await context.accounts.create({
    login: `demo-${randomBytes(3).toString('hex')}@example.com`,
    password,
    phone: undefined,
    givenName: 'Демо',
    familyName: 'Пользователь',
    emailVerified: true,
  }, null);
  const issuer = context.config.issuer;
  const callback = demoCallback(issuer);
  const { key } = await context.clients.create({
    clientId: DEMO_CLIENT_ID,
    name: 'Demo application',
    grantTypes: GRANT_TYPES.filter((g) => g !== TRUSTED_GRANT),
    // Propusk's own demo callback page first (the printed URL uses it), then a local application's.
    redirectUris: [...(callback ? [callback] : []), 'http://localhost:8080/callback'],
    postLogoutRedirectUris: ['http://localhost:8080/'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'extern.api', 'extern.test-tools'],
  }, null);
  const rs = await context.clients.issueKey('rs.extern.api', 'demo', null);
  const signIn = callback
    ? `Sign in as the demo user: open this in a browser on this machine (the code comes back to
${callback}, which shows how to exchange it for tokens):
  ${demoAuthorizationUrl(issuer, randomBytes(8).toString('base64url'))}`
    : `(No sign-in link: the issuer ${issuer} is plain http on a host other than localhost or
127.0.0.1, which no redirect URI may use.)`;
  out.write(`
================ Propusk demo data (shown once) ================
Demo user:    ${user.login}
  password:   ${password}
Demo client:  ${key!.client_id}
  api-key:    ${key!.api_key}
Extern API introspection credentials:
  client_id:  ${rs.client_id}
  api-key:    ${rs.api_key}

${signIn}

Try it:
  curl -s ${issuer}/.well-known/openid-configuration
  TOKEN=$(curl -s ${issuer}/connect/token -d grant_type=client_credentials \\
    -d client_id=${key!.client_id} -d client_secret=${key!.api_key} -d scope=extern.api | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s ${issuer}/connect/introspect -u ${rs.client_id}:${rs.api_key} -d token=$TOKEN
  curl -s ${issuer}/connect/revocation -d client_id=${key!.client_id} -d client_secret=${key!.api_key} -d token=$TOKEN
  # device flow from a terminal (open the printed link, sign in as the demo user):
  npx propusk login --issuer ${issuer} --client-id ${key!.client_id} --client-secret ${key!.api_key} --scope "openid email extern.api"
  # your applications and password, as the demo user:
  open ${issuer}/account

Missed these secrets? Issue new ones (from this folder, or with the same DATABASE_URL):
  npx propusk admin client issue-key ${key!.client_id}        # a new api-key for the demo client
  npx propusk admin client issue-key ${rs.client_id}   # new introspection credentials
  npx propusk admin user set-password ${user.login} --password-stdin   # a new password for the demo user
Disable with PROPUSK_DEMO=0. Never used when NODE_ENV=production.
================================================================
`);
  return true;
}
