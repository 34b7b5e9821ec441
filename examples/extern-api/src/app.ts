/**
 * `createExternApi(options)`: the demo Extern API as a `node:http` request
 * listener. `/v1/*` routes need an access token for this API with scope
 * `extern.api` — Bearer, or DPoP-bound with a proof per request — verified by
 * `@propusk/resource-server`; `/healthz` is public.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  createVerifier,
  nodeHttp,
  type CacheOptions,
  type DpopMode,
  type DpopProofOptions,
  type FetchLike,
  type Principal,
  type Verifier,
} from '@propusk/resource-server';
import { sendError, sendJson } from './http.ts';
import { accounts, API_SCOPE, me } from './routes.ts';

/** Defaults of {@link ExternApiOptions}, documented where declared. */
export const EXTERN_API_DEFAULTS = {
  /** The API's introspection client at Propusk: `rs.` + its scope. */
  clientId: 'rs.extern.api',
  /** The resource indicator (token audience) Propusk gives the `extern.api` scope. */
  audience: 'urn:propusk:api:extern.api',
} as const;

/** Options of {@link createExternApi}. */
export interface ExternApiOptions {
  /** Propusk's issuer URL, e.g. `http://localhost:3000`. */
  issuer: string;
  /** The api-key of {@link clientId}, used only to call introspection. */
  clientSecret: string;
  /** The API's introspection client id. Default `rs.extern.api`. */
  clientId?: string;
  /** This API's audience. Default `urn:propusk:api:extern.api`. */
  audience?: string;
  /**
   * Verification cache, passed to the library. Default: the library's
   * (30 s, i.e. a revoked token is refused at most 30 s later). `false`: no
   * cache, revocation is seen at the next request.
   */
  cache?: CacheOptions | false;
  /** `fetch` used to reach Propusk (tests count introspection calls with it). Default: global `fetch`. */
  fetch?: FetchLike;
  /** Timeout of each request to Propusk in milliseconds. Default: the library's (5000). */
  timeout?: number;
  /** DPoP: `allowed` (Bearer and DPoP), `required` (DPoP only) or `off` (Bearer only). Default: the library's (`allowed`). */
  dpop?: DpopMode;
  /** Checks of DPoP proofs (e.g. server nonces), passed to the library. Default: the library's. */
  dpopProofs?: DpopProofOptions;
  /**
   * The API's base URL as clients call it, e.g. `https://api.example.com` behind a proxy: DPoP
   * proofs must name it plus the request path. Default: `http://` + the request's Host header.
   */
  externalUrl?: string;
  /** Called with unexpected errors (answered 500). Default: `console.error`. */
  onError?: (error: unknown) => void;
}

/** A configured demo API. */
export interface ExternApi {
  /** The verifier behind the routes (e.g. `await api.verifier.ready()` at start). */
  readonly verifier: Verifier;
  /** The `node:http` request listener: `http.createServer(api.handle)`. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
}

type Route = { readonly auth: false; answer(): unknown } | { readonly auth: true; answer(principal: Principal): unknown };

const ROUTES: ReadonlyMap<string, Route> = new Map<string, Route>([
  ['/healthz', { auth: false, answer: () => ({ status: 'ok' }) }],
  ['/v1/me', { auth: true, answer: me }],
  ['/v1/accounts', { auth: true, answer: accounts }],
]);

const ALLOWED_METHODS = 'GET, HEAD';

/**
 * Creates the demo API.
 *
 * @example
 * ```ts
 * const api = createExternApi({ issuer: 'http://localhost:3000', clientSecret: process.env.EXTERN_API_CLIENT_SECRET! });
 * http.createServer(api.handle).listen(4000);
 * ```
 */
export function createExternApi(options: ExternApiOptions): ExternApi {
  const audience = options.audience ?? EXTERN_API_DEFAULTS.audience;
  const verifier = createVerifier({
    issuer: options.issuer,
    audience,
    credentials: { clientId: options.clientId ?? EXTERN_API_DEFAULTS.clientId, clientSecret: options.clientSecret },
    ...(options.cache === undefined ? {} : { cache: options.cache }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    ...(options.dpop === undefined ? {} : { dpop: options.dpop }),
    ...(options.dpopProofs === undefined ? {} : { dpopProofs: options.dpopProofs }),
  });
  const authenticate = nodeHttp(verifier, {
    scopes: [API_SCOPE],
    ...(options.externalUrl === undefined ? {} : { externalUrl: options.externalUrl }),
  });
  const onError = options.onError ?? ((error: unknown) => console.error('extern-api: unexpected error', error));

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0] as string;
    const found = ROUTES.get(path);
    if (found === undefined) {
      sendError(res, 404, 'not_found', `No resource at ${path}`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, 'method_not_allowed', `Use ${ALLOWED_METHODS}`, { allow: ALLOWED_METHODS });
      return;
    }
    if (!found.auth) {
      sendJson(res, 200, found.answer());
      return;
    }
    // Reads only the Authorization (and DPoP) header; on failure it has written 400/401/403/503 itself.
    const principal = await authenticate(req, res);
    if (principal === undefined) return;
    sendJson(res, 200, found.answer(principal));
  }

  return {
    verifier,
    handle(req, res) {
      route(req, res).catch((error: unknown) => {
        onError(error);
        sendError(res, 500, 'server_error', 'Internal server error');
      });
    },
  };
}
