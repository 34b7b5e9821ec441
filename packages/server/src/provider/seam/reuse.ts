/**
 * Seam: reuse of a one-time credential (authorization code, device code, rotated refresh token).
 * oidc-provider revokes the grant when a credential it reads is already consumed, and says so only
 * in the InvalidGrant's detail; the audit recognises a reuse by that wording.
 */
import type { Assumption } from './assumption.ts';

/**
 * oidc-provider's InvalidGrant detail for each reuse, per grant type, and the audit event it is.
 * Upstream: lib/helpers/grant_source.js:28 ("<label> already consumed", labels passed at
 * lib/actions/grants/authorization_code.js:62 and lib/actions/grants/device_code.js:49) and
 * lib/actions/grants/refresh_token.js:112. Only the wording tells a reuse apart from other
 * `invalid_grant`s. Remove when oidc-provider emits an event of its own for a reuse.
 */
const REUSES = [
  { grantType: 'authorization_code', detail: 'authorization code already consumed', audit: 'authorization_code.reuse_detected' },
  { grantType: 'urn:ietf:params:oauth:grant-type:device_code', detail: 'device code already consumed', audit: 'device_code.reuse_detected' },
  { grantType: 'refresh_token', detail: 'refresh token already used', audit: 'refresh_token.reuse_detected' },
] as const;

export type ReuseAuditType = (typeof REUSES)[number]['audit'];

/** The audit event of a token endpoint error that is a reuse (oidc-provider has revoked the grant), else undefined. */
export function reuseOf(err: { error?: string; error_detail?: string }): ReuseAuditType | undefined {
  if (err.error !== 'invalid_grant') return undefined;
  return REUSES.find((r) => r.detail === err.error_detail)?.audit;
}

export const assumptions: Assumption[] = [
  {
    name: 'grant_source: the reuse detail is "<label> already consumed"',
    file: 'lib/helpers/grant_source.js',
    line: 28,
    text: 'throw new InvalidGrant(`${label} already consumed`);',
    why: 'the audit recognises a reused code by this wording',
    removeWhen: 'oidc-provider emits an event of its own for a reuse',
  },
  {
    name: 'authorization_code grant: its credential label',
    file: 'lib/actions/grants/authorization_code.js',
    line: 62,
    text: "await consumeGrantSource(ctx, code, 'authorization code');",
    why: 'the audit recognises a reused authorization code by "authorization code already consumed"',
    removeWhen: 'oidc-provider emits an event of its own for a reuse',
  },
  {
    name: 'device_code grant: its credential label',
    file: 'lib/actions/grants/device_code.js',
    line: 49,
    text: "await consumeGrantSource(ctx, code, 'device code');",
    why: 'the audit recognises a reused device code by "device code already consumed"',
    removeWhen: 'oidc-provider emits an event of its own for a reuse',
  },
  {
    name: 'refresh_token grant: the reuse detail',
    file: 'lib/actions/grants/refresh_token.js',
    line: 112,
    text: "throw new InvalidGrant('refresh token already used');",
    why: 'the audit recognises a reused refresh token by this wording',
    removeWhen: 'oidc-provider emits an event of its own for a reuse',
  },
];
