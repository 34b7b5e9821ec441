/** JWKS: GET /.well-known/openid-configuration/jwks (what every JWT-validating API fetches on an unknown kid). */
import { expectJson, type LoadScenario } from './types.ts';

export const jwks: LoadScenario = {
  name: 'jwks',
  summary: 'GET /.well-known/openid-configuration/jwks',
  needs: [],
  comparableOn: ['bare-oidc-provider', 'glewlwyd'],
  requests: (target) => [{ method: 'GET', path: target.paths.jwks, headers: target.headers }],
  check: (status, body) =>
    expectJson(status, body, ['keys'], (o) => (Array.isArray(o.keys) && o.keys.length > 0 ? undefined : 'no keys published')),
};
