/**
 * One HTTP exchange with the issuer that must answer JSON, with a timeout.
 * Every failure (network, timeout, non-2xx, non-JSON, non-object) becomes an
 * {@link IssuerUnavailableError}: the request being authenticated is refused
 * with 503, never let through.
 *
 * @module
 */
import { IssuerUnavailableError } from './errors.ts';

/** The `fetch` signature the library uses (the global one by default). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/**
 * Performs the request and returns the parsed JSON object.
 *
 * @param what Name of the endpoint, for messages ("discovery", "introspection").
 * @param describeStatus Optional hook giving a specific message for a non-200
 *   status (e.g. 401 from introspection means our own credentials are wrong).
 */
export async function fetchIssuerJson(
  fetchImpl: FetchLike,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  what: string,
  describeStatus?: (status: number) => string | undefined,
): Promise<Record<string, unknown>> {
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetchImpl(url, { ...init, signal, redirect: 'error' });
  } catch (cause) {
    throw new IssuerUnavailableError(
      signal.aborted ? `The ${what} request timed out after ${timeoutMs} ms` : `The ${what} request failed: ${String(cause)}`,
      { cause },
    );
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new IssuerUnavailableError(
      describeStatus?.(response.status) ?? `The ${what} endpoint answered HTTP ${response.status}`,
    );
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    throw new IssuerUnavailableError(
      signal.aborted ? `The ${what} response timed out after ${timeoutMs} ms` : `The ${what} response is not JSON`,
      { cause },
    );
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new IssuerUnavailableError(`The ${what} response is not a JSON object`);
  }
  return body as Record<string, unknown>;
}
