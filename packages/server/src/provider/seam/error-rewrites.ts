/**
 * Seam: oidc-provider's errors at the client-authenticated endpoints, rewritten where RFC 6749 §5.2
 * names the case differently. An error is matched by its class and the route it came from; where
 * oidc-provider uses one class for several cases (`InvalidRequest`), also by its description, which
 * the seam test checks is still oidc-provider's wording.
 */
import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { Context, Middleware } from 'koa';
import type { Assumption } from './assumption.ts';

/**
 * The error each endpoint's error handler caught, by request. oidc-provider renders it into the
 * body and then emits `<event>(ctx, err)`, so what a later middleware sees is only the body; the
 * events give it the error itself.
 * Upstream: lib/shared/error_handler.js:64 emits the route's error event with the caught error.
 */
const caught = new WeakMap<object, unknown>();

/**
 * Keeps the error oidc-provider caught for each request of the endpoints whose answers are
 * rewritten here (their error events, lib/helpers/initialize_app.js), for `caughtError`.
 */
export function rememberCaughtErrors(provider: Provider): void {
  const remember = (ctx: KoaContextWithOIDC, err: unknown) => void caught.set(ctx, err);
  provider.on('grant.error', remember);
  provider.on('introspection.error', remember);
  provider.on('revocation.error', remember);
  provider.on('device_authorization.error', remember);
}

/** The error oidc-provider caught for this request at one of its client-authenticated endpoints, if any. */
function caughtError(ctx: Context): unknown {
  return caught.get(ctx);
}

const routeOf = (ctx: Context): string | undefined => (ctx as unknown as Partial<KoaContextWithOIDC>).oidc?.route;

/** An `InvalidRequest` with exactly this description, caught on this route. */
function invalidRequest(ctx: Context, routes: ReadonlySet<string>, description: string): boolean {
  const err = caughtError(ctx);
  const route = routeOf(ctx);
  return route !== undefined && routes.has(route) && err instanceof errors.InvalidRequest && err.error_description === description;
}

/**
 * oidc-provider's description of a token request whose grant type the client is not registered for.
 * Upstream: lib/actions/token.js:62 (an `InvalidRequest`, like every other malformed token request).
 * Remove when oidc-provider answers this case with `unauthorized_client`.
 */
export const GRANT_TYPE_NOT_ALLOWED = 'requested grant type is not allowed for this client';

/**
 * oidc-provider's description of a request that names no client at all.
 * Upstream: lib/shared/client_auth.js:206 (an `InvalidRequest`). Remove when oidc-provider answers
 * it with 401 `invalid_client`.
 */
export const NO_CLIENT_AUTHENTICATION = 'no client authentication mechanism provided';

/**
 * oidc-provider's description of a device authorization request from a client not registered for
 * the device grant. Upstream: lib/actions/authorization/client.js:44 (an `InvalidRequest` whose
 * description names the grant type set at line 34). Remove when oidc-provider answers this case
 * with `unauthorized_client`.
 */
export const DEVICE_GRANT_NOT_ALLOWED = 'urn:ietf:params:oauth:grant-type:device_code is not allowed for this client';

const TOKEN = new Set(['token']);
const DEVICE_AUTHORIZATION = new Set(['device_authorization']);
const CLIENT_AUTHENTICATED = new Set(['token', 'introspection', 'revocation', 'device_authorization']);

/**
 * oidc-provider answers a grant type the client is not registered for with `invalid_request`;
 * RFC 6749 §5.2 names that case `unauthorized_client`. This rewrites exactly that error.
 */
export function unauthorizedClientForDisallowedGrant(): Middleware {
  return async (ctx, next) => {
    await next();
    if (!invalidRequest(ctx, TOKEN, GRANT_TYPE_NOT_ALLOWED)) return;
    const body = ctx.body as { error?: string } | undefined;
    if (ctx.status === 400 && body?.error === 'invalid_request') body.error = 'unauthorized_client';
  };
}

/** True when this device authorization request was refused because the client is not registered for the device grant. */
export function deviceGrantNotAllowed(ctx: Context): boolean {
  return invalidRequest(ctx, DEVICE_AUTHORIZATION, DEVICE_GRANT_NOT_ALLOWED);
}

