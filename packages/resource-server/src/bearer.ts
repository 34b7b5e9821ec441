/**
 * Extracting the access token from the `Authorization` request header
 * (RFC 6750 §2.1; `DPoP` scheme, RFC 9449 §7.1). Tokens are never read from
 * cookies, query strings or bodies.
 *
 * Decisions (see README):
 * - scheme `Bearer` is matched case-insensitively, followed by one or more
 *   spaces and exactly one token68 value;
 * - no `Authorization` header, or one with another (well-formed) scheme such
 *   as `Basic`, is a *missing* token: 401 with a bare challenge;
 * - an empty header, an invalid scheme, `Bearer` without a token, anything
 *   that is not exactly one token68 value, or more than one `Authorization`
 *   header is a *malformed* request: 400 `invalid_request`.
 *
 * @module
 */
import { TokenMalformedError, TokenMissingError } from './errors.ts';

/**
 * Request headers in any of the shapes the library accepts: a fetch
 * `Headers` object, Node's `req.headers` / `req.headersDistinct`, or a plain
 * record.
 *
 * Node's `req.headers` silently drops a second `Authorization` header; pass
 * `req.headersDistinct` (or use the adapters, which read `rawHeaders`) to have
 * duplicates rejected.
 */
export type HeadersLike =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/** Value(s) of the `Authorization` header: one string, several, or none. */
export type AuthorizationValue = string | readonly string[] | undefined;

const BEARER = 'bearer';
const DPOP = 'dpop';

/**
 * Returns the bearer token of an `Authorization` header value.
 *
 * @param value The header value, or all values when the header was repeated.
 * @throws {TokenMissingError} no header, or a scheme other than Bearer.
 * @throws {TokenMalformedError} empty, repeated, or not `Bearer <token68>`.
 */
export function parseAuthorization(value: AuthorizationValue): string {
  return parseCredentials(value, false).token;
}

/** An access token and the scheme it came with. */
export interface Credentials {
  readonly scheme: 'Bearer' | 'DPoP';
  readonly token: string;
}

/**
 * {@link parseAuthorization} that also accepts the `DPoP` scheme when
 * `acceptDpop` (otherwise `DPoP` is just another scheme: a missing token).
 */
export function parseCredentials(value: AuthorizationValue, acceptDpop: boolean): Credentials {
  if (value === undefined) throw new TokenMissingError('No Authorization header');
  if (typeof value !== 'string') {
    if (value.length === 0) throw new TokenMissingError('No Authorization header');
    if (value.length > 1) throw new TokenMalformedError('More than one Authorization header');
    value = value[0] as string;
  }
  const length = value.length;
  if (length === 0) throw new TokenMalformedError('Empty Authorization header');

  // Scheme: everything up to the first space.
  let i = 0;
  while (i < length && value.charCodeAt(i) !== 0x20) i++;
  const scheme = isScheme(value, i, BEARER) ? 'Bearer' : acceptDpop && isScheme(value, i, DPOP) ? 'DPoP' : undefined;
  if (scheme === undefined) {
    for (let k = 0; k < i; k++) {
      if (!isTchar(value.charCodeAt(k))) throw new TokenMalformedError('Malformed Authorization header');
    }
    throw new TokenMissingError(`Authorization header does not use the ${acceptDpop ? 'Bearer or DPoP' : 'Bearer'} scheme`);
  }
  while (i < length && value.charCodeAt(i) === 0x20) i++;
  const start = i;
  if (start === length) throw new TokenMalformedError('Authorization header has no bearer token');

  // token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
  while (i < length && isToken68Char(value.charCodeAt(i))) i++;
  if (i === start) throw new TokenMalformedError('Malformed bearer token');
  while (i < length && value.charCodeAt(i) === 0x3d) i++;
  const end = i;
  while (i < length && value.charCodeAt(i) === 0x20) i++;
  if (i !== length) throw new TokenMalformedError('Malformed bearer token');
  return { scheme, token: value.slice(start, end) };
}

/** Case-insensitive `value.slice(0, schemeLength) === scheme` (lower-case letters) without allocating. */
function isScheme(value: string, schemeLength: number, scheme: string): boolean {
  if (schemeLength !== scheme.length) return false;
  for (let k = 0; k < schemeLength; k++) {
    // `| 0x20` lower-cases ASCII letters; no non-letter maps onto a letter of "bearer" or "dpop".
    if ((value.charCodeAt(k) | 0x20) !== scheme.charCodeAt(k)) return false;
  }
  return true;
}

/**
 * Whether `token` is a syntactically valid token68 string.
 */
export function isToken68(token: string): boolean {
  const length = token.length;
  let i = 0;
  while (i < length && isToken68Char(token.charCodeAt(i))) i++;
  if (i === 0) return false;
  while (i < length && token.charCodeAt(i) === 0x3d) i++;
  return i === length;
}

/**
 * Reads the `Authorization` header (case-insensitively) from {@link HeadersLike}.
 * A fetch `Headers` object joins repeated headers with `", "`, which then fails
 * token68 parsing as malformed.
 */
export function authorizationFromHeaders(headers: HeadersLike): AuthorizationValue {
  return headerFromHeaders(headers, 'authorization');
}

/**
 * Reads header `lowerName` (case-insensitively) from {@link HeadersLike}.
 */
export function headerFromHeaders(headers: HeadersLike, lowerName: string): AuthorizationValue {
  if (typeof headers.get === 'function') {
    return (headers as { get(name: string): string | null }).get(lowerName) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const value = record[lowerName];
  if (value !== undefined) return value;
  for (const name in record) {
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) return record[name];
  }
  return undefined;
}

/**
 * Reads every `Authorization` header from Node's `req.rawHeaders`
 * (`[name, value, name, value, …]`), so that a repeated header is seen.
 */
export function authorizationFromRawHeaders(rawHeaders: readonly string[]): AuthorizationValue {
  return headerFromRawHeaders(rawHeaders, 'authorization');
}

/** Every value of header `lowerName` in Node's `req.rawHeaders`. */
export function headerFromRawHeaders(rawHeaders: readonly string[], lowerName: string): AuthorizationValue {
  let found: string | undefined;
  let all: string[] | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    if (name.length === lowerName.length && name.toLowerCase() === lowerName) {
      const value = rawHeaders[i + 1] ?? '';
      if (found === undefined) found = value;
      else (all ??= [found]).push(value);
    }
  }
  return all ?? found;
}

/** RFC 9110 tchar: the characters of an auth-scheme. */
function isTchar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    "!#$%&'*+-.^_`|~".includes(String.fromCharCode(c))
  );
}

function isToken68Char(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || // a-z
    (c >= 0x41 && c <= 0x5a) || // A-Z
    (c >= 0x30 && c <= 0x39) || // 0-9
    c === 0x2d || // -
    c === 0x2e || // .
    c === 0x5f || // _
    c === 0x7e || // ~
    c === 0x2b || // +
    c === 0x2f // /
  );
}
