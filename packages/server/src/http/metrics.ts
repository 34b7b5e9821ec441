/**
 * Request metrics and `GET /metrics` (Prometheus text format).
 * - `requestMetrics`: counts every request by route template, method and status, and its latency.
 *   Routes are named after their template (`/connect/token`, `/interaction/:uid`, `/device/:uid`),
 *   anything else is `unmatched`, so no code, uid or token ever becomes a label.
 * - `metricsRoute`: with `PROPUSK_METRICS_TOKEN` set, requires `Authorization: Bearer <token>`;
 *   unset, answers only connections from the loopback interface that carry no forwarding headers
 *   (so a reverse proxy on the same host does not expose it).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Metrics } from '../metrics/index.ts';
import { routes } from '../provider/routes.ts';
import { stylesheetPath, scriptPath } from '../views/index.ts';
import { sendError } from './errors.ts';

export const METRICS_PATH = '/metrics';

/** oidc-provider route names whose path is not in `routes`. */
const OIDC_ROUTE_PATHS: Record<string, string> = {
  ...routes,
  discovery: '/.well-known/openid-configuration',
  resume: `${routes.authorization}/:uid`,
  device_resume: `${routes.code_verification}/:uid`,
  end_session_confirm: `${routes.end_session}/confirm`,
  end_session_success: `${routes.end_session}/success`,
};

/** Paths served by middleware rather than a router (they have no template to report). */
const STATIC_PATHS = new Set<string>([
  ...Object.values(OIDC_ROUTE_PATHS).filter((p) => !p.includes(':')),
  `${routes.code_verification}/qr.svg`,
  '/healthz',
  '/readyz',
  METRICS_PATH,
  stylesheetPath,
  scriptPath,
]);

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** The route template of a finished request. */
export function routeLabel(ctx: Context): string {
  const oidcRoute = (ctx as { oidc?: { route?: string } }).oidc?.route;
  if (oidcRoute) return OIDC_ROUTE_PATHS[oidcRoute.replace(/^cors\./, '')] ?? `oidc:${oidcRoute}`;
  const matched = (ctx as { _matchedRoute?: unknown })._matchedRoute;
  if (typeof matched === 'string') return matched;
  return STATIC_PATHS.has(ctx.path) ? ctx.path : 'unmatched';
}

export function requestMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const start = performance.now();
    try {
      await next();
    } finally {
      const route = routeLabel(ctx);
      metrics.httpRequests.inc({ route, method: METHODS.has(ctx.method) ? ctx.method : 'other', status: String(ctx.status) });
      metrics.httpDuration.observe({ route }, (performance.now() - start) / 1000);
    }
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const digest = (s: string) => createHash('sha256').update(s).digest();

function allowed(ctx: Context, token: string | undefined): boolean {
  if (token !== undefined) {
    const presented = /^Bearer (.+)$/i.exec(ctx.get('authorization'))?.[1] ?? '';
    return timingSafeEqual(digest(presented), digest(token));
  }
  const forwarded = ctx.get('x-forwarded-for') || ctx.get('forwarded') || ctx.get('x-real-ip');
  return !forwarded && LOOPBACK.test(ctx.req.socket.remoteAddress ?? '');
}

export function metricsRoute(metrics: Metrics, options: { token?: string | undefined }): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== METRICS_PATH) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      return sendError(ctx, 405, 'invalid_request', 'only GET is allowed here');
    }
    if (!allowed(ctx, options.token)) {
      if (options.token !== undefined) {
        ctx.set('WWW-Authenticate', 'Bearer realm="propusk-metrics"');
        return sendError(ctx, 401, 'invalid_token', 'metrics require Authorization: Bearer with PROPUSK_METRICS_TOKEN');
      }
      return sendError(ctx, 403, 'access_denied', 'metrics are served to loopback clients only; set PROPUSK_METRICS_TOKEN to scrape remotely');
    }
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}
