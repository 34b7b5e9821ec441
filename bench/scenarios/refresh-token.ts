/**
 * refresh_token with rotation: POST /connect/token grant_type=refresh_token as the web client
 * (client_secret_post). Each request presents another seeded, unused refresh token: a rotation
 * consumes it (a second use would be refused and revoke the grant), so the row sends the pool
 * once — fixed amounts instead of --duration. Keycloak's sizing anchor: 120/s per vCPU.
 */
import { expectJson, form, rotatingBody, type LoadScenario } from './types.ts';

export const refreshToken: LoadScenario = {
  name: 'refresh-token',
  summary: 'POST /connect/token grant_type=refresh_token (rotation), client_secret_post, each request a fresh seeded refresh token',
  needs: ['users', 'refresh-tokens'],
  comparableOn: ['bare-oidc-provider'],
  load: { pool: (target) => target.fixtures.refreshTokens.length - 1 },
  requests: (target) => {
    const { web, refreshTokens } = target.fixtures;
    if (!web || refreshTokens.length === 0) throw new Error('refresh-token needs seeded refresh tokens');
    const request = { method: 'POST' as const, path: target.paths.token, headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded' } };
    return [rotatingBody(request, refreshTokens, (refresh_token) => form({ grant_type: 'refresh_token', refresh_token, client_id: web.clientId, client_secret: web.secret }))];
  },
  check: (status, body) =>
    expectJson(status, body, ['access_token', 'refresh_token', 'expires_in'], (o) => (typeof o.refresh_token === 'string' && o.refresh_token.length > 20 ? undefined : 'no rotated refresh_token')),
};
