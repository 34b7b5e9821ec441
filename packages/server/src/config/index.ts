/** Loads and validates configuration from the environment; an invalid value stops the process with a message naming the variable. */
import { envSchema } from './schema.ts';
import { isEmailAddress } from '../accounts/email.ts';

/** Where `PROPUSK_MAIL_TRANSPORT=dev` writes messages unless PROPUSK_MAIL_DIR says otherwise. */
export const DEFAULT_MAIL_DIR = './data/mail';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  issuer: string;
  /** True when PROPUSK_ISSUER was set (not the development default). */
  issuerConfigured: boolean;
  databaseUrl: string;
  masterKey: Buffer | undefined;
  cookieKeys: string[] | undefined;
  logLevel: string;
  demo: boolean;
  trustProxy: boolean;
  sweepIntervalSeconds: number;
  /** Audit events older than this are swept (PROPUSK_AUDIT_RETENTION_DAYS). */
  auditRetentionDays: number;
  keyOverlapSeconds: number;
  ttl: {
    accessToken: number;
    authorizationCode: number;
    idToken: number;
    refreshToken: number;
    session: number;
    interaction: number;
    deviceCode: number;
    /** Seconds a set-password link works (accounts/password-links.ts). */
    passwordLink: number;
  };
  /** Seconds a rotated refresh token may still be presented by its client (storage/oidc-adapter.ts). */
  refreshReuseInterval: number;
  devicePollInterval: number;
  /** Limits on wrong device-flow user codes (guessing). */
  deviceCodeAttempts: { perIp: number; perSession: number; windowSeconds: number };
  /** Proxies in front whose `X-Forwarded-For` entries are trusted (with `trustProxy`). */
  trustProxyHops: number;
  /** Where rate-limit counters live when shared by several instances (else PostgreSQL or memory, by `databaseUrl`). */
  redisUrl: string | undefined;
  /** Sign-in brute-force limits (http/sign-in-limits.ts). */
  signInLimits: { perAccount: number; lockSeconds: number; perIp: number; ipWindowSeconds: number; delayMs: number };
  /** Per-client token endpoint rate limit; `points` 0 is off. */
  tokenRateLimit: { points: number; windowSeconds: number };
  /** Bearer token of `/metrics`; unset: loopback only. */
  metricsToken: string | undefined;
  /** Operators must use a second factor (PROPUSK_ADMIN_REQUIRE_MFA). */
  operatorsRequireMfa: boolean;
  /** How e-mail is sent (mail/index.ts): SMTP, files for development, or not at all. */
  mail: { transport: 'off' } | { transport: 'dev'; dir: string; from: string } | { transport: 'smtp'; url: string; from: string };
}

/** `Name <address>` or a bare address; the address must pass the account e-mail rule. */
const MAIL_FROM = /^(?:[^<>]*<([^<>\s]+)>|([^<>\s]+))$/;

function mailConfig(e: { NODE_ENV: string; PROPUSK_MAIL_TRANSPORT?: 'smtp' | 'dev' | 'off' | undefined; PROPUSK_SMTP_URL?: string | undefined; PROPUSK_MAIL_FROM?: string | undefined; PROPUSK_MAIL_DIR?: string | undefined }, issuer: string): Config['mail'] {
  const transport = e.PROPUSK_MAIL_TRANSPORT ?? (e.NODE_ENV === 'production' ? 'off' : 'dev');
  if (e.PROPUSK_MAIL_FROM !== undefined) {
    const m = MAIL_FROM.exec(e.PROPUSK_MAIL_FROM.trim());
    if (!m || !isEmailAddress(m[1] ?? m[2] ?? '')) throw new ConfigError(`PROPUSK_MAIL_FROM: must be an e-mail address or \`Name <address>\`, e.g. \`Propusk <no-reply@id.example.ru>\` (got ${JSON.stringify(e.PROPUSK_MAIL_FROM)})`);
  }
  const from = e.PROPUSK_MAIL_FROM?.trim() ?? `Propusk <no-reply@${new URL(issuer).hostname}>`;
  if (transport === 'off') return { transport };
  if (transport === 'dev') {
    // In production the files would hold live one-time links: only an operator who also chose their folder gets them.
    if (e.NODE_ENV === 'production' && e.PROPUSK_MAIL_DIR === undefined) {
      throw new ConfigError('PROPUSK_MAIL_TRANSPORT: dev writes every message, with its one-time link, to files and is refused when NODE_ENV=production unless PROPUSK_MAIL_DIR names their folder too (or use smtp, or off)');
    }
    return { transport, dir: e.PROPUSK_MAIL_DIR ?? DEFAULT_MAIL_DIR, from };
  }
  if (!e.PROPUSK_SMTP_URL) throw new ConfigError('PROPUSK_SMTP_URL: required when PROPUSK_MAIL_TRANSPORT=smtp');
  return { transport, url: e.PROPUSK_SMTP_URL, from };
}

/** Variables whose values are secrets: an error about one names it without its value. */
const SECRET_VARIABLES = new Set(['PROPUSK_MASTER_KEY', 'PROPUSK_COOKIE_KEYS', 'PROPUSK_METRICS_TOKEN', 'PROPUSK_SMTP_URL', 'REDIS_URL', 'DATABASE_URL']);

