/**
 * `fetch` for the resource-server library in the bench: Propusk's issuer is https (production
 * configuration behind a TLS-terminating proxy) while it listens on plain HTTP, so requests to the
 * issuer go to its address with X-Forwarded-Proto: https — what the proxy would do. Discovery's
 * endpoint URLs carry the origin a request was made to (https://127.0.0.1:<port>): those go there too.
 */
import type { FetchLike } from '@propusk/resource-server';

export interface CountingFetch extends FetchLike {
  /** Requests sent to the issuer so far. */
  readonly calls: number;
}

export function issuerFetch(issuer: string, url: string): CountingFetch {
  let calls = 0;
  const f = (input: string | URL, init?: RequestInit) => {
    calls++;
    const u = new URL(String(input));
    const local = u.protocol === 'https:' && (u.host === new URL(issuer).host || u.host === new URL(url).host) ? url + u.pathname + u.search : u.href;
    const headers = new Headers(init?.headers);
    headers.set('x-forwarded-proto', 'https');
    return fetch(local, { ...init, headers });
  };
  return Object.defineProperty(f, 'calls', { get: () => calls }) as CountingFetch;
}
