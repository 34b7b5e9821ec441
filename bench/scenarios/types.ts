/** The shape of a scenario and of what it is run against: one scenario per file, listed in index.ts. */
import type { LoadRequest } from '../lib/autocannon.ts';

/** The servers a scenario can be measured on. */
export type TargetName = 'propusk' | 'bare-oidc-provider';

/** Kinds of seeded data a scenario may need; seed.ts prepares the union of what the selected scenarios need. */
export type FixtureKind = 'tokens';

export interface Credentials {
  clientId: string;
  secret: string;
}

/** Data seeded on a target before its measured phase. */
export interface Fixtures {
  /** A confidential client allowed client_credentials for extern.api. */
  client: Credentials;
  /** extern.api's introspection credentials (`rs.extern.api`). */
  introspector: Credentials;
  /** Live extern.api access tokens (empty unless a selected scenario needs `tokens`). */
  tokens: string[];
}

/** A running server a scenario is measured on. */
export interface Target {
  name: TargetName;
  url: string;
  /** Headers every request carries (X-Forwarded-Proto: https, so that the https issuer is served as in production). */
  headers: Record<string, string>;
  fixtures: Fixtures;
}

export interface Scenario {
  /** CLI name (`--only`), also the file name, e.g. `client-credentials`. */
  name: string;
  /** What one request is, in a few words (the report's legend). */
  summary: string;
  /** Seeded data it needs. */
  needs: readonly FixtureKind[];
  /** Targets other than Propusk that serve the same endpoint, for the same-endpoint ratio. */
  comparableOn: readonly Exclude<TargetName, 'propusk'>[];
  /** The request sequence each autocannon connection cycles through. */
  requests(target: Target): LoadRequest[];
  /**
   * Checks one response (status and body) before the measurement. Returns what is wrong, or
   * undefined. A 200 that is not what a client expects (e.g. `active: false`) must not be measured.
   */
  check(status: number, body: string): string | undefined;
}

/** Form-encodes a body for application/x-www-form-urlencoded. */
export const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Authorization header for client_secret_basic (RFC 6749 §2.3.1: form-encode, then base64). */
export const basicAuth = ({ clientId, secret }: Credentials) =>
  `Basic ${Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(secret)}`).toString('base64')}`;

/** Parses a JSON body; undefined when it is not JSON. */
export function json(body: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(body);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The usual check: status 200 and a JSON body with the given fields. */
export function expectJson(status: number, body: string, fields: string[], extra?: (o: Record<string, unknown>) => string | undefined): string | undefined {
  if (status !== 200) return `status ${status}: ${body.slice(0, 300)}`;
  const o = json(body);
  if (!o) return `not JSON: ${body.slice(0, 300)}`;
  const missing = fields.filter((f) => !(f in o));
  if (missing.length) return `missing ${missing.join(', ')} in ${body.slice(0, 300)}`;
  return extra?.(o);
}
