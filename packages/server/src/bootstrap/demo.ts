/**
 * First start on an empty database (development only): a demo user and a demo client with random
 * secrets, printed once with commands to try. Nothing guessable is created; PROPUSK_DEMO=0 turns it off.
 */
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../context.ts';
import { GRANT_TYPES, TRUSTED_GRANT } from '../clients/types.ts';

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
  const { key } = await context.clients.create({
    clientId: 'demo.app',
    name: 'Demo application',
    grantTypes: GRANT_TYPES.filter((g) => g !== TRUSTED_GRANT),
    redirectUris: ['http://localhost:8080/callback'],
    postLogoutRedirectUris: ['http://localhost:8080/'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'extern.api', 'extern.test-tools'],
  }, null);
  const rs = await context.clients.issueKey('rs.extern.api', 'demo', null);
  const issuer = context.config.issuer;
  out.write(`
================ Propusk demo data (shown once) ================
Demo user:    ${user.login}
  password:   ${password}
Demo client:  ${key!.client_id}
  api-key:    ${key!.api_key}
Extern API introspection credentials:
  client_id:  ${rs.client_id}
  api-key:    ${rs.api_key}

Try it:
  curl -s ${issuer}/.well-known/openid-configuration
  TOKEN=$(curl -s ${issuer}/connect/token -d grant_type=client_credentials \\
    -d client_id=${key!.client_id} -d client_secret=${key!.api_key} -d scope=extern.api | sed 's/.*"access_token":"\\([^"]*\\)".*/\\1/')
  curl -s ${issuer}/connect/introspect -u ${rs.client_id}:${rs.api_key} -d token=$TOKEN
  curl -s ${issuer}/connect/revocation -d client_id=${key!.client_id} -d client_secret=${key!.api_key} -d token=$TOKEN
  # device flow from a terminal (open the printed link, sign in as the demo user):
  npx propusk login --issuer ${issuer} --client-id ${key!.client_id} --client-secret ${key!.api_key}
  # your applications and password, as the demo user:
  open ${issuer}/account
Disable with PROPUSK_DEMO=0. Never used when NODE_ENV=production.
================================================================
`);
  return true;
}
