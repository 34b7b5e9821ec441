/**
 * Express adapter (typed structurally: no dependency on express). Sets
 * `req.auth` and calls `next()`, or answers the error itself.
 *
 * @module
 */
import { authenticateCredentials, type AuthenticateOptions } from '../authenticate.ts';
import { ResourceServerError } from '../errors.ts';
import type { Principal } from '../principal.ts';
import type { Verifier } from '../verifier.ts';
import { requestCredentials, writeError, type RequestLike, type ResponseLike } from './node.ts';

/** An Express request after {@link express} succeeded. */
export interface ExpressRequestLike extends RequestLike {
  /** The verified principal, set by the middleware. */
  auth?: Principal;
}

/** Express-style middleware. */
export type ExpressMiddleware = (req: ExpressRequestLike, res: ResponseLike, next: (error?: unknown) => void) => void;

/**
 * Creates Express middleware.
 *
 * @example
 * ```ts
 * app.get('/reports', express(verifier, { scopes: ['extern.api'] }), (req, res) => {
 *   res.json({ user: req.auth.sub });
 * });
 * ```
 * @returns Middleware that sets `req.auth` and calls `next()`; on a
 *   {@link ResourceServerError} it writes the answer (status, JSON body,
 *   `WWW-Authenticate`) and does not call `next`; any other error goes to
 *   `next(error)`.
 */
export function express(verifier: Verifier, options?: AuthenticateOptions): ExpressMiddleware {
  const realm = options?.realm ?? verifier.audience;
  return (req, res, next) => {
    authenticateCredentials(verifier, requestCredentials(req, verifier, options), options).then(
      (principal) => {
        req.auth = principal;
        next();
      },
      (error: unknown) => {
        if (error instanceof ResourceServerError) writeError(res, error, realm);
        else next(error);
      },
    );
  };
}
