/**
 * Errors of the management API as RFC 9457 problem details (`application/problem+json`): `type`
 * is a stable URN per kind of error (`urn:propusk:problem:<slug>`), `title` its fixed summary,
 * `status` the HTTP status, `detail` what went wrong this time. Authentication failures also carry
 * RFC 6750's `error` and `error_description` members and the `WWW-Authenticate` challenge.
 */
import type { Context } from 'koa';

/** Every kind of problem the API answers, with its status and title. */
export const PROBLEMS = {
  'invalid-request': { status: 400, title: 'The request is not valid' },
  'invalid-cursor': { status: 400, title: 'The cursor is not one this API returned' },
  'invalid-token': { status: 401, title: 'The access token is missing, invalid, expired or revoked' },
  'insufficient-user-authentication': { status: 401, title: 'The operator must sign in with a second factor' },
  forbidden: { status: 403, title: 'The operator may not do this' },
  'not-found': { status: 404, title: 'No such resource' },
  'method-not-allowed': { status: 405, title: 'The method is not allowed on this resource' },
  'not-acceptable': { status: 406, title: 'The response cannot be given in an accepted media type' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be application/json' },
  'service-unavailable': { status: 503, title: 'A service the API depends on is unavailable' },
} as const;
export type ProblemSlug = keyof typeof PROBLEMS;

export const PROBLEM_TYPE_PREFIX = 'urn:propusk:problem:';
export const problemType = (slug: ProblemSlug): string => `${PROBLEM_TYPE_PREFIX}${slug}`;

/** One failed check of a request's input: where (`body.redirect_uris.0`, `query.limit`) and why. */
export interface InvalidParam {
  name: string;
  reason: string;
}

export class Problem extends Error {
  readonly status: number;
  constructor(
    readonly slug: ProblemSlug,
    readonly detail: string,
    readonly extra: { invalid_params?: InvalidParam[]; error?: string; error_description?: string } = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'Problem';
    this.status = PROBLEMS[slug].status;
  }

  body(instance?: string): ProblemBody {
    return {
      type: problemType(this.slug),
      title: PROBLEMS[this.slug].title,
      status: this.status,
      detail: this.detail,
      ...(instance ? { instance } : {}),
      ...this.extra,
    };
  }
}

/** The members of a problem document (openapi.ts describes them for the OpenAPI document). */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  invalid_params?: InvalidParam[];
  error?: string;
  error_description?: string;
}

/** Writes a problem answer. */
export function sendProblem(ctx: Context, problem: Problem): void {
  ctx.status = problem.status;
  for (const [name, value] of Object.entries(problem.headers)) ctx.set(name, value);
  ctx.type = 'application/problem+json';
  ctx.body = JSON.stringify(problem.body(ctx.state.requestId as string | undefined));
}

/** True for a path of the management API (its problems are answered by sendProblem even before it loads). */
export const isAdminApiPath = (path: string): boolean => path.toLowerCase().startsWith('/admin/');
