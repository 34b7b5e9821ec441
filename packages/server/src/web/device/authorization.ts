/**
 * Finishes oidc-provider's device authorization response (`POST /connect/deviceauthorization`) as
 * The API documentation (docs/api-documentation.md) says so: `verification_uri_complete` carries the code as `user-code`, and
 * `interval` (which oidc-provider leaves out, so clients would assume RFC 8628's 5 s) comes from
 * configuration. A client not registered for the device grant gets `unauthorized_client`
 * (RFC 6749 §5.2) instead of oidc-provider's `invalid_request`.
 */
import type { Middleware } from 'koa';
import { verificationUriComplete } from '../../device/user-code.ts';
import { deviceGrantNotAllowed } from '../../provider/seam/error-rewrites.ts';

interface DeviceAuthorizationBody {
  device_code?: string;
  user_code?: string;
  verification_uri?: string;
  verification_uri_complete?: string;
  expires_in?: number;
  interval?: number;
  error?: string;
  error_description?: string;
}

export function deviceAuthorizationResponse(options: { intervalSeconds: number }): Middleware {
  return async (ctx, next) => {
    await next();
    if ((ctx as { oidc?: { route?: string } }).oidc?.route !== 'device_authorization') return;
    const body = ctx.body as DeviceAuthorizationBody | undefined;
    if (!body || typeof body !== 'object') return;
    if (ctx.status === 200 && body.user_code && body.verification_uri) {
      ctx.body = {
        device_code: body.device_code,
        user_code: body.user_code,
        verification_uri: body.verification_uri,
        verification_uri_complete: verificationUriComplete(body.verification_uri, body.user_code),
        expires_in: body.expires_in,
        interval: options.intervalSeconds,
      };
    } else if (ctx.status === 400 && body.error === 'invalid_request' && deviceGrantNotAllowed(ctx)) {
      body.error = 'unauthorized_client';
      body.error_description = 'the client is not registered for the device authorization grant';
    }
  };
}
