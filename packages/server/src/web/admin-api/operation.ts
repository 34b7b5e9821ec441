/**
 * One operation of the management API, declared once: its method and path, the permission it
 * needs, the zod schemas of its path parameters, query and body (which validate each request) and
 * of its answer (which shapes each response: unknown members are dropped, so a stored hash can
 * never leak through a spread), and what it does. The HTTP router (router.ts), the OpenAPI
 * document (openapi.ts) and the console call the same declaration, so the rules, the permission
 * check and the audit events are one code path.
 */
import type { z } from 'zod';
import type { AppContext } from '../../context.ts';
import type { AuditActor } from '../../audit/types.ts';
import type { Permission, Role, RoleSubject } from '../../operators/types.ts';
import { CodedError, DomainError } from '../../shared/errors.ts';
import { Problem, type InvalidParam, type ProblemSlug } from './problem.ts';

/** The operator making a request: who, with which roles and permissions (read from storage for this request). */
export interface Operator {
  subject: RoleSubject;
  actor: AuditActor;
  /** A login for a person, the client id for a machine. */
  label: string;
  roles: Role[];
  permissions: ReadonlySet<Permission>;
}

/** What an operation may use: the services, and who asks. */
export interface OperationContext {
  app: AppContext;
  operator: Operator;
}

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

type AnyObject = z.ZodObject;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface OperationInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

export interface OperationSpec<P extends AnyObject | undefined, Q extends AnyObject | undefined, B extends z.ZodType | undefined, R extends z.ZodType | undefined> {
  /** OpenAPI operationId (camelCase, unique). */
  id: string;
  method: Method;
  /** Below `/admin/api/v1`, OpenAPI style: `/users/{id}`. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  permission: Permission;
  params?: P;
  query?: Q;
  body?: B;
  /** Status of success. */
  status: 200 | 201 | 204;
  /** Another success status with the same answer (e.g. 200 when an identical resource already existed), and when it applies. */
  alternate?: { status: 200; when: (result: R extends z.ZodType ? z.input<R> : unknown) => boolean; description: string };
  /** Schema of the JSON answer (absent for 204 and NDJSON). */
  response?: R;
  /** NDJSON answer: the schema of one line; `run` returns a Readable of the lines. */
  ndjson?: z.ZodType;
  /** A download: the file name for `Content-Disposition: attachment`. */
  attachment?: (input: OperationInput<P, Q, B>) => string;
  /** Problems this operation may answer besides invalid-request, invalid-token and forbidden. */
  problems?: ProblemSlug[];
  run(input: OperationInput<P, Q, B>, ctx: OperationContext): Promise<R extends z.ZodType ? z.input<R> : unknown>;
}

export type Operation = OperationSpec<AnyObject | undefined, AnyObject | undefined, z.ZodType | undefined, z.ZodType | undefined>;

/** Declares an operation; its input and output types flow from the schemas to `run`. */
export const operation = <P extends AnyObject | undefined = undefined, Q extends AnyObject | undefined = undefined, B extends z.ZodType | undefined = undefined, R extends z.ZodType | undefined = undefined>(
  spec: OperationSpec<P, Q, B, R>,
): Operation => spec as unknown as Operation;

const invalidParams = (where: string, error: z.ZodError): InvalidParam[] =>
  error.issues.map((issue) => ({ name: [where, ...issue.path.map(String)].join('.'), reason: issue.message }));

function parsePart(where: 'path' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) {
    if (where === 'body' && value !== undefined && !(typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0)) {
      throw new Problem('invalid-request', 'this operation takes no request body', { invalid_params: [{ name: 'body', reason: 'must be empty' }] });
    }
    if (where === 'query' && value && typeof value === 'object' && Object.keys(value).length > 0) {
      const name = Object.keys(value)[0]!;
      throw new Problem('invalid-request', `unknown query parameter ${JSON.stringify(name)}`, { invalid_params: [{ name: `query.${name}`, reason: 'unknown parameter' }] });
    }
    return undefined;
  }
  const parsed = schema.safeParse(where === 'body' && value === undefined ? {} : value);
  if (!parsed.success) {
    const params = invalidParams(where, parsed.error);
    throw new Problem('invalid-request', params.map((p) => `${p.name}: ${p.reason}`).join('; '), { invalid_params: params });
  }
  return parsed.data;
}

/** A domain error as a problem: not found → 404, conflict → 409, any other refusal → 400. */
export function problemOf(err: unknown): Problem | undefined {
  if (err instanceof Problem) return err;
  if (err instanceof DomainError || err instanceof CodedError) {
    if (err.code === 'ERR_NOT_FOUND') return new Problem('not-found', err.message);
    if (err.code === 'ERR_CONFLICT') return new Problem('conflict', err.message);
    if (err.code === 'ERR_INVALID' || err instanceof DomainError) return new Problem('invalid-request', err.message);
  }
  return undefined;
}

export interface RawInput {
  params?: Record<string, string>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/**
 * Runs `op` for `operator`: checks the permission (403 before anything is read or changed),
 * validates the input (400 with `invalid_params`), runs it and shapes the answer by its schema.
 * Domain errors become problems (problemOf); anything else is rethrown.
 */
export async function invoke(op: Operation, ctx: OperationContext, raw: RawInput): Promise<unknown> {
  return (await invokeWithInput(op, ctx, raw)).result;
}

/** invoke, also answering the validated input (for what the HTTP binding derives from it, e.g. a file name). */
export async function invokeWithInput(op: Operation, ctx: OperationContext, raw: RawInput): Promise<{ result: unknown; input: OperationInput<never, never, never> }> {
  if (!ctx.operator.permissions.has(op.permission)) {
    throw new Problem('forbidden', `the ${ctx.operator.roles.length ? `role ${ctx.operator.roles.join(', ')}` : 'operator'} does not allow ${op.permission}`);
  }
  const input = {
    params: parsePart('path', op.params, raw.params ?? {}),
    query: parsePart('query', op.query, raw.query ?? {}),
    body: parsePart('body', op.body, raw.body),
  } as OperationInput<never, never, never>;
  let result: unknown;
  try {
    result = await op.run(input, ctx);
  } catch (err) {
    throw problemOf(err) ?? err;
  }
  return { result: op.response ? op.response.parse(result) : result, input };
}