export class ConfigError extends Error {
  static readonly code = 'ERR_CONFIG';
  readonly code = ConfigError.code;
}

function parseMasterKey(value: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('PROPUSK_MASTER_KEY: must be 32 bytes, as 64 hex digits or base64 (generate one with `openssl rand -base64 32`)');
  }
  return key;
}

function normaliseIssuer(value: string): string {
  const url = new URL(value);
  if (url.search || url.hash || url.username || url.password) {
    throw new ConfigError('PROPUSK_ISSUER: must not contain a query, fragment or credentials');
  }
  return url.href.replace(/\/$/, '');
}

/** Reads configuration from `env` (default `process.env`). Throws ConfigError naming the variable at fault. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    // A secret's value is never repeated in the message (it goes to logs and terminals).
    throw new ConfigError(`${name}: ${issue.message}${SECRET_VARIABLES.has(name) ? '' : ` (got ${JSON.stringify(env[name] ?? '')})`}`);
  }
  const e = parsed.data;
  const issuer = normaliseIssuer(e.PROPUSK_ISSUER ?? `http://localhost:${e.PORT}`);
  if (!/^(sqlite:|postgres(ql)?:\/\/)/.test(e.DATABASE_URL)) {
    throw new ConfigError(`DATABASE_URL: must start with sqlite: or postgres:// (got ${JSON.stringify(e.DATABASE_URL.split(':')[0])}:…)`);
  }
  const masterKey = e.PROPUSK_MASTER_KEY ? parseMasterKey(e.PROPUSK_MASTER_KEY) : undefined;
  if (e.NODE_ENV === 'production') {
    if (!masterKey) throw new ConfigError('PROPUSK_MASTER_KEY: required when NODE_ENV=production');
    if (!issuer.startsWith('https://')) throw new ConfigError('PROPUSK_ISSUER: must be https:// when NODE_ENV=production');
  }
  const cookieKeys = e.PROPUSK_COOKIE_KEYS?.split(',').map((k) => k.trim()).filter(Boolean);
  if (cookieKeys && cookieKeys.some((k) => k.length < 32)) {
    throw new ConfigError('PROPUSK_COOKIE_KEYS: every key must be at least 32 characters');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    // A development instance prints its demo secrets: it listens on this machine only unless told otherwise.
    host: e.HOST ?? e.PROPUSK_HOST ?? (e.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'),
    issuer,
    issuerConfigured: e.PROPUSK_ISSUER !== undefined,
    databaseUrl: e.DATABASE_URL,
    masterKey,
    cookieKeys,
    logLevel: e.PROPUSK_LOG_LEVEL,
    demo: e.PROPUSK_DEMO && e.NODE_ENV !== 'production',
    trustProxy: e.PROPUSK_TRUST_PROXY,
    sweepIntervalSeconds: e.PROPUSK_SWEEP_INTERVAL,
    auditRetentionDays: e.PROPUSK_AUDIT_RETENTION_DAYS,
    keyOverlapSeconds: e.PROPUSK_KEY_OVERLAP,
    ttl: {
      accessToken: e.PROPUSK_ACCESS_TOKEN_TTL,
      authorizationCode: e.PROPUSK_AUTHORIZATION_CODE_TTL,
      idToken: e.PROPUSK_ID_TOKEN_TTL,
      refreshToken: e.PROPUSK_REFRESH_TOKEN_TTL,
      session: e.PROPUSK_SESSION_TTL,
      interaction: e.PROPUSK_INTERACTION_TTL,
      deviceCode: e.PROPUSK_DEVICE_CODE_TTL,
      passwordLink: e.PROPUSK_PASSWORD_LINK_TTL,
    },
    refreshReuseInterval: e.PROPUSK_REFRESH_REUSE_INTERVAL,
    devicePollInterval: e.PROPUSK_DEVICE_POLL_INTERVAL,
    deviceCodeAttempts: {
      perIp: e.PROPUSK_DEVICE_CODE_ATTEMPTS_PER_IP,
      perSession: e.PROPUSK_DEVICE_CODE_ATTEMPTS_PER_SESSION,
      windowSeconds: e.PROPUSK_DEVICE_CODE_ATTEMPTS_WINDOW,
    },
    trustProxyHops: e.PROPUSK_TRUST_PROXY_HOPS,
    redisUrl: e.REDIS_URL,
    signInLimits: {
      perAccount: e.PROPUSK_SIGN_IN_ATTEMPTS_PER_ACCOUNT,
      lockSeconds: e.PROPUSK_SIGN_IN_LOCK,
      perIp: e.PROPUSK_SIGN_IN_ATTEMPTS_PER_IP,
      ipWindowSeconds: e.PROPUSK_SIGN_IN_IP_WINDOW,
      delayMs: e.PROPUSK_SIGN_IN_DELAY_MS,
    },
    tokenRateLimit: { points: e.PROPUSK_TOKEN_RATE_LIMIT, windowSeconds: e.PROPUSK_TOKEN_RATE_WINDOW },
    metricsToken: e.PROPUSK_METRICS_TOKEN,
    operatorsRequireMfa: e.PROPUSK_ADMIN_REQUIRE_MFA === undefined ? e.NODE_ENV === 'production' : ['1', 'true', 'yes', 'on'].includes(e.PROPUSK_ADMIN_REQUIRE_MFA),
    mail: mailConfig(e, issuer),
  };
}
