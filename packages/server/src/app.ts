/**
 * buildApp(context): the provider (a Koa app) with our middleware and routers in front of it.
 * Order: request id → access log → security headers → error handler → body limit → our routes → oidc-provider.
 */
import type Provider from 'oidc-provider';
import type { AppContext } from './context.ts';
import { createProvider } from './provider/index.ts';
import { requestId } from './http/request-id.ts';
import { accessLog } from './http/access-log.ts';
import { securityHeaders } from './http/security-headers.ts';
import { errorHandler } from './http/errors.ts';
import { databaseErrors } from './http/database-errors.ts';
import { bodyLimit } from './http/body-limit.ts';
import { healthRoutes } from './http/health.ts';
import { assetRoutes } from './http/assets.ts';
import { interactionRoutes, CsrfTokens } from './interactions/index.ts';
import { authorizePostAsGet } from './provider/authorize-post.ts';
import { logoutWithoutSession } from './provider/logout.ts';
import { unauthorizedClientForDisallowedGrant } from './provider/internals.ts';
import { linkingRoutes } from './linking-api/router.ts';
import { deviceFlowMiddleware } from './http/device-flow.ts';
import { lookupUserCode } from './provider/device.ts';
import { routes } from './provider/routes.ts';

export interface BuiltApp {
  provider: Provider;
  callback(): ReturnType<Provider['callback']>;
}

export async function buildApp(context: AppContext): Promise<BuiltApp> {
  const { config, logger } = context;
  const provider = await createProvider({
    config,
    db: context.db,
    clients: context.clientDirectory,
    resources: context.resourceDirectory,
    accounts: context.repos.accounts,
    keys: context.keys,
    changes: context.repos.changes,
    cookieKeys: config.cookieKeys ?? (await context.keys.cookieKeys()),
    jwks: await context.keys.privateJwks(),
    grants: {
      clients: context.clientDirectory,
      partnerKeys: context.partnerKeyDirectory,
      jti: context.repos.trustedJti,
      links: context.links,
      accounts: context.repos.accounts,
      audit: context.audit,
    },
    onError: (err) => logger.error({ err }, 'provider reload failed'),
  });

  provider.on('server_error', (ctx, err) => logger.error({ err, reqId: ctx.state.requestId, path: ctx.path }, 'server error'));

  provider.use(requestId());
  provider.use(accessLog(logger));
  provider.use(securityHeaders({ https: config.issuer.startsWith('https:') }));
  provider.use(errorHandler(logger));
  provider.use(databaseErrors(logger));
  provider.use(bodyLimit());
  provider.use(unauthorizedClientForDisallowedGrant());
  // Device flow: response finishing, `/device` guessing limits, `/device/qr.svg` (http/device-flow.ts).
  const deviceFlow = deviceFlowMiddleware({
    intervalSeconds: config.devicePollInterval,
    path: routes.code_verification,
    verificationUri: provider.urlFor('code_verification'),
    sessionCookie: provider.cookieName('session'),
    attempts: config.deviceCodeAttempts,
    isPending: async (userCode) => (await lookupUserCode(provider, userCode)).state === 'pending',
  });
  for (const middleware of deviceFlow) provider.use(middleware);
  for (const router of [healthRoutes(context.db), assetRoutes(), linkingRoutes({ clients: context.clientDirectory, links: context.links, audit: context.audit })]) {
    provider.use(router.routes());
    provider.use(router.allowedMethods());
  }
  // Sign-in and consent pages of the authorization code flow (interactions/).
  const interactions = interactionRoutes({
    provider,
    accounts: context.accounts,
    accountRepository: context.repos.accounts,
    resources: context.resourceDirectory,
    audit: context.audit,
    csrf: new CsrfTokens(config.cookieKeys ?? (await context.keys.cookieKeys())),
  });
  provider.use(interactions.routes());
  provider.use(interactions.allowedMethods());
  provider.use(authorizePostAsGet());
  provider.use(logoutWithoutSession(routes.end_session));

  return { provider, callback: () => provider.callback() };
}
