/**
 * A `fetch` that hands each request to this server's own request handler in memory
 * (light-my-request), for the management API's token checks against Propusk's discovery and
 * introspection endpoints: no network hop, and it works whatever the issuer's public URL resolves
 * to from inside the deployment (a TLS-terminating proxy, a name only clients can resolve).
 */
import { inject, type DispatchFunc } from 'light-my-request';
import type { FetchLike } from '@propusk/resource-server';

export function inProcessFetch(dispatch: DispatchFunc): FetchLike {
  return async (input, init = {}) => {
    const url = new URL(String(input));
    const headers: Record<string, string> = { host: url.host };
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    const response = await inject(dispatch, {
      method: (init.method ?? 'GET') as 'GET',
      url: `${url.pathname}${url.search}`,
      headers,
      remoteAddress: '127.0.0.1',
      ...(init.body !== undefined && init.body !== null ? { payload: String(init.body) } : {}),
    });
    const out = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const v of Array.isArray(value) ? value : [String(value)]) out.append(name, v);
    }
    return new Response(response.statusCode === 204 || response.statusCode === 304 ? null : response.rawPayload, { status: response.statusCode, headers: out });
  };
}
