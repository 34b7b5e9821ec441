/**
 * The `trusted` grant (docs/api-documentation.md, "Trusted authentication"): a partner that identified its user
 * itself exchanges a JWT it signed (`token`) for an access token of the linked account, in one
 * request. Order of checks: permission → scope → JWT (signature and claims) → single use (the jti
 * is recorded only for a verified JWT) → link → active account → token. Every outcome is audited.
 * The same grant is served under RFC 7523's name (`urn:ietf:params:oauth:grant-type:jwt-bearer`,
 * the JWT in `assertion`) so that client libraries' JWT-bearer support works: one handler, one
 * set of rules, one replay guard.
 */
import { errors, type KoaContextWithOIDC, type TokenEndpointGrantContext } from 'oidc-provider';
import type { Client } from '../../clients/types.ts';
import type { Account } from '../../accounts/types.ts';
import type { ExternalLink } from '../../linking/types.ts';
import type { PartnerKey } from '../../partners/types.ts';
import { JWT_BEARER_GRANT, TRUSTED_GRANT } from '../../clients/types.ts';
import { clientActor, type AuditDetails, type AuditLog } from '../../audit/types.ts';
import type { GrantHelpers } from '../helpers.ts';
import { routes } from '../../provider/routes.ts';
import type { TrustedJtiRepository } from './jti-repository.ts';
import { DEFAULT_CLOCK_TOLERANCE_SECONDS, TrustedAssertionError, verifyTrustedAssertion, type VerifiedTrustedAssertion } from './verify-assertion.ts';

export const grantType = TRUSTED_GRANT;
/** RFC 7523 §2.1: the standard spelling of the same grant; the JWT is in `assertion`. */
export const jwtBearerGrantType = JWT_BEARER_GRANT;

/** Request parameters of the grant besides client authentication. `resource` may be given instead of (or with) an API scope. */
export const parameters = new Set(['token', 'scope', 'resource']);
/** The same for the jwt-bearer spelling. */
export const jwtBearerParameters = new Set(['assertion', 'scope', 'resource']);
/** Parameters that may repeat. */
export const duplicates = new Set(['resource']);

/** Stable codes of the rejections the handler itself decides (the JWT's own rules use TrustedAssertionErrorCode). */
export const TrustedGrantRule = {
  /** The client is public, or lacks the `trusted` grant type or permission. */
  NOT_PERMITTED: 'ERR_TRUSTED_NOT_PERMITTED',
  /** No `token` parameter (`assertion` for the jwt-bearer spelling). */
  TOKEN_MISSING: 'ERR_TOKEN_MISSING',
  /** No scope, a scope the client is not registered for, or not exactly one API. */
  SCOPE: 'ERR_SCOPE',
  /** The (iss, jti) was used before. */
  REPLAY: 'ERR_REPLAY',
  /** `sub` is not linked to an account for this client. */
  NOT_LINKED: 'ERR_NOT_LINKED',
  /** The linked account is disabled or gone. */
  ACCOUNT_INACTIVE: 'ERR_ACCOUNT_INACTIVE',
} as const;

export interface TrustedGrantDeps {
  /** Our client records (permissions, registered grant types and scopes). */
  clients: { find(clientId: string): Promise<Client | undefined> };
  partnerKeys: { forClient(clientId: string): Promise<PartnerKey[]> };
  jti: TrustedJtiRepository;
  links: { find(clientId: string, serviceUserId: string): Promise<ExternalLink | undefined> };
  accounts: { findById(id: string): Promise<Account | undefined> };
  audit: AuditLog;
  helpers: GrantHelpers;
  /** Allowed clock skew for `exp`/`nbf`/`iat`, in seconds. Default DEFAULT_CLOCK_TOLERANCE_SECONDS (30). */
  clockToleranceSeconds?: number;
}

/** RFC 6749 §5.2 allows neither `"` nor `\` in error_description. */
const describe = (message: string, rule: string) => `${message.replace(/"/g, "'").replace(/\\/g, '/')} (rule ${rule})`;

