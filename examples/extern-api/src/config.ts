/**
 * Configuration of the demo API from environment variables. Every default is
 * documented where it is declared, and an invalid value stops the start with a
 * message naming the variable.
 *
 * @module
 */
import { EXTERN_API_DEFAULTS, type ExternApiOptions } from './app.ts';

/** Where and how `npm start` runs the API. */
export interface ExternApiConfig extends ExternApiOptions {
  /** TCP port. `PORT`, default `4000`. */
  port: number;
  /** Interface to listen on. `EXTERN_API_HOST`, default `127.0.0.1` (use `0.0.0.0` in a container). */
  host: string;
}

/** Defaults, one per variable. */
export const DEFAULTS = {
  /** `EXTERN_API_CLIENT_ID`: see {@link EXTERN_API_DEFAULTS}. */
  clientId: EXTERN_API_DEFAULTS.clientId,
  /** `EXTERN_API_AUDIENCE`: see {@link EXTERN_API_DEFAULTS}. */
  audience: EXTERN_API_DEFAULTS.audience,
  /** `PORT`. */
  port: 4000,
  /** `EXTERN_API_HOST`. */
  host: '127.0.0.1',
  /**
   * `EXTERN_API_CACHE_TTL`, seconds: how long a positive introspection result
   * is reused, i.e. how long a revoked token keeps working here. `0` turns the
   * cache off (every request is introspected, revocation is immediate).
   */
  cacheTtlSeconds: 30,
} as const;

/** Thrown for a missing or invalid variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration.
 *
 * | variable | default |
 * |---|---|
 * | `PROPUSK_ISSUER` | required, e.g. `http://localhost:3000` |
 * | `EXTERN_API_CLIENT_SECRET` | required: the api-key of `EXTERN_API_CLIENT_ID` |
 * | `EXTERN_API_CLIENT_ID` | `rs.extern.api` |
 * | `EXTERN_API_AUDIENCE` | `urn:propusk:api:extern.api` |
 * | `EXTERN_API_CACHE_TTL` | `30` (seconds; `0` = no cache) |
 * | `PORT` | `4000` |
 * | `EXTERN_API_HOST` | `127.0.0.1` |
 * | `EXTERN_API_DPOP` | `allowed` (`required`: DPoP-bound tokens only; `off`: Bearer only) |
 * | `EXTERN_API_EXTERNAL_URL` | none: `http://` + the Host header (set it behind a proxy, for DPoP) |
 *
 * @throws {ConfigError} naming the variable at fault.
 */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): ExternApiConfig {
  const issuer = required(env, 'PROPUSK_ISSUER');
  const protocol = URL.parse(issuer)?.protocol;
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new ConfigError(`PROPUSK_ISSUER must be an absolute http(s) URL (got ${JSON.stringify(issuer)})`);
  }
  const cacheTtl = integer(env, 'EXTERN_API_CACHE_TTL', DEFAULTS.cacheTtlSeconds, 0, 86_400);
  const dpop = nonEmpty(env, 'EXTERN_API_DPOP');
  if (dpop !== undefined && dpop !== 'allowed' && dpop !== 'required' && dpop !== 'off') {
    throw new ConfigError(`EXTERN_API_DPOP must be allowed, required or off (got ${JSON.stringify(dpop)})`);
  }
  const externalUrl = nonEmpty(env, 'EXTERN_API_EXTERNAL_URL');
  const externalProtocol = externalUrl === undefined ? undefined : URL.parse(externalUrl)?.protocol;
  if (externalUrl !== undefined && externalProtocol !== 'https:' && externalProtocol !== 'http:') {
    throw new ConfigError(`EXTERN_API_EXTERNAL_URL must be an absolute http(s) URL (got ${JSON.stringify(externalUrl)})`);
  }
  return {
    ...(dpop === undefined ? {} : { dpop }),
    ...(externalUrl === undefined ? {} : { externalUrl }),
    issuer,
    clientId: nonEmpty(env, 'EXTERN_API_CLIENT_ID') ?? DEFAULTS.clientId,
    clientSecret: required(env, 'EXTERN_API_CLIENT_SECRET'),
    audience: nonEmpty(env, 'EXTERN_API_AUDIENCE') ?? DEFAULTS.audience,
    cache: cacheTtl === 0 ? false : { ttlSeconds: cacheTtl },
    port: integer(env, 'PORT', DEFAULTS.port, 0, 65_535),
    host: nonEmpty(env, 'EXTERN_API_HOST') ?? DEFAULTS.host,
  };
}

function nonEmpty(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = nonEmpty(env, name);
  if (value === undefined) throw new ConfigError(`${name} is required`);
  return value;
}

function integer(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = nonEmpty(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max} (got ${JSON.stringify(raw)})`);
  }
  return value;
}
