/**
 * Configuration schema: every environment variable Propusk reads, its default and its meaning.
 * The JSDoc comment on each entry is the documentation; `npm run docs:config` turns it into
 * docs/configuration.md.
 */
import { z } from 'zod';
import { parseDuration } from './duration.ts';

const seconds = (def: number) => z.coerce.number().int().positive().default(def);
/**
 * A lifetime in seconds, written as a whole number of seconds like the other TTL settings or as a
 * duration (`30m`, `12h`, `7d`; config/duration.ts); positive and at most `maxSeconds`.
 */
const lifetime = (def: string, maxSeconds: number) =>
  z
    .string()
    .default(def)
    .transform((value, ctx) => {
      const trimmed = value.trim();
      const ms = /^\d{1,9}$/.test(trimmed) ? Number(trimmed) * 1000 : parseDuration(trimmed);
      if (ms === undefined || ms < 1000 || ms % 1000 !== 0 || ms > maxSeconds * 1000) {
        ctx.addIssue({ code: 'custom', message: `must be a number of seconds or a duration such as 30m, 12h or 7d, at most ${maxSeconds / 86_400} days` });
        return z.NEVER;
      }
      return ms / 1000;
    });
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
  /** Address to bind, e.g. `0.0.0.0` for every interface (in a container) or `::`. Default: `127.0.0.1` (this machine only), or `0.0.0.0` (all interfaces) when `NODE_ENV=production`. */
  HOST: z.string().min(1).optional(),
  /** The former name of `HOST`, still read; `HOST` wins when both are set. Default: unset. */
  PROPUSK_HOST: z.string().min(1).optional(),
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
  /** Seconds during which a just-rotated refresh token may be presented again by its client (two workers refreshing at once) and gets a new token set instead of revoking the grant; `0` turns it off. Default: `10`. */
  PROPUSK_REFRESH_REUSE_INTERVAL: z.coerce.number().int().nonnegative().default(10),
  /** Browser sign-in session lifetime in seconds. Default: `1209600` (14 days). */
  PROPUSK_SESSION_TTL: seconds(1_209_600),
  /** Lifetime of a sign-in/consent interaction in seconds. Default: `3600` (1 hour). */
  PROPUSK_INTERACTION_TTL: seconds(3600),
  /** Device-code lifetime in seconds (`expires_in` of the device authorization response). Default: `300`. */
  PROPUSK_DEVICE_CODE_TTL: seconds(300),
  /** How long a one-time set-password link (`propusk admin user password-link`) works: seconds, or a duration such as `30m`, `12h`, `7d`; at most 30 days. Issuing a new link for an account ends its earlier ones. Default: `24h`. */
  PROPUSK_PASSWORD_LINK_TTL: lifetime('24h', 30 * 86_400),
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
  /** Audit events older than this many days are deleted by the periodic sweep (at most 50,000 rows per sweep). Default: `90`. */
  PROPUSK_AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** How long a retired signing key stays published in the JWKS after a rotation, in seconds. Default: `172800` (48 hours: longer than any token signed with it lives). */
  PROPUSK_KEY_OVERLAP: seconds(172_800),
  /** Trust `X-Forwarded-For` (the client IP, for rate limits and the audit log) from a reverse proxy. URLs are built from the issuer, never from `Host` or `X-Forwarded-Host`, and cookies are `Secure` exactly when the issuer is https. Enable only behind a proxy that sets the header. Default: `0`. */
  PROPUSK_TRUST_PROXY: flag(false),
  /** With `PROPUSK_TRUST_PROXY=1`: how many trusted proxies append to `X-Forwarded-For`; the client IP (for rate limits and the audit log) is the entry this many places from the right, so addresses a client writes into the header itself are ignored. Default: `1`. */
  PROPUSK_TRUST_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
  /** Redis for the rate-limit and brute-force counters of several instances (`redis://[:password@]host:port[/db]`). Unset: the counters live in PostgreSQL when `DATABASE_URL` is PostgreSQL, else in process memory. Default: unset. */
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  /** Failed sign-ins accepted per login (normalised; whether or not the account exists) before it is locked for `PROPUSK_SIGN_IN_LOCK` seconds. Default: `5`. */
  PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT: seconds(5),
  /** How long a login stays locked after too many failed sign-ins, in seconds; failures older than this are forgotten. Default: `900` (15 minutes). */
  PROPUSK_SIGN_IN_LOCK: seconds(900),
  /** Failed sign-ins accepted from one client IP address per `PROPUSK_SIGN_IN_IP_WINDOW`; past it every sign-in from that address is refused until the window ends. Default: `50`. */
  PROPUSK_SIGN_IN_ATTEMPTS_PER_IP: seconds(50),
  /** Window of the per-IP sign-in limit, in seconds (counting starts at the first failure). Default: `3600` (1 hour). */
  PROPUSK_SIGN_IN_IP_WINDOW: seconds(3600),
  /** Progressive delay: the n-th failed sign-in of a login in a row is answered after (n − 1) × this many milliseconds, at most 10 s (`0` turns the delay off). Default: `500`. */
  PROPUSK_SIGN_IN_DELAY_MS: z.coerce.number().int().min(0).max(10_000).default(500),
  /** Token requests accepted per authenticated client per `PROPUSK_TOKEN_RATE_WINDOW`; past it `/connect/token` answers 429 `temporarily_unavailable` with `Retry-After` (`0` turns the limit off, e.g. for benchmarks). Default: `200`. */
  PROPUSK_TOKEN_RATE_LIMIT: z.coerce.number().int().min(0).default(200),
  /** Window of the per-client token limit, in seconds. Default: `1`. */
  PROPUSK_TOKEN_RATE_WINDOW: seconds(1),
  /** Operators (accounts with a role: `admin`, `support` or `auditor`) must use a second factor: every sign-in of such an account takes one (enrolled on the spot if it has none), the console asks for it, and the management API refuses a person's token from a sign-in without it. Default: on when `NODE_ENV=production`, off otherwise. */
  PROPUSK_ADMIN_REQUIRE_MFA: z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off']).optional(),
  /** How e-mail (the "Forgot password?" link) is sent: `smtp` (through `PROPUSK_SMTP_URL`), `dev` (each message written as an `.eml` file to `PROPUSK_MAIL_DIR` and named in the log, for development) or `off` (no e-mail: the "Forgot password?" link is not offered). With `NODE_ENV=production`, `dev` is refused unless `PROPUSK_MAIL_DIR` is set too (the files hold live one-time links), and a warning is logged at start. Default: `dev`, or `off` when `NODE_ENV=production`. */
  PROPUSK_MAIL_TRANSPORT: z.enum(['smtp', 'dev', 'off']).optional(),
  /** SMTP server for `PROPUSK_MAIL_TRANSPORT=smtp`: `smtp://user:password@host:587` (STARTTLS when the server offers it; required with `?requireTLS=true`) or `smtps://…:465` (TLS from the start). Never logged. Default: unset. */
  PROPUSK_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  /** Sender of Propusk's e-mail: an address, or `Name <address>`, e.g. `Propusk <no-reply@id.example.ru>`. Default: `Propusk <no-reply@<issuer host>>`. */
  PROPUSK_MAIL_FROM: z.string().min(3).optional(),
  /** Folder where `PROPUSK_MAIL_TRANSPORT=dev` writes each message as an `.eml` file (created with mode 0700, files 0600). Default: `./data/mail`. */
  PROPUSK_MAIL_DIR: z.string().min(1).optional(),
  /** Bearer token that `/metrics` requires (at least 16 characters). Unset: `/metrics` answers only requests from the loopback interface (127.0.0.1, ::1), never through a trusted proxy. Default: unset. */
  PROPUSK_METRICS_TOKEN: z.string().min(16).optional(),
});

export type Env = z.infer<typeof envSchema>;
