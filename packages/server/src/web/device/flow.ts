/**
 * The device flow's middleware in front of oidc-provider: the device authorization response's
 * finishing touches (`/connect/deviceauthorization`), and for the verification page (`/device`)
 * the guessing guard and the QR code route, in that order.
 */
import type { Middleware } from 'koa';
import { deviceAuthorizationResponse } from './authorization.ts';
import { deviceCodeGuard } from './guard.ts';
import { deviceQr } from './qr.ts';
import { memoryAttemptLimiter, type AttemptLimiterFactory } from '../../http/limits.ts';
import { deviceDonePage, type DeviceOutcome } from '../../views/index.ts';
import { pageLocale, switchLocaleHref } from '../shared/locale.ts';

const OUTCOMES: readonly string[] = ['success', 'denied', 'expired'] satisfies DeviceOutcome[];

/**
 * `GET <path>/done/<outcome>`: a result page in the language asked for (the language switch of the
 * result page, whose own URL cannot be opened twice). It names nobody: that page is for anyone.
 */
function donePage(path: string): Middleware {
  const prefix = `${path}/done/`;
  return async (ctx, next) => {
    if (!ctx.path.startsWith(prefix) || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const outcome = ctx.path.slice(prefix.length);
    if (!OUTCOMES.includes(outcome)) return next();
    const locale = pageLocale(ctx);
    ctx.type = 'html';
    ctx.body = deviceDonePage({ locale, outcome: outcome as DeviceOutcome, switchLocaleHref: switchLocaleHref(ctx.path, locale) });
  };
}

export interface DeviceFlowMiddlewareOptions {
  /** `interval` of the device authorization response, in seconds. */
  intervalSeconds: number;
  /** Path of the verification page (oidc-provider's `code_verification` route), e.g. `/device`. */
  path: string;
  /** `verification_uri` (absolute). */
  verificationUri: string;
  /** Name of oidc-provider's session cookie (the per-browser counter key). */
  sessionCookie: string;
  /** Wrong user codes allowed per window, per client IP and per browser session. */
  attempts: { perIp: number; perSession: number; windowSeconds: number };
  isPending(userCode: string): Promise<boolean>;
  /** Where the counters live (http/app-limits.ts: shared by instances when clustered). Default: process memory. */
  createLimiter?: AttemptLimiterFactory;
}

export interface DeviceFlowMiddleware {
  /** For oidc-provider's device authorization endpoint. */
  authorizationResponse: Middleware;
  /** For the verification page and its QR code, under `path`. */
  verificationPage: Middleware[];
}

export function deviceFlowMiddleware(o: DeviceFlowMiddlewareOptions): DeviceFlowMiddleware {
  const create = o.createLimiter ?? memoryAttemptLimiter;
  const limits = {
    perIp: create({ name: 'device-code-ip', attempts: o.attempts.perIp, windowSeconds: o.attempts.windowSeconds }),
    perSession: create({ name: 'device-code-session', attempts: o.attempts.perSession, windowSeconds: o.attempts.windowSeconds }),
  };
  return {
    authorizationResponse: deviceAuthorizationResponse({ intervalSeconds: o.intervalSeconds }),
    verificationPage: [
      deviceCodeGuard({ path: o.path, sessionCookie: o.sessionCookie, limits }),
      deviceQr({ path: `${o.path}/qr.svg`, verificationUri: o.verificationUri, isPending: o.isPending, limits }),
      donePage(o.path),
    ],
  };
}
