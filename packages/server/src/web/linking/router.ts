/**
 * `PUT /register-external-service-id` (docs/api-documentation.md, "Trusted authentication"): a partner holding the
 * `link-by-phone` permission links its user (`ServiceUserId`, later the trusted JWT's `sub`) to the
 * single active account with the given `Phone`. Parameters come from the query string or a form
 * body, names case-insensitive; the client authenticates with its client_id and api-key (HTTP Basic
 * or form `client_id`/`client_secret`). Answers are JSON: the link, or `{ error, error_description }`.
 */
import Router from '@koa/router';
import type { Context } from 'koa';
import type { ClientDirectory } from '../../clients/directory.ts';
import type { LinkService } from '../../linking/links.ts';
import { LinkingError, LinkingErrorCode } from '../../linking/service.ts';
import type { AuditLog } from '../../audit/types.ts';
import { FormBodyError, readBody } from '../shared/form-body.ts';
import { refuseWithDescription } from '../shared/refusal.ts';

export const LINKING_PATH = '/register-external-service-id';

export interface LinkingApiDeps {
  clients: Pick<ClientDirectory, 'find' | 'verifyApiKey'>;
  links: Pick<LinkService, 'linkByPhone'>;
  audit: AuditLog;
}

const STATUS_OF: Record<LinkingErrorCode, number> = {
  [LinkingErrorCode.INVALID_INPUT]: 400,
  [LinkingErrorCode.ACCOUNT_NOT_FOUND]: 404,
  [LinkingErrorCode.AMBIGUOUS_PHONE]: 409,
  [LinkingErrorCode.ALREADY_LINKED]: 409,
};

/** An answer other than 200, carried to the single place that writes it (and audits it). */
class ApiError extends Error {
  constructor(readonly status: number, readonly error: string, description: string, readonly headers: Record<string, string> = {}) {
    super(description);
  }
}

const CHALLENGE = { 'WWW-Authenticate': 'Basic realm="propusk", charset="UTF-8"' };
const badRequest = (description: string) => new ApiError(400, 'invalid_request', description);
const unauthenticated = (description: string) => new ApiError(401, 'invalid_client', description, CHALLENGE);

/** Query and form parameters by lower-cased name; a name given twice (anywhere) is refused. */
function collectParams(query: URLSearchParams, form: URLSearchParams): { params: Map<string, string>; formNames: Set<string> } {
  const params = new Map<string, string>();
  const formNames = new Set<string>();
  const add = (source: URLSearchParams, fromForm: boolean) => {
    for (const [name, value] of source) {
      const key = name.toLowerCase();
      if (params.has(key)) throw badRequest(`parameter ${name} is given more than once`);
      params.set(key, value);
      if (fromForm) formNames.add(key);
    }
  };
  add(query, false);
  add(form, true);
  return { params, formNames };
}

/** `application/x-www-form-urlencoded` decoding of one Basic credential half (RFC 6749 §2.3.1). */
function formDecode(value: string): string {
  return decodeURIComponent(value.replace(/\+/g, ' '));
}

/** client_id and api-key from HTTP Basic or from the form body; exactly one method. */
function credentials(ctx: Context, params: Map<string, string>, formNames: Set<string>): { clientId: string; secret: string } {
  if (params.has('client_secret') && !formNames.has('client_secret')) {
    throw badRequest('client_secret must not be sent in the query string; use HTTP Basic or the form body');
  }
  const authorization = ctx.get('authorization');
  if (authorization) {
    const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('only HTTP Basic authentication with client_id and api-key is accepted');
    if (params.has('client_secret')) throw badRequest('use one client authentication method: HTTP Basic or form client_secret, not both');
    const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    let clientId: string;
    let secret: string;
    try {
      clientId = formDecode(colon < 0 ? decoded : decoded.slice(0, colon));
      secret = formDecode(colon < 0 ? '' : decoded.slice(colon + 1));
    } catch {
      throw unauthenticated('malformed HTTP Basic credentials');
    }
    const formClientId = params.get('client_id');
    if (formClientId !== undefined && formClientId !== clientId) throw badRequest('client_id differs from the HTTP Basic user');
    return { clientId, secret };
  }
  const clientId = params.get('client_id');
  const secret = params.get('client_secret');
  if (!clientId || !secret) throw unauthenticated('client authentication required: HTTP Basic or form client_id and client_secret (the api-key)');
  return { clientId, secret };
}

export function linkingRoutes(deps: LinkingApiDeps): Router {
  const router = new Router();

  router.all(LINKING_PATH, async (ctx) => {
    let clientId: string | undefined;
    let serviceUserId: string | undefined;
    try {
      if (ctx.method !== 'PUT') {
        throw new ApiError(405, 'method_not_allowed', `${LINKING_PATH} accepts PUT only`, { Allow: 'PUT' });
      }
      const body = await readBody(ctx).catch((err: unknown) => {
        throw err instanceof FormBodyError ? new ApiError(err.status, err.code, err.message) : err;
      });
      if (body.length > 0 && !ctx.is('application/x-www-form-urlencoded')) {
        throw new ApiError(415, 'unsupported_media_type', 'send parameters in the query string or as an application/x-www-form-urlencoded body');
      }
      const { params, formNames } = collectParams(new URLSearchParams(ctx.querystring), new URLSearchParams(body));
      const creds = credentials(ctx, params, formNames);
      clientId = creds.clientId;
      if (!(await deps.clients.verifyApiKey(creds.clientId, creds.secret))) throw unauthenticated('client authentication failed');
      const client = await deps.clients.find(creds.clientId);
      if (!client?.permissions.includes('link-by-phone')) {
        throw new ApiError(403, 'unauthorized_client', 'the client does not hold the link-by-phone permission');
      }

      serviceUserId = params.get('serviceuserid');
      const { outcome, link } = await deps.links.linkByPhone(creds.clientId, serviceUserId as string, params.get('phone') as string);
      ctx.status = 200;
      ctx.body = {
        client_id: link.clientId,
        service_user_id: link.serviceUserId,
        account_id: link.accountId,
        created_by: link.createdBy,
        created_at: link.createdAt.toISOString(),
        created: outcome === 'created',
      };
    } catch (err) {
      let failure: ApiError;
      if (err instanceof ApiError) failure = err;
      else if (err instanceof LinkingError) failure = new ApiError(STATUS_OF[err.code], err.code, err.message);
      else throw err;
      // Wrong method and unreadable requests are not attempts anyone needs to audit.
      if (failure.status !== 405 && failure.status !== 413 && failure.status !== 415) {
        await deps.audit.record({
          type: 'link.by_phone',
          actor: clientId === undefined ? null : `client:${clientId.slice(0, 150)}`,
          clientId: clientId?.slice(0, 200) ?? null,
          outcome: 'failure',
          details: { rule: failure.error, ...(serviceUserId === undefined ? {} : { service_user_id: serviceUserId.slice(0, 200) }) },
        });
      }
      ctx.set(failure.headers);
      refuseWithDescription(ctx, failure.status, failure.error, failure.message);
    }
  });

  return router;
}
