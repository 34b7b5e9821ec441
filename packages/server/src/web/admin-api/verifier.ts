/**
 * The one token verifier of the management API and the console: @propusk/resource-server with the
 * API's own introspection credentials (setup.ts), talking to this server's discovery and
 * introspection endpoints in memory (in-process-fetch.ts). Built on first use and shared, so both
 * surfaces read one cache: a token revoked or expired is refused by both within the same 5 s.
 */
import { createVerifier, type Verifier } from '@propusk/resource-server';
import type { DispatchFunc } from 'light-my-request';
import type { AppContext } from '../../context.ts';
import { ADMIN_API_AUDIENCE } from '../../operators/types.ts';
import { adminApiCredentials } from './setup.ts';
import { inProcessFetch } from './in-process-fetch.ts';

/** Token check results are reused at most this long: a revoked token stops working within it. */
export const TOKEN_CACHE_SECONDS = 5;

/** The verifier, built on the first call (again after a failed build). */
export type VerifierSource = () => Promise<Verifier>;

export function adminApiVerifier(app: AppContext, dispatch: DispatchFunc): VerifierSource {
  let verifier: Promise<Verifier> | undefined;
  return () =>
    (verifier ??= adminApiCredentials(app).then((credentials) =>
      createVerifier({
        issuer: app.config.issuer,
        audience: ADMIN_API_AUDIENCE,
        credentials,
        cache: { ttlSeconds: TOKEN_CACHE_SECONDS, negativeTtlSeconds: TOKEN_CACHE_SECONDS },
        fetch: inProcessFetch(dispatch),
      }),
    )).catch((err: unknown) => {
      verifier = undefined;
      throw err;
    });
}
