/** Validation of client registration data: identifiers, redirect URIs, grant types, scopes. */
import { invalid } from '../shared/errors.ts';
import { APPLICATION_TYPES, GRANT_TYPES, PERMISSIONS, type ApplicationType, type GrantType, type Permission } from './types.ts';

/** Most redirect URIs (and most post-logout redirect URIs) a client may register. */
export const MAX_REDIRECT_URIS = 20;
/** Longest redirect URI accepted, in characters. */
export const MAX_REDIRECT_URI_LENGTH = 2000;

/** A service name: letters, digits, dots, dashes and underscores, e.g. `extern.api` or `awesome_device_client`. */
export const CLIENT_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;

export function validateClientId(clientId: string): string {
  if (!CLIENT_ID.test(clientId)) {
    throw invalid('client_id must be 1-100 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit');
  }
  return clientId;
}

export function validateClientName(value: string): string {
  const name = value.trim();
  if (!name || name.length > 200) throw invalid('name must be 1-200 characters');
  return name;
}

export function validateGrantTypes(values: readonly string[]): GrantType[] {
  if (values.length === 0) throw invalid(`grant types must not be empty (one or more of: ${GRANT_TYPES.join(', ')})`);
  for (const v of values) {
    if (!(GRANT_TYPES as readonly string[]).includes(v)) throw invalid(`unknown grant type ${JSON.stringify(v)} (known: ${GRANT_TYPES.join(', ')})`);
  }
  return [...new Set(values)] as GrantType[];
}

export function validatePermission(value: string): Permission {
  if (!(PERMISSIONS as readonly string[]).includes(value)) throw invalid(`unknown permission ${JSON.stringify(value)} (known: ${PERMISSIONS.join(', ')})`);
  return value as Permission;
}

export function validateApplicationType(value: string): ApplicationType {
  if (!(APPLICATION_TYPES as readonly string[]).includes(value)) throw invalid(`unknown application type ${JSON.stringify(value)} (known: ${APPLICATION_TYPES.join(', ')})`);
  return value as ApplicationType;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * A redirect URI must be absolute, without fragment, and https — except loopback http (for
 * development, and for native apps) and private-use schemes (`com.example.app:/cb`), which only
 * native apps may register. A native app's https URI is a claimed one and must not be loopback.
 */
export function validateRedirectUri(value: string, field = 'redirect URI', applicationType: ApplicationType = 'web'): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(`${field} ${JSON.stringify(value)} is not an absolute URL`);
  }
  if (url.hash || value.includes('#')) throw invalid(`${field} ${JSON.stringify(value)} must not contain a fragment`);
  if (url.protocol === 'https:') {
    if (applicationType === 'native' && LOOPBACK.has(url.hostname)) throw invalid(`${field} ${JSON.stringify(value)}: a native client uses http on loopback addresses`);
    return value;
  }
  if (url.protocol === 'http:') {
    if (LOOPBACK.has(url.hostname)) return value;
    throw invalid(`${field} ${JSON.stringify(value)} must use https (http is allowed only for localhost and 127.0.0.1)`);
  }
  if (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) {
    if (applicationType === 'native') return value;
    throw invalid(`${field} ${JSON.stringify(value)}: private-use schemes are for native clients (application type native)`);
  }
  throw invalid(`${field} ${JSON.stringify(value)} must use https`);
}

/** A list of redirect URIs, each checked by validateRedirectUri: duplicates dropped, at most MAX_REDIRECT_URIS of at most MAX_REDIRECT_URI_LENGTH characters. */
export function validateRedirectUris(values: readonly string[], field: string, applicationType: ApplicationType): string[] {
  const uris = [...new Set(values)];
  if (uris.length > MAX_REDIRECT_URIS) throw invalid(`at most ${MAX_REDIRECT_URIS} ${field}s`);
  for (const u of uris) {
    if (u.length > MAX_REDIRECT_URI_LENGTH) throw invalid(`a ${field} must be at most ${MAX_REDIRECT_URI_LENGTH} characters`);
    validateRedirectUri(u, field, applicationType);
  }
  return uris;
}

export function validateScopes(scopes: readonly string[], known: readonly string[]): string[] {
  const knownSet = new Set(known);
  for (const s of scopes) {
    if (!knownSet.has(s)) throw invalid(`unknown scope ${JSON.stringify(s)} (known: ${known.join(' ')})`);
  }
  return [...new Set(scopes)];
}

/** What a client is registered with: the fields a registration is checked on as a whole. */
export interface Registration {
  name: string;
  grantTypes: readonly string[];
  redirectUris: readonly string[];
  postLogoutRedirectUris: readonly string[];
  scopes: readonly string[];
  public: boolean;
  applicationType: ApplicationType;
}

/** A registration that passed validateRegistration, normalised (names trimmed, duplicates dropped). */
export interface ValidRegistration extends Registration {
  grantTypes: GrantType[];
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  scopes: string[];
}

/**
 * Checks a client's registration as a whole: when it is created and after every change, so a change
 * cannot make a client that could not have been registered. The name, grant types, redirect URIs
 * (at least one for authorization_code, none without it), post-logout redirect URIs, scopes (one of
 * `knownScopes` each), and no client_credentials or trusted grant for a public client (those grants
 * authenticate with an api-key).
 */
export function validateRegistration(input: Registration, knownScopes: readonly string[]): ValidRegistration {
  const name = validateClientName(input.name);
  const grantTypes = validateGrantTypes(input.grantTypes);
  const redirectUris = validateRedirectUris(input.redirectUris, 'redirect URI', input.applicationType);
  const postLogoutRedirectUris = validateRedirectUris(input.postLogoutRedirectUris, 'post-logout redirect URI', input.applicationType);
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
    throw invalid('the authorization_code grant needs at least one redirect URI');
  }
  if (!grantTypes.includes('authorization_code') && redirectUris.length > 0) {
    throw invalid('redirect URIs are only used by the authorization_code grant');
  }
  if (input.public && grantTypes.some((g) => g === 'client_credentials' || g === 'trusted')) {
    throw invalid('a public client cannot use client_credentials or trusted: those grants need an api-key');
  }
  const scopes = validateScopes(input.scopes, knownScopes);
  return { name, grantTypes, redirectUris, postLogoutRedirectUris, scopes, public: input.public, applicationType: input.applicationType };
}

export function splitList(value: string | undefined, separator: RegExp = /[\s,]+/): string[] {
  return (value ?? '').split(separator).map((s) => s.trim()).filter(Boolean);
}
