/**
 * node:http adapter: authenticates the request, or writes the error answer
 * itself and resolves to `undefined`.
 *
 * @module
 */
import { authenticateAuthorization, type AuthenticateOptions } from '../authenticate.ts';
import { authorizationFromHeaders, authorizationFromRawHeaders, type AuthorizationValue } from '../bearer.ts';
import type { Principal } from '../principal.ts';
import { errorResponse } from '../response.ts';
import type { Verifier } from '../verifier.ts';

/** The parts of `http.IncomingMessage` the adapters read. */
export interface RequestLike {
  /** `[name, value, …]` as received; used to see a repeated `Authorization` header. */
  readonly rawHeaders?: readonly string[];
  /** Parsed headers; used when `rawHeaders` is absent. */
  readonly headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
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
    authenticateAuthorization(verifier, requestAuthorization(req), options).then(
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
