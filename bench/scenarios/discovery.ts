/** Discovery: GET /.well-known/openid-configuration (what every relying party fetches at start and on cache expiry). */
import { expectJson, type LoadScenario } from './types.ts';

export const discovery: LoadScenario = {
  name: 'discovery',
  summary: 'GET /.well-known/openid-configuration',
  needs: [],
  comparableOn: ['bare-oidc-provider', 'glewlwyd'],
  requests: (target) => [{ method: 'GET', path: target.paths.discovery, headers: target.headers }],
  check: (status, body) =>
    expectJson(status, body, ['issuer', 'token_endpoint', 'jwks_uri'], (o) =>
      String(o.issuer).startsWith('https://') ? undefined : `issuer is ${String(o.issuer)}, expected the production https issuer`,
    ),
};
