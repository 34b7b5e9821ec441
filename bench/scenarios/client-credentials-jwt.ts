/**
 * client_credentials for an API whose access tokens are JWTs (RFC 9068), one scenario per signing
 * algorithm: POST /connect/token with client_secret_post and that API's scope — one signed token
 * per request, nothing stored. Compared, in the report's notes, with the opaque client-credentials
 * row and the algorithm's signature floor measured in the same run.
 */
import { decodeProtectedHeader } from 'jose';
import { expectJson, form, type LoadScenario } from './types.ts';
import { JWT_ALGS, jwtApiScope, type JwtAlg } from './jwt-algs.ts';

/** Scenario name of the JWT row of `alg`, e.g. `client-credentials-jwt-es256`. */
export const jwtScenarioName = (alg: JwtAlg) => `client-credentials-jwt-${alg.toLowerCase()}`;

function scenario(alg: JwtAlg): LoadScenario {
  return {
    name: jwtScenarioName(alg),
    summary: `POST /connect/token grant_type=client_credentials, client_secret_post, scope=${jwtApiScope(alg)}: a JWT access token signed ${alg}`,
    needs: ['jwt-apis'],
    // Glewlwyd signs its client_credentials tokens RS256.
    comparableOn: alg === 'RS256' ? ['glewlwyd'] : [],
    requests: (target) => {
      const scope = target.fixtures.jwt?.scopes[alg];
      if (!target.fixtures.jwt || !scope) throw new Error(`no client or API for ${alg} JWT access tokens on ${target.name}`);
      const { client } = target.fixtures.jwt;
      return [
        {
          method: 'POST',
          path: target.paths.token,
          headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, scope }),
        },
      ];
    },
    check: (status, body) =>
      expectJson(status, body, ['access_token', 'token_type', 'expires_in'], (o) => {
        let header: ReturnType<typeof decodeProtectedHeader>;
        try {
          header = decodeProtectedHeader(String(o.access_token));
        } catch {
          return 'access_token is not a JWT';
        }
        if (header.typ !== 'at+jwt') return `typ is ${JSON.stringify(header.typ)}, expected "at+jwt"`;
        return header.alg === alg ? undefined : `alg is ${JSON.stringify(header.alg)}, expected "${alg}"`;
      }),
  };
}

export const clientCredentialsJwt: readonly LoadScenario[] = JWT_ALGS.map(scenario);