/**
 * Client authentication failures in the shape RFC 6749 §5.2 asks for, at the endpoints where
 * clients authenticate (`paths`): oidc-provider answers a request that names no client at all with
 * 400 `invalid_request` (made 401 `invalid_client` here), and adds `WWW-Authenticate` to a 401 only
 * when the client used HTTP Basic (added here for client_secret_post and unknown clients too, in
 * the form oidc-provider gives it).
 */
export function challengeClientAuthFailures(issuer: string, paths: ReadonlySet<string>): Middleware {
  const quoted = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  return async (ctx, next) => {
    await next();
    if (!paths.has(ctx.path)) return;
    const body = ctx.body as { error?: string; error_description?: string } | undefined;
    if (typeof body !== 'object' || body === null) return;
    if (ctx.status === 400 && body.error === 'invalid_request' && invalidRequest(ctx, CLIENT_AUTHENTICATED, NO_CLIENT_AUTHENTICATION)) {
      ctx.status = 401;
      body.error = 'invalid_client';
      body.error_description = 'client authentication required: client_id and client_secret (the api-key) in the form, or HTTP Basic';
    }
    if (ctx.status === 401 && body.error === 'invalid_client' && !ctx.response.get('WWW-Authenticate')) {
      const fields = [`realm=${quoted(issuer)}`, `error=${quoted(body.error)}`];
      if (body.error_description) fields.push(`error_description=${quoted(body.error_description)}`);
      ctx.set('WWW-Authenticate', `Basic ${fields.join(', ')}`);
    }
  };
}

export const assumptions: Assumption[] = [
  {
    name: 'error_handler: the route’s error event carries the caught error',
    file: 'lib/shared/error_handler.js',
    line: 64,
    text: 'provider.emit(eventName, ctx, err);',
    why: 'errors are matched by class and route, not only by the body oidc-provider rendered',
    removeWhen: 'never: this is how oidc-provider reports errors; the line only locates it',
  },
  {
    name: 'token endpoint: the grant type check’s InvalidRequest description',
    file: 'lib/actions/token.js',
    line: 62,
    text: `throw new InvalidRequest('${GRANT_TYPE_NOT_ALLOWED}');`,
    why: 'RFC 6749 §5.2 names a grant type the client is not registered for `unauthorized_client`',
    removeWhen: 'oidc-provider answers this case with `unauthorized_client`',
  },
  {
    name: 'client authentication: the no-client InvalidRequest description',
    file: 'lib/shared/client_auth.js',
    line: 206,
    text: `throw new InvalidRequest('${NO_CLIENT_AUTHENTICATION}');`,
    why: 'a request naming no client is a client authentication failure: 401 `invalid_client` with a challenge',
    removeWhen: 'oidc-provider answers it with 401 `invalid_client`',
  },
  {
    name: 'device authorization: the grant type of the client check',
    file: 'lib/actions/authorization/client.js',
    line: 34,
    text: "grantType = 'urn:ietf:params:oauth:grant-type:device_code';",
    why: 'a client not registered for the device grant gets `unauthorized_client` (RFC 6749 §5.2)',
    removeWhen: 'oidc-provider answers this case with `unauthorized_client`',
  },
  {
    name: 'device authorization: the client check’s InvalidRequest description',
    file: 'lib/actions/authorization/client.js',
    line: 44,
    text: 'throw new InvalidRequest(`${grantType} is not allowed for this client`);',
    why: 'a client not registered for the device grant gets `unauthorized_client` (RFC 6749 §5.2)',
    removeWhen: 'oidc-provider answers this case with `unauthorized_client`',
  },
  {
    name: 'errors: InvalidRequest is exported',
    file: 'lib/helpers/errors.js',
    line: 76,
    text: 'export class InvalidRequest extends OIDCProviderError {',
    holds: () => typeof errors.InvalidRequest === 'function',
    why: 'the rewritten errors are matched by class',
    removeWhen: 'never: public API; the line only locates it',
  },
];
