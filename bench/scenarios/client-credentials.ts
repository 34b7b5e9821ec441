/**
 * client_credentials: POST /connect/token with client_secret_post and scope=extern.api — one new
 * opaque access token (a database write) per request. Keycloak's sizing anchor: 120/s per vCPU.
 */
import { expectJson, form, type LoadScenario } from './types.ts';

export const clientCredentials: LoadScenario = {
  name: 'client-credentials',
  summary: 'POST /connect/token grant_type=client_credentials, client_secret_post, scope=extern.api',
  needs: [],
  comparableOn: ['bare-oidc-provider', 'glewlwyd'],
  requests: (target) => [
    {
      method: 'POST',
      path: target.paths.token,
      headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: form({
        grant_type: 'client_credentials',
        client_id: target.fixtures.client.clientId,
        client_secret: target.fixtures.client.secret,
        scope: 'extern.api',
      }),
    },
  ],
  check: (status, body) =>
    expectJson(status, body, ['access_token', 'token_type', 'expires_in'], (o) =>
      o.scope === 'extern.api' ? undefined : `scope is ${JSON.stringify(o.scope)}, expected "extern.api"`,
    ),
};