/** Errors the handler has already audited (the provider's `grant.error` listener skips them). */
const audited = new WeakSet<object>();

/** Carries the rule code to the audit record. */
class Rejection extends Error {
  constructor(readonly rule: string, readonly oauthError: Error) {
    super(oauthError.message);
  }
}

function invalidGrant(rule: string, message: string): Rejection {
  const err = new errors.InvalidGrant();
  // oidc-provider's InvalidGrant has a fixed description; ours names the rule that failed.
  err.error_description = describe(message, rule);
  return new Rejection(rule, err);
}

function unauthorizedClient(message: string): Rejection {
  return new Rejection(TrustedGrantRule.NOT_PERMITTED, new errors.UnauthorizedClient(describe(message, TrustedGrantRule.NOT_PERMITTED)));
}

function invalidScope(message: string, scope: string): Rejection {
  return new Rejection(TrustedGrantRule.SCOPE, new errors.InvalidScope(describe(message, TrustedGrantRule.SCOPE), scope));
}

export function buildHandler(deps: TrustedGrantDeps) {
  const tolerance = deps.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;

  async function checkClient(clientId: string): Promise<Client> {
    const client = await deps.clients.find(clientId);
    if (!client || client.public || !client.grantTypes.includes('trusted')) {
      throw unauthorizedClient('the client is not registered for the trusted grant');
    }
    if (!client.permissions.includes('trusted')) throw unauthorizedClient('the client does not hold the trusted permission');
    // The trusted grant issues Bearer tokens only: a client registered to require DPoP-bound tokens
    // must not get an unbound one through it (deny by default).
    if (client.requireDpop) throw unauthorizedClient('the client requires DPoP-bound tokens, which the trusted grant does not issue');
    return client;
  }

  async function checkScope(ctx: TokenEndpointGrantContext, client: Client) {
    const requested = String(ctx.oidc.params?.scope ?? '').split(' ').filter(Boolean);
    if (requested.length === 0) throw invalidScope('scope is required: name the API the token is for, e.g. extern.api', '');
    const registered = new Set(client.scopes);
    const outside = requested.find((s) => !registered.has(s));
    if (outside !== undefined) throw invalidScope(`requested scope is not allowed for this client: ${outside}`, outside);
    deps.helpers.validateClientScope(ctx);
    const resourceServers = await deps.helpers.resolveRequestedResources(ctx);
    if (resourceServers.length !== 1) throw invalidScope('scope must name exactly one API, e.g. extern.api', requested.join(' '));
    const resourceServer = resourceServers[0]!;
    return { resourceServer, scope: requested.filter((s) => resourceServer.scopes.has(s)).join(' ') };
  }

  async function verify(ctx: TokenEndpointGrantContext, client: Client): Promise<VerifiedTrustedAssertion> {
    const name = ctx.oidc.params?.grant_type === jwtBearerGrantType ? 'assertion' : 'token';
    const jwt = ctx.oidc.params?.[name];
    if (typeof jwt !== 'string' || jwt === '') {
      const err = new errors.InvalidRequest(describe(`missing required parameter ${name}`, TrustedGrantRule.TOKEN_MISSING));
      throw new Rejection(TrustedGrantRule.TOKEN_MISSING, err);
    }
    // RFC 7523 §3: `aud` may name the issuer or the token endpoint — both from the configured
    // issuer, never from the request's Host, which the caller chooses.
    const issuer = ctx.oidc.provider.issuer;
    const audiences = [issuer, `${issuer.replace(/\/$/, '')}${routes.token}`];
    try {
      return await verifyTrustedAssertion(jwt, {
        clientId: client.clientId,
        keys: await deps.partnerKeys.forClient(client.clientId),
        clockToleranceSeconds: tolerance,
        audiences,
        requireAud: client.partnerRequireAud === true,
      });
    } catch (err) {
      if (err instanceof TrustedAssertionError) throw invalidGrant(err.code, err.message);
      throw err;
    }
  }

  return async function trustedGrantHandler(ctx: TokenEndpointGrantContext): Promise<void> {
    const { client: oidcClient, provider } = ctx.oidc;
    const clientId = oidcClient.clientId;
    const facts: AuditDetails<'trusted_grant'> = { grant_type: String(ctx.oidc.params?.grant_type ?? grantType) };
    let accountId: string | undefined;
    try {
      const client = await checkClient(clientId);
      const { resourceServer, scope } = await checkScope(ctx, client);
      facts.scope = scope;

      const assertion = await verify(ctx, client);
      Object.assign(facts, { jti: assertion.jti, sub: assertion.sub, partner_key_id: assertion.keyId });
      // Recorded only now that the signature and claims are verified, so nobody can burn a partner's jti.
      const first = await deps.jti.recordOnce(assertion.iss, assertion.jti, new Date((assertion.exp + tolerance) * 1000));
      if (!first) throw invalidGrant(TrustedGrantRule.REPLAY, 'assertion has already been used (jti)');

      const link = await deps.links.find(clientId, assertion.sub);
      if (!link) throw invalidGrant(TrustedGrantRule.NOT_LINKED, 'sub is not linked to an account for this client; link the user first');
      accountId = link.accountId;
      const account = await deps.accounts.findById(link.accountId);
      if (!account || account.disabled) throw invalidGrant(TrustedGrantRule.ACCOUNT_INACTIVE, 'the linked account is disabled');

      // Introspection requires the token's grant; one grant per trusted sign-in, for this API only.
      const grant = new provider.Grant({ accountId: account.id, clientId });
      grant.addResourceScope(resourceServer.identifier(), scope);
      const grantId = await grant.save();

      const at = new provider.AccessToken({ accountId: account.id, client: oidcClient, grantId, gty: grantType, scope });
      at.resourceServer = resourceServer;
      ctx.oidc.entity('Grant', grant);
      ctx.oidc.entity('AccessToken', at);
      const accessToken = await at.save();

      ctx.body = deps.helpers.buildTokenResponse({ accessToken, expiresIn: at.expiration, scope: at.scope || undefined, tokenType: at.tokenType });
      await deps.audit.record({ type: 'trusted_grant', actor: clientActor(clientId), clientId, accountId: account.id, outcome: 'success', details: facts });
    } catch (err) {
      const rejection = err instanceof Rejection ? err : undefined;
      const rule = rejection?.rule ?? (err instanceof errors.OIDCProviderError ? err.error : 'server_error');
      // oidc-provider authenticated the client before the handler ran: each refusal is its own row.
      await deps.audit.record({
        type: 'trusted_grant',
        actor: clientActor(clientId),
        clientId,
        accountId: accountId ?? null,
        outcome: 'failure',
        details: { ...facts, rule },
        authenticated: true,
      });
      const thrown = rejection ? rejection.oauthError : err;
      if (typeof thrown === 'object' && thrown !== null) audited.add(thrown);
      throw thrown;
    }
  };
}

/**
 * Audits trusted-grant requests refused before the handler runs (client authentication, missing
 * or repeated parameters): listen to the provider's `grant.error` event with this.
 */
export function auditEarlyRejection(audit: AuditLog) {
  return (ctx: KoaContextWithOIDC, err: Error): void => {
    const requested = ctx.oidc?.params?.grant_type;
    if ((requested !== grantType && requested !== jwtBearerGrantType) || audited.has(err)) return;
    // A registered client (found, though perhaps not authenticated) is the event's client; a
    // client_id nobody registered is only a detail, so that it cannot multiply audit rows.
    const clientId = ctx.oidc.client?.clientId ?? null;
    const claimed = clientId === null && typeof ctx.oidc.params?.client_id === 'string' ? { claimed_client_id: ctx.oidc.params.client_id.slice(0, 200) } : {};
    const rule = err instanceof errors.OIDCProviderError ? err.error : 'server_error';
    void audit
      .record({ type: 'trusted_grant', actor: clientId === null ? null : clientActor(clientId), clientId, outcome: 'failure', details: { grant_type: requested, rule, ...claimed } })
      .catch(() => undefined);
  };
}
