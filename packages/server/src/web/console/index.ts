/**
 * The operator console under `/console`: server-rendered pages over the management API's
 * operations, for people with an operator role. Every answer is `no-store` (http/cache-control.ts);
 * every POST is a bounded urlencoded form whose form token (bound to the console session) is
 * checked here, before any handler runs; a successful POST answers 303. Destructive actions have a
 * confirmation page (GET) before their POST; new secrets are shown once on a GET page after their
 * POST (web/shared/one-time-secret.ts).
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import { readForm, FormBodyError } from '../shared/form-body.ts';
import { REFUSALS, formBodyRefusal, refuse } from '../shared/refusal.ts';
import type { SecretScope } from '../shared/one-time-secret.ts';
import { CONSOLE_PATH, consolePaths } from './paths.ts';
import { consoleRequest, csrfValid, openRequest, seeOther, type ConsoleDeps, type ConsoleRequest } from './page.ts';
import { finishSignIn, home, operatorRoute, signOut, startSignIn, type Handler } from './access.ts';
import { rotate, rotatePage, signingKeysPage } from './signing-keys.ts';
import * as clients from './clients.ts';
import { apisPage, createApi, createdApiPage } from './apis.ts';
import * as users from './users.ts';
import { createLink, linksPage, unlink, unlinkPage } from './links.ts';
import { auditExport, auditPage } from './audit.ts';

export type { ConsoleDeps } from './page.ts';
/** Where the console keeps a new secret on its way to the page that shows it once. */
export const CONSOLE_SECRETS: SecretScope = { cookie: 'propusk.console.secret', path: CONSOLE_PATH, purpose: 'propusk console one-time secret v1' };
export { ConsoleCookies } from './session.ts';
export { ConsoleSignIn } from './sign-in.ts';

/** The pages that show a one-time secret. */
const SECRET_PAGE = /^\/console\/(users\/[^/]+\/password-link|clients\/[^/]+\/(keys|invitations)\/[^/]+|apis\/[^/]+\/created)$/;

const anyone =
  (handler: (req: ConsoleRequest) => Promise<void> | void) =>
  async (ctx: Context): Promise<void> => {
    await handler(consoleRequest(ctx));
  };

export function consoleRoutes(deps: ConsoleDeps): Router {
  const router = new Router({ prefix: CONSOLE_PATH });

  router.use(async (ctx, next) => {
    const req = openRequest(ctx, deps);
    ctx.state.console = req;
    // Leaving the page of a one-time secret for any other console page forgets the secret.
    if (ctx.method === 'GET' && !SECRET_PAGE.test(ctx.path)) deps.secrets.forget(ctx);
    if (ctx.method === 'POST') {
      try {
        req.form = await readForm(ctx);
      } catch (err) {
        if (err instanceof FormBodyError) return refuse(ctx, formBodyRefusal(err.status, err.code), { locale: req.locale, homeHref: CONSOLE_PATH });
        throw err;
      }
      // No console session (it ended, or never began): nothing is done; sign in first.
      if (!req.session) return seeOther(req, ctx.path === consolePaths.signOut ? CONSOLE_PATH : consolePaths.signIn);
      if (!csrfValid(req)) return refuse(ctx, REFUSALS.formToken, { locale: req.locale, homeHref: CONSOLE_PATH });
    }
    await next();
  });

  router.get('/', operatorRoute(home));
  router.get('/sign-in', anyone(startSignIn));
  router.get('/callback', anyone(finishSignIn));
  router.post('/sign-out', anyone(signOut));

  const u = (handler: Handler) => operatorRoute(handler, 'users');
  router.get('/users', u(users.usersPage));
  router.get('/users/:id', u(users.userPage));
  router.post('/users/:id/enable', u(users.enableUser));
  router.get('/users/:id/disable', u(users.userRevocationPage('disable')));
  router.post('/users/:id/disable', u(users.revokeForUser('disable')));
  router.get('/users/:id/revoke-tokens', u(users.userRevocationPage('revoke-tokens')));
  router.post('/users/:id/revoke-tokens', u(users.revokeForUser('revoke-tokens')));
  router.get('/users/:id/reset-mfa', u(users.userRevocationPage('reset-mfa')));
  router.post('/users/:id/reset-mfa', u(users.revokeForUser('reset-mfa')));
  router.post('/users/:id/password-link', u(users.issuePasswordLink));
  router.get('/users/:id/password-link', u(users.passwordLinkPage));

  router.get('/links', operatorRoute(linksPage, 'links'));
  router.post('/links', operatorRoute(createLink, 'links'));
  router.get('/links/:clientId/:serviceUserId/remove', operatorRoute(unlinkPage, 'links'));
  router.post('/links/:clientId/:serviceUserId/remove', operatorRoute(unlink, 'links'));

  const c = (handler: Handler) => operatorRoute(handler, 'clients');
  router.get('/clients', c(clients.clientsPage));
  router.get('/clients/:clientId', c(clients.clientPage));
  router.post('/clients/:clientId/enable', c(clients.enableClient));
  router.get('/clients/:clientId/disable', c(clients.clientRevocationPage('disable')));
  router.post('/clients/:clientId/disable', c(clients.revokeForClient('disable')));
  router.get('/clients/:clientId/revoke-tokens', c(clients.clientRevocationPage('revoke-tokens')));
  router.post('/clients/:clientId/revoke-tokens', c(clients.revokeForClient('revoke-tokens')));
  router.post('/clients/:clientId/permissions', c(clients.setPermission));
  router.post('/clients/:clientId/require-mfa', c(clients.setRequireMfa));
  router.get('/clients/:clientId/redirect-uris', c(clients.redirectUrisPage));
  router.post('/clients/:clientId/redirect-uris', c(clients.saveRedirectUris));
  router.post('/clients/:clientId/keys', c(clients.issueKey));
  router.get('/clients/:clientId/keys/:keyId', c(clients.issuedKeyPage));
  router.get('/clients/:clientId/keys/:keyId/revoke', c(clients.revokeKeyPage));
  router.post('/clients/:clientId/keys/:keyId/revoke', c(clients.revokeKey));
  router.post('/clients/:clientId/invitations', c(clients.invite));
  router.get('/clients/:clientId/invitations/:invitationId', c(clients.createdInvitationPage));
  router.post('/clients/:clientId/partner-keys', c(clients.addPartnerKey));
  router.get('/clients/:clientId/partner-keys/:keyId/remove', c(clients.removePartnerKeyPage));
  router.post('/clients/:clientId/partner-keys/:keyId/remove', c(clients.removePartnerKey));

  router.get('/apis', operatorRoute(apisPage, 'apis'));
  router.post('/apis', operatorRoute(createApi, 'apis'));
  router.get('/apis/:scope/created', operatorRoute(createdApiPage, 'apis'));

  router.get('/signing-keys', operatorRoute(signingKeysPage, 'signingKeys'));
  router.get('/signing-keys/rotate', operatorRoute(rotatePage, 'signingKeys'));
  router.post('/signing-keys/rotate', operatorRoute(rotate, 'signingKeys'));

  router.get('/audit', operatorRoute(auditPage, 'audit'));
  router.get('/audit/export', operatorRoute(auditExport, 'audit'));

  return router;
}
