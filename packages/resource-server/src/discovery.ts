/**
 * OpenID Connect discovery of the issuer's endpoints
 * (`<issuer>/.well-known/openid-configuration`), with the issuer check of
 * OpenID Connect Discovery §4.3: the document's `issuer` must equal the
 * configured one exactly.
 *
 * @module
 */
import { IssuerUnavailableError } from './errors.ts';
import { fetchIssuerJson, type FetchLike } from './issuer-fetch.ts';

/** The part of the discovery document the resource server uses. */
export interface IssuerMetadata {
  /** The issuer identifier, equal to the configured one. */
  readonly issuer: string;
  /** RFC 7662 endpoint, used for opaque tokens; absent when not advertised. */
  readonly introspectionEndpoint: string | undefined;
  /** The issuer's signing keys, used for JWT access tokens; absent when not advertised. */
  readonly jwksUri: string | undefined;
}

/**
 * The discovery URL of `issuer`: a trailing slash is removed before
 * `/.well-known/openid-configuration` is appended.
 */
export function discoveryUrl(issuer: string): string {
  return `${issuer.endsWith('/') ? issuer.slice(0, -1) : issuer}/.well-known/openid-configuration`;
}

/**
 * Fetches and validates the discovery document.
 *
 * @throws {IssuerUnavailableError} unreachable, not JSON, issuer mismatch, or
 *   endpoint values that are not absolute URLs.
 */
export async function discover(issuer: string, fetchImpl: FetchLike, timeoutMs: number): Promise<IssuerMetadata> {
  const doc = await fetchIssuerJson(
    fetchImpl,
    discoveryUrl(issuer),
    { method: 'GET', headers: { accept: 'application/json' } },
    timeoutMs,
    'discovery',
  );
  if (doc.issuer !== issuer) {
    throw new IssuerUnavailableError(
      `Discovery document issuer ${JSON.stringify(doc.issuer)} does not match the configured issuer ${JSON.stringify(issuer)}`,
    );
  }
  return {
    issuer,
    introspectionEndpoint: optionalUrl(doc, 'introspection_endpoint'),
    jwksUri: optionalUrl(doc, 'jwks_uri'),
  };
}

function optionalUrl(doc: Record<string, unknown>, field: string): string | undefined {
  const value = doc[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value)) {
    throw new IssuerUnavailableError(`Discovery document field ${field} is not an absolute URL`);
  }
  return value;
}
