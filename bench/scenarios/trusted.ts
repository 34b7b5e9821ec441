/**
 * The trusted grant: POST /connect/token grant_type=trusted as a partner client with the
 * `trusted` permission, each request carrying a new partner JWT (RS256, its own jti: a JWT is
 * accepted once). The JWTs are signed before the measured phase, so the partner's signing cost is
 * not in the load generator's way; the row sends the pool once (fixed amounts).
 */
import { expectJson, form, rotatingBody, type LoadScenario } from './types.ts';

export const trusted: LoadScenario = {
  name: 'trusted',
  summary: 'POST /connect/token grant_type=trusted, client_secret_post, scope=extern.api, each request a new pre-signed partner JWT (RS256, unique jti)',
  needs: ['trusted-assertions'],
  comparableOn: [],
  load: { pool: (target) => (target.fixtures.trusted?.assertions.length ?? 0) - 1 },
  requests: (target) => {
    const trustedFixture = target.fixtures.trusted;
    if (!trustedFixture || trustedFixture.assertions.length === 0) throw new Error('trusted needs pre-signed assertions');
    const { client, assertions } = trustedFixture;
    const request = { method: 'POST' as const, path: target.paths.token, headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded' } };
    return [rotatingBody(request, assertions, (token) => form({ grant_type: 'trusted', client_id: client.clientId, client_secret: client.secret, scope: 'extern.api', token }))];
  },
  check: (status, body) =>
    expectJson(status, body, ['access_token', 'token_type', 'expires_in'], (o) =>
      o.scope === 'extern.api' ? undefined : `scope is ${JSON.stringify(o.scope)}, expected "extern.api"`,
    ),
};
