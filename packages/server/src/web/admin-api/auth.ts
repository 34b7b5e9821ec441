/**
 * Who is calling the management API. The access token is verified with @propusk/resource-server,
 * as any API of the company verifies Propusk's tokens: audience `urn:propusk:api:propusk.admin`,
 * scope `propusk.admin`, introspected with the API's own client `rs.propusk.admin` (results cached
 * at most 5 s, so a revoked token stops working within 5 s). Then, on every request, the operator's
 * roles and state are read from storage, so a change of role or a disabled account takes effect on
 * the next request:
 * - a token with a `sub`, issued to the console's first-party client, is that person's; the account
 *   must exist and be enabled;
 * - a token without `sub` (client_credentials) is the machine client's; it must be enabled;
 * - a person's token issued to any other client is refused (the API is not delegated to third parties);
 * - an operator without a role is refused (403);
 * - when operators must use a second factor (PROPUSK_ADMIN_REQUIRE_MFA), a person's token from a
 *   sign-in without one is refused with RFC 9470's answer (401 `insufficient_user_authentication`,
 *   `acr_values="urn:propusk:acr:mfa"`): the console then signs the operator in again, with it.
 */
import { authenticateRequest, errorResponse, ResourceServerError, type Principal, type Verifier } from '@propusk/resource-server';
import type { Context } from 'koa';
import type { AppContext } from '../../context.ts';
import { accountActor, clientActor } from '../../audit/types.ts';
import { ADMIN_API_SCOPE, CONSOLE_CLIENT_ID, permissionsOf } from '../../operators/types.ts';
import type { Operator } from './operation.ts';
import { Problem, type ProblemSlug } from './problem.ts';
import { ACR_MFA } from '../../mfa/types.ts';

/** The RFC 6750 answer of a token failure, as a problem with the same status, challenge and `error`. */
function tokenProblem(error: ResourceServerError): Problem {
  const answer = errorResponse(error, ADMIN_API_SCOPE);
  const slug: ProblemSlug = answer.status === 400 ? 'invalid-request' : answer.status === 403 ? 'forbidden' : answer.status === 503 ? 'service-unavailable' : 'invalid-token';
  const body = answer.body as { error?: string; error_description?: string };
  // The challenge (and a DPoP nonce) only: the body is a problem document, not the library's JSON.
  const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name === 'www-authenticate' || name === 'dpop-nonce'));
  return new Problem(slug, body.error_description ?? error.description, { ...(body.error ? { error: body.error } : {}), ...(body.error_description ? { error_description: body.error_description } : {}) }, headers);
}

const invalidToken = (description: string) =>
  new Problem('invalid-token', description, { error: 'invalid_token', error_description: description }, { 'WWW-Authenticate': `Bearer realm="propusk.admin", error="invalid_token", error_description="${description}"` });

/** RFC 9470: the token's sign-in had no second factor, which operators must use. */
function secondFactorRequired(): Problem {
  const description = 'operators must sign in with a second factor';
  return new Problem(
    'insufficient-user-authentication',
    description,
    { error: 'insufficient_user_authentication', error_description: description },
    { 'WWW-Authenticate': `Bearer realm="propusk.admin", error="insufficient_user_authentication", error_description="${description}", acr_values="${ACR_MFA}"` },
  );
}

/** The operator a verified token stands for, with the roles they hold now. */
export async function operatorOf(app: AppContext, principal: Principal): Promise<Operator> {
  if (principal.sub !== undefined) {
    if (principal.clientId !== CONSOLE_CLIENT_ID) {
      throw new Problem('forbidden', 'a person\'s token is accepted only from the Propusk console; machines use client_credentials');
    }
    const account = await app.repos.accounts.findById(principal.sub);
    if (!account || account.disabled) throw invalidToken('the operator\'s account is disabled or no longer exists');
    if (app.config.operatorsRequireMfa && principal.claims.acr !== ACR_MFA) throw secondFactorRequired();
    const subject = { kind: 'account', id: account.id } as const;
    const roles = await app.roles.rolesOf(subject);
    return { subject, actor: accountActor(account.id), label: account.login, roles, permissions: permissionsOf(roles) };
  }
  const client = await app.repos.clients.find(principal.clientId);
  if (!client || client.disabled) throw invalidToken('the operator\'s client is disabled or no longer exists');
  const subject = { kind: 'client', id: client.clientId } as const;
  const roles = await app.roles.rolesOf(subject);
  return { subject, actor: clientActor(client.clientId), label: client.clientId, roles, permissions: permissionsOf(roles) };
}

/** The operator of a verified token (any token failure as its problem); roles are not required here. */
async function operatorOfVerified(app: AppContext, verified: Promise<Principal>): Promise<Operator> {
  let principal: Principal;
  try {
    principal = await verified;
  } catch (err) {
    if (err instanceof ResourceServerError) throw tokenProblem(err);
    throw err;
  }
  return operatorOf(app, principal);
}

/** Authenticates the request's token and finds its operator; a Problem (401, 403, 400, 503) otherwise. */
export async function authenticateOperator(app: AppContext, verifier: Verifier, ctx: Context): Promise<Operator> {
  const operator = await operatorOfVerified(
    app,
    authenticateRequest(verifier, ctx.req.headersDistinct, { scopes: [ADMIN_API_SCOPE], realm: ADMIN_API_SCOPE }, { method: ctx.method, url: `${app.config.issuer}${ctx.path}` }),
  );
  if (operator.roles.length === 0) throw new Problem('forbidden', `${operator.label} holds no operator role`);
  return operator;
}

/**
 * The operator of an access token the console holds, checked as the API checks a request's token
 * (same verifier, same operator rules). An operator without a role is returned as such: the
 * console answers it with its own refusal page.
 */
export function operatorOfToken(app: AppContext, verifier: Verifier, token: string): Promise<Operator> {
  return operatorOfVerified(app, verifier.verify(token, { scopes: [ADMIN_API_SCOPE] }));
}
