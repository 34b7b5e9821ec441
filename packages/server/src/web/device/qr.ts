/**
 * `GET /device/qr.svg?user-code=<code>`: an SVG QR code of `verification_uri_complete`, for apps
 * that cannot draw one. It only ever encodes the server-built URL with a well-formed, pending code:
 * malformed input is 400, an unknown, expired or used code 404 (and counts as a wrong code for the
 * client IP, like on `/device`, so the endpoint is no guessing oracle either).
 */
import type { Middleware } from 'koa';
import { normalizeUserCode, verificationUriComplete } from '../../device/user-code.ts';
import { sendError } from '../../http/errors.ts';
import { countGuess, limitKeys, type DeviceCodeLimits } from './guard.ts';

export interface DeviceQrOptions {
  /** The path of the QR code, e.g. `/device/qr.svg`. */
  path: string;
  /** `verification_uri` (absolute). */
  verificationUri: string;
  /** True when the canonical user code is pending confirmation. */
  isPending(userCode: string): Promise<boolean>;
  limits: DeviceCodeLimits;
}

export function deviceQr(options: DeviceQrOptions): Middleware {
  return async (ctx, next) => {
    if (ctx.path !== options.path) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      return sendError(ctx, 405, 'invalid_request', 'only GET is allowed here');
    }
    const raw = ctx.query['user-code'] ?? ctx.query.user_code;
    const userCode = normalizeUserCode(raw);
    if (!userCode) return sendError(ctx, 400, 'invalid_request', 'user-code must be one device-flow user code, e.g. BDWP-HQPK');
    const keys = limitKeys(ctx);
    const guess = await countGuess(options.limits, keys);
    if (guess.wait > 0) {
      ctx.set('Retry-After', String(guess.wait));
      return sendError(ctx, 429, 'too_many_attempts', `too many unknown user codes; retry in ${guess.wait} s`);
    }
    if (!(await options.isPending(userCode))) return sendError(ctx, 404, 'not_found', 'no pending device authorization has this user code');
    await guess.forgive();
    // qrcode is loaded on the first QR code asked for, not at start (few clients ever ask).
    const { default: QRCode } = await import('qrcode');
    ctx.type = 'image/svg+xml';
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    ctx.body = await QRCode.toString(verificationUriComplete(options.verificationUri, userCode), { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  };
}
