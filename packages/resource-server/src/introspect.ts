/**
 * Opaque tokens: RFC 7662 introspection with the API's own credentials
 * (`client_secret_basic`), and the checks applied to the answer.
 *
 * @module
 */
import {
  AudienceError,
  IssuerUnavailableError,
  TokenExpiredError,
  TokenInactiveError,
  TokenInvalidError,
} from './errors.ts';
import { fetchIssuerJson, type FetchLike } from './issuer-fetch.ts';
import { audienceMatches, principalFromClaims, type Principal } from './principal.ts';

/** What the checks of an introspection answer compare against. */
export interface ClaimExpectations {
  /** The configured issuer; a present `iss` must equal it. */
  readonly issuer: string;
  /** This API's resource identifier; `aud` must contain it. */
  readonly audience: string;
  /** Allowed clock skew in seconds for `exp` / `nbf`. */
  readonly clockTolerance: number;
}

/** Everything needed to call the introspection endpoint. */
export interface IntrospectionRequest {
  /** `introspection_endpoint` from discovery. */
  readonly endpoint: string;
  /** Precomputed `Authorization` header value, see {@link basicAuthorization}. */
  readonly authorization: string;
  readonly fetch: FetchLike;
  /** Request timeout in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * The `Authorization: Basic` value for `client_secret_basic`: client id and
 * secret are each `application/x-www-form-urlencoded` first, then joined with
 * `:` and base64-encoded (RFC 6749 §2.3.1).
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const raw = `${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`;
  return `Basic ${Buffer.from(raw, 'utf8').toString('base64')}`;
}

/**
 * Introspects `token` and returns the principal it stands for.
 *
 * @throws {TokenInactiveError} `active: false`.
 * @throws {TokenExpiredError} `exp` in the past.
 * @throws {AudienceError} `aud` does not contain the audience.
 * @throws {TokenInvalidError} other unacceptable answers (wrong `iss`, not a
 *   Bearer or DPoP token, no `client_id`/`exp`, bound other than by DPoP).
 * @throws {IssuerUnavailableError} network failure, timeout, 5xx, garbage, or
 *   401/403 (this API's credentials are wrong: a configuration problem).
 */
export async function introspect(
  token: string,
  request: IntrospectionRequest,
  expect: ClaimExpectations,
): Promise<Principal> {
  const answer = await fetchIssuerJson(
    request.fetch,
    request.endpoint,
    {
      method: 'POST',
      headers: {
        authorization: request.authorization,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: `token=${formUrlEncode(token)}&token_type_hint=access_token`,
    },
    request.timeoutMs,
    'introspection',
    describeIntrospectionStatus,
  );
  return principalFromIntrospection(answer, expect, Date.now() / 1000);
}

/**
 * Applies the resource server's checks to an RFC 7662 answer.
 *
 * @param now Current time in epoch seconds.
 */
export function principalFromIntrospection(
  answer: Record<string, unknown>,
  expect: ClaimExpectations,
  now: number,
): Principal {
  const { active, token_type: tokenType, iss, exp, nbf, aud } = answer;
  if (typeof active !== 'boolean') {
    throw new IssuerUnavailableError('The introspection response has no boolean "active"');
  }
  if (!active) throw new TokenInactiveError('The access token is not active');
  const type = typeof tokenType === 'string' ? tokenType.toLowerCase() : tokenType;
  if (type !== undefined && type !== 'bearer' && type !== 'dpop') {
    throw new TokenInvalidError('The token is not a Bearer or DPoP access token');
  }
  if (type === 'dpop' && (answer.cnf === undefined || answer.cnf === null)) {
    throw new TokenInvalidError('The DPoP access token has no "cnf"');
  }
  if (iss !== undefined && iss !== expect.issuer) {
    throw new TokenInvalidError('The access token was issued by another issuer');
  }
  if (typeof exp === 'number' && exp <= now - expect.clockTolerance) {
    throw new TokenExpiredError('The access token has expired');
  }
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + expect.clockTolerance)) {
    throw new TokenInvalidError('The access token is not valid yet');
  }
  if (!audienceMatches(aud, expect.audience)) {
    throw new AudienceError('The access token was not issued for this API');
  }
  return principalFromClaims(answer);
}

function describeIntrospectionStatus(status: number): string | undefined {
  if (status === 401 || status === 403) {
    return (
      `The introspection endpoint rejected this API's own credentials (HTTP ${status}): ` +
      'check credentials.clientId / credentials.clientSecret and that the client may introspect'
    );
  }
  return undefined;
}

/** `application/x-www-form-urlencoded` serialization of one value. */
function formUrlEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}
