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
import { bodyLimit } from './http/body-limit.ts';
import { healthRoutes } from './http/health.ts';
import { assetRoutes } from './http/assets.ts';
import { unauthorizedClientForDisallowedGrant } from './provider/internals.ts';

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
    onError: (err) => logger.error({ err }, 'provider reload failed'),
  });

  provider.on('server_error', (ctx, err) => logger.error({ err, reqId: ctx.state.requestId, path: ctx.path }, 'server error'));

  provider.use(requestId());
  provider.use(accessLog(logger));
  provider.use(securityHeaders({ https: config.issuer.startsWith('https:') }));
  provider.use(errorHandler(logger));
  provider.use(bodyLimit());
  provider.use(unauthorizedClientForDisallowedGrant());
  for (const router of [healthRoutes(context.db), assetRoutes()]) {
    provider.use(router.routes());
    provider.use(router.allowedMethods());
  }

  return { provider, callback: () => provider.callback() };
}
