/**
 * buildApp(context): the provider (a Koa app) with our middleware and routers in front of it.
 * Order: issuer origin → canonical path → request id → metrics → access log → security headers → no-store → error handler →
 * database errors → body limit → one dispatcher on the path's first segment (oidc-provider's
 * endpoints with our adjustments, or one of our routers) → oidc-provider.
 */
import type { BrowserSessions } from './web/shared/browser-session.ts';
import type { FormTokens } from './web/shared/form-tokens.ts';
import type { SecondStepServices } from './web/shared/second-step-flow.ts';
import type Provider from 'oidc-provider';
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppContext } from './context.ts';
import { createProvider } from './provider/index.ts';
import { requestId } from './http/request-id.ts';
import { canonicalPath } from './http/canonical-path.ts';
import { pinIssuerOrigin } from './http/issuer-origin.ts';
import { routeTemplates } from './http/route-templates.ts';
import { accessLog, loggedPath } from './http/access-log.ts';
import { securityHeaders } from './http/security-headers.ts';
import { errorHandler, logUnhandledErrors } from './http/errors.ts';
import { databaseErrors } from './http/database-errors.ts';
import { bodyLimit } from './http/body-limit.ts';
import { healthRoutes } from './http/health.ts';
import { assetRoutes } from './http/assets.ts';
import { authorizePostAsGet } from './provider/authorize-post.ts';
import { logoutWithoutSession } from './provider/logout.ts';
import { accountSwitchPageOnResume } from './provider/account-switch.ts';
import { challengeClientAuthFailures, unauthorizedClientForDisallowedGrant } from './provider/seam/error-rewrites.ts';
import { linkingRoutes, LINKING_PATH } from './web/linking/router.ts';
import { deviceFlowMiddleware } from './web/device/flow.ts';
import { lookupUserCode } from './web/device/pages.ts';
import { routes } from './provider/routes.ts';
import { PreparedAnswers, DISCOVERY_PATH } from './provider/discovery-cache.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PORTAL_PATH } from './web/portal/paths.ts';
import { CONSOLE_PATH, ensureConsoleClient } from './web/admin-api/setup.ts';
import type { VerifierSource } from './web/admin-api/verifier.ts';

/** The management API's first segment (web/admin-api/). */
const ADMIN_PATH = '/admin';
import { ACCOUNT_PATH } from './web/account/deps.ts';
import { requestMetrics, metricsRoute, METRICS_PATH } from './http/metrics.ts';
import { dispatchByPrefix, lazyPart } from './http/dispatch.ts';
import { noStoreByDefault } from './http/cache-control.ts';
import { challengeFormSignIns } from './http/form-challenge.ts';
import { recordProviderEvents } from './provider/events.ts';
import { limitTokenRequests } from './provider/token-rate-limit.ts';
import { keepPageOfUnsavedSession } from './provider/seam/unsaved-session.ts';
import { resumeWithoutQuery } from './provider/seam/resume-query.ts';
import { SUPPORTED_GRANTS } from './provider/index.ts';
import { grantedScopeInTokenResponse } from './provider/token-response-scope.ts';

export interface BuiltApp {
  provider: Provider;
  /** The node:http request handler: discovery and JWKS from prepared bytes, everything else through the middleware chain. */
  callback(): (req: IncomingMessage, res: ServerResponse) => void;
}

