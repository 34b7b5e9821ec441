/** The shape of a scenario and of what it is run against: one scenario per file, listed in index.ts. */
import type { LoadRequest } from '../lib/autocannon.ts';
import type { Row, ServerFacts, ServerName } from '../lib/report.ts';
import type { JwtAlg } from './jwt-algs.ts';

/** The servers a scenario can be measured on. */
export type TargetName = 'propusk' | 'bare-oidc-provider' | 'glewlwyd';

/**
 * Where a target serves each endpoint the load scenarios use: Propusk and bare-oidc-provider share
 * one layout (DEFAULT_PATHS), a peer has its own (Glewlwyd: /api/<plugin>/…).
 */
export interface EndpointPaths {
  discovery: string;
  jwks: string;
  token: string;
  introspection: string;
}

export const DEFAULT_PATHS: EndpointPaths = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/openid-configuration/jwks',
  token: '/connect/token',
  introspection: '/connect/introspect',
};

/**
 * Kinds of seeded data a scenario may need; seed.ts / targets.ts prepare the union of what the
 * selected scenarios need:
 * - `tokens`: live extern.api access tokens (client_credentials), `--tokens` of them;
 * - `users`: accounts with known passwords and a confidential web client (authorization code flow);
 * - `refresh-tokens`: unused refresh tokens of the web client, `--refresh-tokens` of them;
 * - `device-codes`: pending device codes (nobody approves them), `--device-codes` of them;
 * - `trusted-assertions`: partner JWTs for the trusted grant, signed before anything is measured;
 * - `jwt-apis`: one API per signing algorithm whose access tokens are JWTs, and a client for them.
 */
export type FixtureKind = 'tokens' | 'users' | 'refresh-tokens' | 'device-codes' | 'trusted-assertions' | 'jwt-apis';

export interface Credentials {
  clientId: string;
  secret: string;
}

export interface User {
  login: string;
  password: string;
}

/** Data seeded on a target before its measured phase. Fields a target was not seeded with are empty. */
export interface Fixtures {
  /** A confidential client allowed client_credentials for extern.api. */
  client: Credentials;
  /** extern.api's introspection credentials (`rs.extern.api`). */
  introspector: Credentials;
  /** Live extern.api access tokens (empty unless a selected scenario needs `tokens`). */
  tokens: string[];
  /** Confidential client with authorization_code and refresh_token, its redirect URI and the scope it asks for. */
  web?: Credentials & { redirectUri: string; scope: string };
  /** Accounts that sign in with a password (argon2id). */
  users: User[];
  /** Unused refresh tokens of `web`: each rotation consumes one. */
  refreshTokens: string[];
  /** Confidential client with the device grant. */
  device?: Credentials;
  /** Pending device codes of `device` (never approved: polls answer `authorization_pending`). */
  deviceCodes: string[];
  /** Partner client with the `trusted` permission and pre-signed assertions, each with its own jti (usable once). */
  trusted?: { client: Credentials; assertions: string[] };
  /** A confidential client allowed client_credentials for APIs whose access tokens are JWTs, and the scope of such an API per signature algorithm. */
  jwt?: { client: Credentials; scopes: Partial<Record<JwtAlg, string>> };
}

/** A running server a scenario is measured on. */
export interface Target {
  name: TargetName;
  url: string;
  /** The issuer identifier it serves (https, behind the bench playing the TLS proxy). */
  issuer: string;
  /** Headers every request carries (X-Forwarded-Proto: https, so that the https issuer is served as in production). */
  headers: Record<string, string>;
  /** Its endpoint paths (scenarios address each server by its own URLs). */
  paths: EndpointPaths;
  fixtures: Fixtures;
}

interface ScenarioBase {
  /** CLI name (`--only`), also the file name, e.g. `client-credentials`. */
  name: string;
  /** What one request is, in a few words (the report's legend). */
  summary: string;
  /** Seeded data it needs. */
  needs: readonly FixtureKind[];
  /** Targets other than Propusk that serve the same endpoint with the same meaning, for the same-endpoint ratios. */
  comparableOn: readonly Exclude<TargetName, 'propusk'>[];
}

/** How autocannon loads a scenario when it differs from the CLI's `--connections` for `--duration` seconds. */
export interface LoadShape {
  /** Connections (default `--connections`). */
  connections?: number;
  /** Requests per second over all connections (autocannon `overallRate`); unset: as fast as the server answers. */
  overallRate?: (target: Target) => number;
  /**
   * Every response goes through `check()`: a non-2xx answer it accepts (e.g. the device grant's
   * 400 `authorization_pending`) is the expected answer and is counted apart, not as an error; any
   * answer it refuses makes the row invalid.
   */
  checkEveryResponse?: boolean;
  /**
   * Each request consumes one item of a seeded pool of this many (refresh tokens, single-use JWTs):
   * after the probe, the warm-up sends ~10 % of the rest and the measurement the remainder (fixed
   * amounts instead of `--duration` seconds), so that no item is sent twice.
   */
  pool?(target: Target): number;
}

/** A scenario of one kind of request, sent by autocannon. */
export interface LoadScenario extends ScenarioBase {
  kind?: 'load';
  /** The request sequence each autocannon connection cycles through. */
  requests(target: Target): LoadRequest[];
  /**
   * Checks one response (status and body) before the measurement. Returns what is wrong, or
   * undefined. A 200 that is not what a client expects (e.g. `active: false`) must not be measured.
   */
  check(status: number, body: string): string | undefined;
  load?: LoadShape;
  /** Each request signs one JWS with this algorithm: Propusk's row also reports the mean signature time its metric measured. */
  signs?: JwtAlg;
}

/** What run.ts hands a custom scenario: the Propusk target and the measuring helpers. */
export interface CustomRun {
  target: Target;
  /** Propusk's process id (CPU time and RSS). */
  pid: number;
  settings: { duration: number; warmup: number; connections: number };
  /** Core the servers are pinned to (undefined: not pinned). */
  serverCpu: number | undefined;
  /** Facts of a server this scenario starts itself (shown under the table). */
  facts(name: ServerName): ServerFacts;
  /** A note under the table. */
  note(text: string): void;
}

/**
 * A scenario that drives the load itself (multi-step flows, in-process calls, extra servers) and
 * returns its rows; lib/rows.ts has the measuring helpers.
 */
export interface CustomScenario extends ScenarioBase {
  kind: 'custom';
  run(bench: CustomRun): Promise<Row[]>;
}

export type Scenario = LoadScenario | CustomScenario;

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

/**
 * A request whose body is the next item of `items` each time it is sent (setupRequest). Once the
 * pool is used up it sends `exhausted` — a body the server refuses — rather than reusing an item.
 */
export function rotatingBody(request: LoadRequest, items: readonly string[], body: (item: string) => string, options: { wrap?: boolean; exhausted?: string } = {}): LoadRequest {
  // Bodies are built once: autocannon runs in this process, and its core is the load generator's.
  const bodies = items.map(body);
  const exhausted = body(options.exhausted ?? 'pool-exhausted');
  let next = 0;
  return {
    ...request,
    setupRequest: (r) => {
      if (next >= bodies.length && options.wrap) next = 0;
      r.body = next < bodies.length ? bodies[next++]! : exhausted;
      return r;
    },
  };
}
