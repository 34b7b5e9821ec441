/**
 * node:http adapter: authenticates the request, or writes the error answer
 * itself and resolves to `undefined`. Also what the Express and Koa adapters
 * share: reading the credentials (and, for DPoP, the method and URL) of a
 * Node-style request.
 *
 * @module
 */
import { authenticateCredentials, type AuthenticateOptions, type RequestCredentials } from '../authenticate.ts';
import {
  authorizationFromHeaders,
  authorizationFromRawHeaders,
  headerFromHeaders,
  headerFromRawHeaders,
  type AuthorizationValue,
} from '../bearer.ts';
import type { Principal } from '../principal.ts';
import { errorResponse } from '../response.ts';
import type { Verifier } from '../verifier.ts';

/** The parts of `http.IncomingMessage` the adapters read. */
export interface RequestLike {
  /** `[name, value, …]` as received; used to see a repeated `Authorization` header. */
  readonly rawHeaders?: readonly string[];
  /** Parsed headers; used when `rawHeaders` is absent. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** HTTP method (DPoP `htm`). */
  readonly method?: string;
  /** Request target, path and query (DPoP `htu`). */
  readonly url?: string;
  /** Express's unmounted request target; preferred over `url` when present. */
  readonly originalUrl?: string;
  /** The socket; `encrypted` tells https from http when no `externalUrl` is configured. */
  readonly socket?: object | null;
}

/** The parts of `http.ServerResponse` the adapters write. */
export interface ResponseLike {
  statusCode: number;
  readonly headersSent?: boolean;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** What {@link nodeHttp} returns. */
export type NodeAuthenticator = (req: RequestLike, res: ResponseLike) => Promise<Principal | undefined>;

/**
 * Creates a node:http authenticator.
 *
 * @example
 * ```ts
 * const authenticate = nodeHttp(verifier, { scopes: ['extern.api'] });
 * http.createServer(async (req, res) => {
 *   const principal = await authenticate(req, res);
 *   if (!principal) return; // 400/401/403/503 already sent
 *   res.end(`hello ${principal.sub}`);
 * });
 * ```
 * @returns A function resolving to the principal, or to `undefined` after it
 *   wrote the error answer (JSON `{ error, error_description }` plus
 *   `WWW-Authenticate`). Unexpected errors are answered with a bare 500.
 */
export function nodeHttp(verifier: Verifier, options?: AuthenticateOptions): NodeAuthenticator {
  const realm = options?.realm ?? verifier.audience;
  return (req, res) =>
    authenticateCredentials(verifier, requestCredentials(req, verifier, options), options).then(
      (principal) => principal,
      (error: unknown) => {
        writeError(res, error, realm);
        return undefined;
      },
    );
}

/**
 * Every `Authorization` value of a Node-style request: from `rawHeaders`
 * when present (so that a repeated header is seen), else from `headers`.
 */
export function requestAuthorization(req: RequestLike): AuthorizationValue {
  if (req.rawHeaders !== undefined) return authorizationFromRawHeaders(req.rawHeaders);
  return req.headers === undefined ? undefined : authorizationFromHeaders(req.headers);
}

/**
 * The credentials of a Node-style request: `Authorization` and, when the
 * verifier accepts DPoP, the `DPoP` header and the method and URL the client
 * called (see {@link AuthenticateOptions.externalUrl}).
 */
export function requestCredentials(
  req: RequestLike,
  verifier: Verifier,
  options: AuthenticateOptions | undefined,
): RequestCredentials {
  const authorization = requestAuthorization(req);
  if (verifier.dpop === undefined || verifier.dpop === 'off') return { authorization, dpop: undefined, request: undefined };
  const dpop =
    req.rawHeaders !== undefined
      ? headerFromRawHeaders(req.rawHeaders, 'dpop')
      : req.headers === undefined
        ? undefined
        : headerFromHeaders(req.headers, 'dpop');
  return { authorization, dpop, request: requestTarget(req, options?.externalUrl) };
}

/** Method and absolute URL of the request, or `undefined` when the request does not say. */
function requestTarget(req: RequestLike, externalUrl: string | undefined): { method: string; url: string } | undefined {
  const path = req.originalUrl ?? req.url;
  if (req.method === undefined || path === undefined) return undefined;
  let base = externalUrl;
  if (base === undefined) {
    const host = req.headers === undefined ? undefined : headerFromHeaders(req.headers, 'host');
    if (typeof host !== 'string' || host === '') return undefined;
    const tls = typeof req.socket === 'object' && req.socket !== null && (req.socket as { encrypted?: unknown }).encrypted === true;
    base = `${tls ? 'https' : 'http'}://${host}`;
  } else if (base.endsWith('/')) {
    base = base.slice(0, -1);
  }
  return { method: req.method, url: base + (path.startsWith('/') ? path : `/${path}`) };
}

/**
 * Writes the error answer for `error` on a Node-style response (nothing when
 * headers were already sent).
 */
export function writeError(res: ResponseLike, error: unknown, realm: string): void {
  if (res.headersSent === true) return;
  const { status, headers, body } = errorResponse(error, realm);
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name] as string);
  res.end(JSON.stringify(body));
}
