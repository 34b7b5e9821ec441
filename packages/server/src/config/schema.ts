/**
 * Configuration schema: every environment variable Propusk reads, its default and its meaning.
 * The JSDoc comment on each entry is the documentation; `npm run docs:config` turns it into
 * docs/configuration.md.
 */
import { z } from 'zod';

const seconds = (def: number) => z.coerce.number().int().positive().default(def);
const flag = (def: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .default(def ? '1' : '0')
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

export const envSchema = z.object({
  /** Environment mode: `production` disables the demo bootstrap and requires `PROPUSK_MASTER_KEY` and an https issuer. Default: `development`. */
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** TCP port to listen on. Default: `3000`. */
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Address to bind. Default: `0.0.0.0` (all interfaces). */
  PROPUSK_HOST: z.string().min(1).default('0.0.0.0'),
  /** Public issuer URL (scheme, host, optional port and path; no trailing slash, query or fragment). Default: `http://localhost:<PORT>`. */
  PROPUSK_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  /** Database: `sqlite:<file>` (embedded, one machine) or `postgres://user@host:port/db` (several instances). Default: `sqlite:./data/propusk.sqlite`. */
  DATABASE_URL: z.string().min(1).default('sqlite:./data/propusk.sqlite'),
  /** 32-byte key (base64 or 64 hex digits) that encrypts signing keys and cookie keys at rest. Required in production; without it keys are stored unencrypted. Default: unset. */
  PROPUSK_MASTER_KEY: z.string().optional(),
  /** Comma-separated cookie-signing keys (newest first). Default: generated on first start and stored in the database, shared by every instance. */
  PROPUSK_COOKIE_KEYS: z.string().optional(),
  /** Log level: `fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. Default: `info`. */
  PROPUSK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Create a demo user and a demo client with random secrets on first start (never in production). Default: `1` (on). */
  PROPUSK_DEMO: flag(true),
  /** Default access-token lifetime in seconds, for API resources that do not set their own. Default: `86400` (24 hours). */
  PROPUSK_ACCESS_TOKEN_TTL: seconds(86_400),
  /** Authorization-code lifetime in seconds. Default: `60`. */
  PROPUSK_AUTHORIZATION_CODE_TTL: seconds(60),
  /** ID-token lifetime in seconds. Default: `3600` (1 hour). */
  PROPUSK_ID_TOKEN_TTL: seconds(3600),
  /** Refresh-token lifetime in seconds (each rotation issues a new one with this lifetime). Default: `2592000` (30 days). */
  PROPUSK_REFRESH_TOKEN_TTL: seconds(2_592_000),
  /** Browser sign-in session lifetime in seconds. Default: `1209600` (14 days). */
  PROPUSK_SESSION_TTL: seconds(1_209_600),
  /** Lifetime of a sign-in/consent interaction in seconds. Default: `3600` (1 hour). */
  PROPUSK_INTERACTION_TTL: seconds(3600),
  /** Device-code lifetime in seconds (`expires_in` of the device authorization response). Default: `300`. */
  PROPUSK_DEVICE_CODE_TTL: seconds(300),
  /** Minimum polling interval of the device flow in seconds (`interval`). Default: `3`. */
  PROPUSK_DEVICE_POLL_INTERVAL: seconds(3),
  /** Wrong device-flow user codes (on `/device` and `/device/qr.svg`) accepted from one client IP address per window; past it the pages answer 429 with `Retry-After`. Default: `30`. */
  PROPUSK_DEVICE_CODE_ATTEMPTS_PER_IP: seconds(30),
  /** Wrong device-flow user codes accepted from one browser session per window; past it `/device` answers 429 with `Retry-After`. Default: `10`. */
  PROPUSK_DEVICE_CODE_ATTEMPTS_PER_SESSION: seconds(10),
  /** Window of the wrong-user-code limits, in seconds (counting starts at the first wrong code). Default: `900` (15 minutes). */
  PROPUSK_DEVICE_CODE_ATTEMPTS_WINDOW: seconds(900),
  /** How often expired rows are deleted, in seconds. Default: `300`. */
  PROPUSK_SWEEP_INTERVAL: seconds(300),
  /** How long a retired signing key stays published in the JWKS after a rotation, in seconds. Default: `172800` (48 hours: longer than any token signed with it lives). */
  PROPUSK_KEY_OVERLAP: seconds(172_800),
  /** Trust `X-Forwarded-Proto`/`-Host`/`-For` from a reverse proxy. Enable only behind a proxy that sets them. Default: `0`. */
  PROPUSK_TRUST_PROXY: flag(false),
});

export type Env = z.infer<typeof envSchema>;
