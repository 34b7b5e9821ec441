/** Validation of client registration data: identifiers, redirect URIs, grant types, scopes. */
import { invalid } from '../shared/errors.ts';
import { APPLICATION_TYPES, GRANT_TYPES, PERMISSIONS, type ApplicationType, type GrantType, type Permission } from './types.ts';

/** A service name: letters, digits, dots, dashes and underscores, e.g. `extern.api` or `awesome_device_client`. */
export const CLIENT_ID = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?$/;

export function validateClientId(clientId: string): string {
  if (!CLIENT_ID.test(clientId)) {
    throw invalid('client_id must be 1-100 letters, digits, dots, dashes or underscores, starting and ending with a letter or digit');
  }
  return clientId;
}

export function validateGrantTypes(values: string[]): GrantType[] {
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

export function splitList(value: string | undefined, separator: RegExp = /[\s,]+/): string[] {
  return (value ?? '').split(separator).map((s) => s.trim()).filter(Boolean);
}
