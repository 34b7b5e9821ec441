/**
 * `GET /demo/callback`: the page the demo client's authorization requests return to (views/pages/
 * demo-callback.ts). It answers only while the demo client exists with this redirect URI
 * registered — which only the demo bootstrap does (never in production) — and is an unknown path
 * (404) otherwise.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ClientDirectory } from '../../clients/directory.ts';
import { DEMO_CALLBACK_PATH, DEMO_CLIENT_ID, demoCallbackUri } from '../../bootstrap/demo-client.ts';
import { demoCallbackPage, type DemoCallbackResult } from '../../views/index.ts';
import { pageLocale, switchLocaleHref } from '../shared/locale.ts';

export interface DemoRoutesDeps {
  issuer: string;
  tokenEndpoint: string;
  clients: Pick<ClientDirectory, 'find'>;
}

/** A query parameter given once, else undefined. */
const param = (ctx: Context, name: string): string | undefined => {
  const value = ctx.query[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

function resultOf(ctx: Context): DemoCallbackResult {
  const state = param(ctx, 'state');
  const error = param(ctx, 'error');
  if (error) return { kind: 'error', error, description: param(ctx, 'error_description'), state };
  const code = param(ctx, 'code');
  return code ? { kind: 'code', code, state } : { kind: 'empty' };
}

export function demoRoutes(deps: DemoRoutesDeps): Router {
  const router = new Router();
  const redirectUri = demoCallbackUri(deps.issuer);
  router.get(DEMO_CALLBACK_PATH, async (ctx, next) => {
    const client = await deps.clients.find(DEMO_CLIENT_ID);
    if (!client?.redirectUris.includes(redirectUri)) return next();
    const locale = pageLocale(ctx);
    const result = resultOf(ctx);
    ctx.status = result.kind === 'empty' ? 400 : 200;
    ctx.type = 'html';
    ctx.body = demoCallbackPage({
      locale,
      result,
      tokenEndpoint: deps.tokenEndpoint,
      clientId: DEMO_CLIENT_ID,
      redirectUri,
      switchLocaleHref: switchLocaleHref(DEMO_CALLBACK_PATH, locale, ctx.querystring),
    });
  });
  return router;
}
