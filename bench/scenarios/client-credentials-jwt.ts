/**
 * client_credentials for an API whose access tokens are JWTs (RFC 9068), one scenario per signing
 * algorithm: POST /connect/token with client_secret_post and that API's scope — one signed token
 * per request, no token row. Compared, in the report's notes, with the opaque tokens of
 * `client-credentials-paced` and the algorithm's signature floor measured in the same run.
 *
 * All four run at the same fixed rate (JWT_COST_RATE), below what the slowest (RS256) can do on
 * one core: CPU per request is then compared at equal load. Driven flat out instead, each row's
 * CPU per request includes what saturation costs (queues, longer-lived requests, more collection),
 * which grows with the time a request takes and so inflated the slower rows by more than their
 * signature.
 */
import { decodeProtectedHeader } from 'jose';
import { expectJson, form, type LoadScenario, type Target } from './types.ts';
import { clientCredentials } from './client-credentials.ts';
import { JWT_ALGS, jwtApiScope, type JwtAlg } from './jwt-algs.ts';

/** Requests per second of the JWT rows and of `client-credentials-paced`: an RS256 token costs ~0.5–0.7 ms of CPU here, so a busy host still keeps up. */
export const JWT_COST_RATE = 500;

/** Opaque client_credentials tokens at JWT_COST_RATE: what the JWT rows are compared with. */
export const clientCredentialsPaced: LoadScenario = {
  ...clientCredentials,
  name: 'client-credentials-paced',
  summary: `${clientCredentials.summary}, at a fixed ${JWT_COST_RATE.toLocaleString('en-US')} requests/s (the JWT rows' rate)`,
  comparableOn: [],
  load: { overallRate: () => JWT_COST_RATE },
};

/** Scenario name of the JWT row of `alg`, e.g. `client-credentials-jwt-es256`. */
export const jwtScenarioName = (alg: JwtAlg) => `client-credentials-jwt-${alg.toLowerCase()}`;

function scenario(alg: JwtAlg): LoadScenario {
  return {
    name: jwtScenarioName(alg),
    summary: `POST /connect/token grant_type=client_credentials, client_secret_post, scope=${jwtApiScope(alg)}: a JWT access token signed ${alg}`,
    needs: ['jwt-apis'],
    // Paced rows: a ratio of requests per second to another server would say nothing.
    comparableOn: [],
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
    load: { overallRate: (_target: Target) => JWT_COST_RATE },
    signs: alg,
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
