/**
 * Introspection: POST /connect/introspect as extern.api (client_secret_basic), each request naming
 * the next of the seeded live tokens, so lookups hit the store rather than one hot row.
 * Ory Hydra's anchor: about 5,100/s on 2 CPUs, in memory.
 * Not comparable on the Glewlwyd peer: there a client authenticated with its secret may only
 * introspect tokens issued to itself (another client's token answers `active: false`), and the
 * other way in is a Bearer token with a configured scope — not a resource server's introspection.
 */
import { basicAuth, expectJson, form, type LoadScenario } from './types.ts';

export const introspection: LoadScenario = {
  name: 'introspection',
  summary: 'POST /connect/introspect (Basic rs.extern.api) rotating through the seeded live tokens',
  needs: ['tokens'],
  comparableOn: ['bare-oidc-provider'],
  requests: (target) => {
    const { tokens, introspector } = target.fixtures;
    if (tokens.length === 0) throw new Error('introspection needs seeded tokens');
    const bodies = tokens.map((token) => form({ token, token_type_hint: 'access_token' }));
    let next = 0;
    return [
      {
        method: 'POST',
        path: target.paths.introspection,
        headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(introspector) },
        setupRequest: (request) => {
          request.body = bodies[next]!;
          next = (next + 1) % bodies.length;
          return request;
        },
      },
    ];
  },
  check: (status, body) =>
    expectJson(status, body, ['active'], (o) =>
      o.active === true && o.scope === 'extern.api' ? undefined : `expected an active extern.api token, got ${body.slice(0, 300)}`,
    ),
};