export async function buildApp(context: AppContext): Promise<BuiltApp> {
  const { config, logger } = context;
  const cookieKeys = config.cookieKeys ?? (await context.keys.cookieKeys());
  // The console's client redirects to this issuer only (web/admin-api/setup.ts).
  await ensureConsoleClient(context);
  // Discovery and JWKS answered from prepared bytes until the keys or the API resources change (provider/discovery-cache.ts).
  const discovery = new PreparedAnswers([DISCOVERY_PATH, routes.jwks], { metrics: context.metrics, logger });
  const provider = await createProvider({
    config,
    db: context.db,
    clients: context.clientDirectory,
    resources: context.resourceDirectory,
    accounts: context.repos.accounts,
    keys: context.keys,
    changes: context.repos.changes,
    cookieKeys,
    jwks: await context.keys.privateJwks(),
    grants: {
      clients: context.clientDirectory,
      partnerKeys: context.partnerKeyDirectory,
      jti: context.repos.trustedJti,
      links: context.links,
      accounts: context.repos.accounts,
      audit: context.audit,
    },
    consents: context.consents,
    onError: (err) => logger.error({ err }, 'provider reload failed'),
    onReloaded: () => discovery.clear(),
    onSignature: (alg, seconds) => context.metrics.signatureDuration.observe({ alg }, seconds),
  });

  // What escapes the middleware, and streamed answers cut short (http/errors.ts).
  logUnhandledErrors(provider, logger);
  provider.on('server_error', (ctx, err) => logger.error({ err, reqId: ctx.state.requestId, path: loggedPath(ctx.path) }, 'server error'));
  // Client IPs (rate limits, audit): with PROPUSK_TRUST_PROXY, the X-Forwarded-For entry added by the outermost trusted proxy.
  if (config.trustProxy) provider.maxIpsCount = config.trustProxyHops;
  // Audit records and metrics from oidc-provider's events (provider/events.ts).
  recordProviderEvents(provider, { audit: context.audit, metrics: context.metrics, logger, grantTypes: SUPPORTED_GRANTS });
  const tokenRate = context.limits.tokenRate;
  if (tokenRate) {
    limitTokenRequests(provider, {
      limiter: tokenRate,
      grantTypes: SUPPORTED_GRANTS,
      onLimited: () => context.metrics.rateLimitHits.inc({ limit: 'token_client' }),
      onError: (err) => logger.warn({ err }, 'token rate limit store failed; request served'),
    });
  }

  // Every request: request id → metrics → access log → security headers → no-store → error handler
  // → database errors → body limit.
  // Before anything builds a URL: the request's origin is the issuer's, whatever Host says (http/issuer-origin.ts).
  pinIssuerOrigin(provider, config.issuer);
  // Before anything looks at the path: one spelling of it (http/canonical-path.ts).
  provider.use(canonicalPath(routeTemplates()));
  provider.use(requestId());
  provider.use(requestMetrics(context.metrics));
  provider.use(accessLog(logger));
  provider.use(securityHeaders({ https: config.issuer.startsWith('https:') }));
  provider.use(noStoreByDefault());
  provider.use(challengeFormSignIns(config.issuer));
  provider.use(errorHandler(logger));
  provider.use(databaseErrors(logger));
  provider.use(bodyLimit());

  // Device flow: response finishing, `/device` guessing limits, `/device/qr.svg` (web/device/flow.ts).
  const deviceFlow = deviceFlowMiddleware({
    intervalSeconds: config.devicePollInterval,
    path: routes.code_verification,
    verificationUri: provider.urlFor('code_verification'),
    sessionCookie: provider.cookieName('session'),
    attempts: config.deviceCodeAttempts,
    isPending: async (userCode) => (await lookupUserCode(provider, userCode)).state === 'pending',
    createLimiter: context.limits.attempts,
  });
  const health = healthRoutes(context.db);
  const mounted = (router: Router) => [router.routes(), router.allowedMethods()] as Middleware[];
  // The page routers are imported and built on their first request (http/dispatch.ts lazyPart):
  // an instance that only serves tokens never loads them (~4 MiB of memory, and start-up time).
  // What every page shares (web/shared/): one browser session, one form-token module.
  let shared: Promise<{ sessions: BrowserSessions; formTokens: FormTokens; secondFactor: SecondStepServices }> | undefined;
  const webShared = () =>
    (shared ??= Promise.all([import('./web/shared/browser-session.ts'), import('./web/shared/form-tokens.ts'), import('./web/shared/second-step.ts')]).then(([s, f, m]) => ({
      sessions: new s.BrowserSessions(provider, context.repos.accounts, config.ttl.session),
      formTokens: new f.FormTokens(cookieKeys),
      secondFactor: {
        factors: context.secondFactors,
        secondStep: context.secondStep,
        policy: context.secondFactorPolicy,
        pendings: new m.PendingSignIns(cookieKeys),
        ceremonies: new m.WebAuthnCeremonies(cookieKeys, context.repos.trustedJti),
        accounts: context.repos.accounts,
      },
    })));
  // Which authorization requests need a second factor (provider/second-factor.ts).
  const requirement = { clients: context.clientDirectory, operatorsRequireMfa: config.operatorsRequireMfa };
  // Sign-in and consent pages of the authorization code flow (web/interactions/).
  const interactions = lazyPart(async () => {
    const [{ interactionRoutes }, { formTokens, secondFactor }] = await Promise.all([import('./web/interactions/index.ts'), webShared()]);
    return mounted(
      interactionRoutes({
        provider,
        accounts: context.accounts,
        accountRepository: context.repos.accounts,
        resources: context.resourceDirectory,
        audit: context.audit,
        formTokens,
        passwordSignIn: context.passwordSignIn,
        consents: context.consents,
        secondFactor,
        requirement,
        recoveryAvailable: context.passwordRecovery.available,
      }),
    );
  });
  // End-user self-service (web/account/): applications with access, password change, sign out everywhere, set-password links.
  const account = lazyPart(async () => {
    const [{ accountRoutes }, { PASSWORD_LINK_GUESSES }, { sessions, formTokens, secondFactor }, { OneTimeSecrets, ACCOUNT_SECRETS }, { RecentPasswords }] = await Promise.all([
      import('./web/account/index.ts'),
      import('./web/account/password-link.ts'),
      webShared(),
      import('./web/shared/one-time-secret.ts'),
      import('./web/account/recent-passwords.ts'),
    ]);
    return mounted(
      accountRoutes({
        accounts: context.accounts,
        accountRepository: context.repos.accounts,
        clients: context.clients,
        resources: context.resourceDirectory,
        revocation: context.revocation,
        audit: context.audit,
        sessions,
        formTokens,
        passwordSignIn: context.passwordSignIn,
        passwordLinks: context.passwordLinks,
        passwordLinkGuesses: context.limits.attempts(PASSWORD_LINK_GUESSES),
        secondFactor,
        secrets: new OneTimeSecrets(cookieKeys, ACCOUNT_SECRETS),
        recentPasswords: new RecentPasswords(cookieKeys),
        recovery: context.passwordRecovery,
        passwordLinkTtlSeconds: config.ttl.passwordLink,
      }),
    );
  });
  // Integrator portal (/integrations): invitation links, api-key self-service, redirect URIs (web/portal/).
  const portal = lazyPart(async () => {
    const [{ integrationRoutes, OneTimeSecrets }, { sessions, formTokens, secondFactor }] = await Promise.all([import('./web/portal/index.ts'), webShared()]);
    return mounted(
      integrationRoutes({
        issuer: config.issuer,
        accounts: context.accounts,
        accountRepository: context.repos.accounts,
        clients: context.clients,
        integrations: context.integrations,
        audit: context.audit,
        sessions,
        secrets: new OneTimeSecrets(cookieKeys),
        formTokens,
        passwordSignIn: context.passwordSignIn,
        secondFactor,
        recoveryAvailable: context.passwordRecovery.available,
      }),
    );
  });
  // The management API's token verifier, one for the API and the console (web/admin-api/verifier.ts), built on first use.
  let verifier: Promise<VerifierSource> | undefined;
  const adminVerifier = () => (verifier ??= import('./web/admin-api/verifier.ts').then((m) => m.adminApiVerifier(context, provider.callback())));
  // Management API (/admin/api/v1): everything the admin CLI does, over HTTP with roles (web/admin-api/).
  const adminApi = lazyPart(async () => {
    const [{ adminApiRoutes }, source] = await Promise.all([import('./web/admin-api/router.ts'), adminVerifier()]);
    return adminApiRoutes(context, { verifier: source });
  });
  // Operator console (/console): pages over the management API's operations, signed in through Propusk itself (web/console/).
  const operatorConsole = lazyPart(async () => {
    const [c, { ADMIN_OPERATIONS }, { OneTimeSecrets }, source, { formTokens }] = await Promise.all([
      import('./web/console/index.ts'),
      import('./web/admin-api/operations/index.ts'),
      import('./web/shared/one-time-secret.ts'),
      adminVerifier(),
      webShared(),
    ]);
    return mounted(
      c.consoleRoutes({
        app: context,
        verifier: source,
        cookies: new c.ConsoleCookies(cookieKeys),
        signIn: new c.ConsoleSignIn(config.issuer, provider.callback(), config.operatorsRequireMfa),
        secrets: new OneTimeSecrets(cookieKeys, c.CONSOLE_SECRETS),
        formTokens,
        operations: ADMIN_OPERATIONS,
      }),
    );
  });
  // Where the demo client's authorization requests return, while the demo client exists (web/demo/).
  const demo = lazyPart(async () => {
    const { demoRoutes } = await import('./web/demo/router.ts');
    return mounted(demoRoutes({ issuer: config.issuer, tokenEndpoint: `${config.issuer}${routes.token}`, clients: context.clientDirectory }));
  });
  // oidc-provider's session pages: keep a rendered 4xx page whose new session could not be saved.
  const unsavedSession = keepPageOfUnsavedSession();

  // Then by the first segment of the path (http/dispatch.ts): each request passes through its own
  // part's middleware only; what that does not answer goes on to oidc-provider.
  provider.use(
    dispatchByPrefix(
      {
        // oidc-provider's endpoints (provider/routes.ts), with our adjustments.
        '/connect': [
          // Every client authentication failure is 401 invalid_client with a challenge (provider/seam/error-rewrites.ts).
          challengeClientAuthFailures(config.issuer, new Set([routes.token, routes.introspection, routes.revocation, routes.device_authorization])),
          unauthorizedClientForDisallowedGrant(),
          grantedScopeInTokenResponse(),
          unsavedSession,
          resumeWithoutQuery(),
          accountSwitchPageOnResume(context.repos.accounts),
          deviceFlow.authorizationResponse,
          authorizePostAsGet(),
          logoutWithoutSession(routes.end_session),
        ],
        // Discovery and JWKS: ETag, Cache-Control, 304, and the answer the fast path keeps (provider/discovery-cache.ts).
        '/.well-known': [discovery.middleware()],
        [routes.code_verification]: [unsavedSession, ...deviceFlow.verificationPage],
        // Our own pages and APIs.
        '/healthz': mounted(health),
        '/readyz': mounted(health),
        [METRICS_PATH]: [metricsRoute(context.metrics, { token: config.metricsToken })],
        '/assets': mounted(assetRoutes()),
        [LINKING_PATH]: mounted(linkingRoutes({ clients: context.clientDirectory, links: context.links, audit: context.audit })),
        '/interaction': [interactions],
        [ACCOUNT_PATH]: [account],
        [PORTAL_PATH]: [portal],
        [ADMIN_PATH]: [adminApi],
        [CONSOLE_PATH]: [operatorConsole],
        '/demo': [demo],
      },
      // oidc-provider serves nothing else: it answers 404.
      { otherwise: [], implementedMethods: health.methods },
    ),
  );

  return {
    provider,
    callback: () => {
      const chain = provider.callback();
      return (req, res) => {
        if (!discovery.handle(req, res)) void chain(req, res);
      };
    },
  };
}
