/**
 * oidc-provider's events → audit records and metrics (no secrets: no token, code or JWT value is
 * ever read here, only ids, client ids, grant types and scopes):
 * - `grant.success`      → `token.issued` {grant_type, scope, grant_id} and tokens_issued_total
 * - `grant.error`        → `refresh_token.reuse_detected` / `authorization_code.reuse_detected`
 *                          (oidc-provider has just revoked the grant: rotation reuse, RFC 9700 §4.14)
 * - `grant.revoked`      → `grant.revoked` {grant_id, via: token | revocation | end_session}
 * - `*.destroyed` on the revocation endpoint → `token.revoked` {token_kind, grant_id}
 * - `end_session.success` → `session.ended`
 * Sign-in, consent, trusted-grant, linking and operator events are recorded where they happen.
 */
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { accountActor, clientActor, type AuditLog, type AuditRecord } from '../audit/types.ts';
import type { Metrics } from '../metrics/index.ts';
import type { Logger } from '../logger.ts';
import { currentContext } from './seam/request-context.ts';
import { reuseOf } from './seam/reuse.ts';

export interface ProviderEventDeps {
  audit: AuditLog;
  metrics: Metrics;
  logger: Logger;
  /** Grant types served (the metric's label values); others are counted as `other`. */
  grantTypes: ReadonlySet<string>;
}

interface TokenLike {
  clientId?: string;
  accountId?: string;
  grantId?: string;
  kind?: string;
}

export function recordProviderEvents(provider: Provider, deps: ProviderEventDeps): void {
  const { audit, metrics, logger } = deps;
  const record = (event: AuditRecord) => {
    // Events are synchronous; the audit write must not fail the response that triggered it.
    audit.record(event).catch((err: unknown) => logger.error({ err, type: event.type }, 'audit record failed'));
  };

  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantType = String(ctx.oidc.params?.grant_type ?? '');
    metrics.tokensIssued.inc({ grant_type: deps.grantTypes.has(grantType) ? grantType : 'other' });
    const body = ctx.body as { scope?: unknown } | undefined;
    const token = (ctx.oidc.entities.AccessToken ?? ctx.oidc.entities.ClientCredentials) as TokenLike | undefined;
    record({
      type: 'token.issued',
      actor: `client:${ctx.oidc.client?.clientId ?? ''}`,
      clientId: ctx.oidc.client?.clientId ?? null,
      accountId: token?.accountId ?? ctx.oidc.account?.accountId ?? null,
      details: {
        grant_type: grantType,
        ...(typeof body?.scope === 'string' ? { scope: body.scope } : {}),
        ...(token?.grantId ? { grant_id: token.grantId } : {}),
        refresh_token: Boolean((ctx.body as { refresh_token?: unknown } | undefined)?.refresh_token),
      },
    });
  });

  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: { error?: string; error_detail?: string }) => {
    // A reuse of a one-time credential (also one that lost a consume race): oidc-provider has revoked the grant.
    const type = reuseOf(err);
    if (!type) return;
    const source = (ctx.oidc.entities.RefreshToken ?? ctx.oidc.entities.AuthorizationCode ?? ctx.oidc.entities.DeviceCode) as TokenLike | undefined;
    record({
      type,
      actor: `client:${ctx.oidc.client?.clientId ?? ''}`,
      clientId: ctx.oidc.client?.clientId ?? null,
      accountId: source?.accountId ?? null,
      outcome: 'failure',
      details: { grant_id: source?.grantId ?? null, grant_revoked: true },
    });
  });

  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    record({
      type: 'grant.revoked',
      actor: ctx.oidc.client ? clientActor(ctx.oidc.client.clientId) : ctx.oidc.session?.accountId ? accountActor(ctx.oidc.session.accountId) : null,
      clientId: ctx.oidc.client?.clientId ?? null,
      accountId: ctx.oidc.session?.accountId ?? null,
      details: { grant_id: grantId, via: ctx.oidc.route },
    });
  });

  const revoked = (kind: string) => (token: TokenLike) => {
    // Model events carry no request: the request context (Provider.ctx) says where it happened.
    const ctx = currentContext();
    if (ctx?.oidc?.route !== 'revocation') return;
    record({
      type: 'token.revoked',
      actor: `client:${ctx.oidc.client?.clientId ?? ''}`,
      clientId: token.clientId ?? ctx.oidc.client?.clientId ?? null,
      accountId: token.accountId ?? null,
      details: { token_kind: kind, ...(token.grantId ? { grant_id: token.grantId } : {}) },
    });
  };
  provider.on('access_token.destroyed', revoked('access_token'));
  provider.on('client_credentials.destroyed', revoked('client_credentials'));
  provider.on('refresh_token.destroyed', revoked('refresh_token'));

  provider.on('end_session.success', (ctx: KoaContextWithOIDC) => {
    record({ type: 'session.ended', actor: ctx.oidc.session?.accountId ? accountActor(ctx.oidc.session.accountId) : null, clientId: ctx.oidc.client?.clientId ?? null, accountId: ctx.oidc.session?.accountId ?? null, details: {} });
  });
}
