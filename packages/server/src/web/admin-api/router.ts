/**
 * The management API over HTTP at `/admin/api/v1`: JSON in and out, RFC 9457 problems for every
 * error, the OpenAPI document at `/admin/api/v1/openapi.json` (public: it holds no data). Each
 * request: token and operator (auth.ts) → permission, input validation, the operation, the
 * answer's shape (operation.ts). Anything else under `/admin` is a 404 problem.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { AppContext } from '../../context.ts';
import { readBody, FormBodyError } from '../shared/form-body.ts';
import { authenticateOperator } from './auth.ts';
import { invokeWithInput, type Operation, type Operator, type RawInput } from './operation.ts';
import { API_BASE, openApiDocument } from './openapi.ts';
import { Problem, sendProblem } from './problem.ts';
import type { VerifierSource } from './verifier.ts';
import { ADMIN_OPERATIONS } from './operations/index.ts';

const koaPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

async function readJson(ctx: Context): Promise<unknown> {
  if (ctx.method === 'GET' || ctx.method === 'HEAD' || ctx.method === 'DELETE') return undefined;
  let text: string;
  try {
    text = await readBody(ctx);
  } catch (err) {
    if (err instanceof FormBodyError) throw new Problem('payload-too-large', err.message);
    throw err;
  }
  if (text.trim() === '') return undefined;
  if (!ctx.is('application/json')) throw new Problem('unsupported-media-type', 'send the body as application/json');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new Problem('invalid-request', 'the body is not valid JSON', { invalid_params: [{ name: 'body', reason: 'not valid JSON' }] });
  }
}

export interface AdminApiOptions {
  /** The token verifier, shared with the console (verifier.ts). */
  verifier: VerifierSource;
  operations?: readonly Operation[];
}

export function adminApiRoutes(app: AppContext, options: AdminApiOptions): Middleware[] {
  const operations = options.operations ?? ADMIN_OPERATIONS;
  let document: string | undefined;

  const router = new Router({ prefix: API_BASE });
  router.get('/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = document ??= JSON.stringify(openApiDocument(operations, app.config.issuer));
  });
  for (const op of operations) {
    router[op.method](koaPath(op.path), async (ctx) => {
      const operator: Operator = await authenticateOperator(app, await options.verifier(), ctx);
      ctx.state.operator = operator;
      const raw: RawInput = { params: ctx.params as Record<string, string>, query: { ...ctx.query }, body: await readJson(ctx) };
      const { result, input } = await invokeWithInput(op, { app, operator }, raw);
      ctx.status = op.alternate?.when(result as never) ? op.alternate.status : op.status;
      if (op.attachment) ctx.attachment(op.attachment(input as never));
      if (op.ndjson) {
        ctx.type = 'application/x-ndjson';
        ctx.body = result as NodeJS.ReadableStream;
      } else if (op.status !== 204) {
        ctx.type = 'application/json';
        ctx.body = JSON.stringify(result);
      }
    });
  }

  const problems: Middleware = async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 405) throw new Problem('method-not-allowed', `${ctx.method} is not allowed on ${ctx.path}`, {}, { Allow: ctx.response.get('Allow') });
      if (ctx.status === 404 && ctx.body === undefined) throw new Problem('not-found', `no such resource: ${ctx.path}`);
    } catch (err) {
      if (err instanceof Problem) return sendProblem(ctx, err);
      const status = (err as { status?: number }).status;
      if (typeof status === 'number' && status >= 400 && status < 500 && (err as { expose?: boolean }).expose) {
        return sendProblem(ctx, new Problem('invalid-request', (err as Error).message));
      }
      throw err;
    }
  };
  return [problems, router.routes() as Middleware, router.allowedMethods({ throw: false }) as Middleware];
}
