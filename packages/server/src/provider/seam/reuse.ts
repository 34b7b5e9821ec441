/**
 * Seam: reuse of a one-time credential (authorization code, device code, rotated refresh token).
 * oidc-provider revokes the grant when a credential it reads is already consumed, and says so only
 * in the InvalidGrant's detail; the audit recognises a reuse by that wording. A consume that loses a
 * race at the adapter (storage/oidc-adapter.ts `ConsumeRaceLost`) is the same reuse seen a moment
 * later, and is handled as oidc-provider handles the sequential one.
 */
import { errors } from 'oidc-provider';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
// @ts-expect-error -- deep import without type declarations
import revokeGrant from 'oidc-provider/lib/helpers/revoke.js';
import { ConsumeRaceLost } from '../../storage/oidc-adapter.ts';
import { wrapGrantHandler } from './configuration.ts';
import type { Assumption } from './assumption.ts';

const revoke = revokeGrant as (ctx: KoaContextWithOIDC, grantId: string | undefined) => Promise<void>;

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

/**
 * A lost consume race is a reuse: the grant is revoked as oidc-provider revokes it for a credential
 * presented again (its own `revoke`, which also emits `grant.revoked`), and the request fails with
 * the same InvalidGrant, so the reuse is audited as one. Without this, the exchange that won would
 * keep its tokens although the credential was presented twice.
 * Upstream: lib/helpers/revoke.js:4 (`revoke(ctx, grantId)`, what lib/helpers/grant_source.js:27
 * calls for a consumed credential). Remove when oidc-provider treats a failed consume as a reuse.
 */
export function revokeOnLostConsumeRace(provider: Provider): void {
  for (const { grantType, detail } of REUSES) {
    wrapGrantHandler(provider, grantType, (original) => async (ctx) => {
      try {
        await original(ctx);
      } catch (err) {
        if (!(err instanceof ConsumeRaceLost)) throw err;
        await revoke(ctx, err.grantId);
        throw new errors.InvalidGrant(detail);
      }
    });
  }
}

export const assumptions: Assumption[] = [
  {
    name: 'grant_source: a consumed credential revokes the grant',
    file: 'lib/helpers/grant_source.js',
    line: 27,
    text: 'await revoke(ctx, source.grantId);',
    why: 'a lost consume race does what a sequential reuse does',
    removeWhen: 'oidc-provider treats a failed consume as a reuse',
  },
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
  {
    name: 'refresh_token grant: a rotated token is consumed through the adapter',
    file: 'lib/actions/grants/refresh_token.js',
    line: 122,
    text: 'await refreshToken.consume();',
    why: 'a refresh that loses the race at the adapter is a reuse',
    removeWhen: 'oidc-provider treats a failed consume as a reuse',
  },
  {
    name: 'revoke: the helper that revokes a grant for a reuse',
    file: 'lib/helpers/revoke.js',
    line: 4,
    text: 'export default async function revoke(ctx, grantId) {',
    holds: () => typeof revokeGrant === 'function',
    why: 'a lost consume race revokes exactly what a sequential reuse revokes',
    removeWhen: 'oidc-provider treats a failed consume as a reuse',
  },
];
