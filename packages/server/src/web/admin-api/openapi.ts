/**
 * The OpenAPI 3.1 document of the management API, built from the operations' own zod schemas (the
 * ones every request is validated with), so the document cannot drift from what the API does.
 */
import { z } from 'zod';
import type { Operation } from './operation.ts';
import { PROBLEMS, type ProblemSlug } from './problem.ts';
import { PERMISSIONS, ROLE_PERMISSIONS, ROLES } from '../../operators/types.ts';

import { ADMIN_API_BASE } from './paths.ts';

export const API_BASE = ADMIN_API_BASE;

/** The problem document, as the OpenAPI document describes it. */
export const ProblemSchema = z
  .object({
    type: z.string().describe('`urn:propusk:problem:<slug>`; stable for each kind of error'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string().optional().describe('the request id'),
    invalid_params: z.array(z.object({ name: z.string(), reason: z.string() })).optional(),
    error: z.string().optional().describe('RFC 6750 error code (authentication failures)'),
    error_description: z.string().optional(),
  });


type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Path and query parameters of an operation, one per property of its schema. */
function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const problemResponse = (slug: ProblemSlug) => ({
  description: PROBLEMS[slug].title,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const rolesWith = (permission: string) => ROLES.filter((r) => (ROLE_PERMISSIONS[r] as readonly string[]).includes(permission));

export function openApiDocument(operations: readonly Operation[], issuer: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    // Every operation: bad input, token and permission failures, the token check's dependency down.
    const always: ProblemSlug[] = ['invalid-request', 'invalid-token', 'insufficient-user-authentication', 'forbidden', 'service-unavailable'];
    // Every operation that may take a body (an empty one is allowed): its size and media type.
    if (op.method !== 'get' && op.method !== 'delete') always.push('payload-too-large', 'unsupported-media-type');
    if (op.query?.shape && 'cursor' in op.query.shape) always.push('invalid-cursor');
    const problems = [...new Set([...always, ...(op.problems ?? [])])].sort((a, b) => PROBLEMS[a].status - PROBLEMS[b].status);
    const responses: Record<string, unknown> = {};
    if (op.status === 204) responses['204'] = { description: 'Done' };
    else if (op.ndjson) {
      responses[String(op.status)] = {
        description: 'One JSON object per line',
        ...(op.attachment ? { headers: { 'Content-Disposition': { description: 'a download: `attachment; filename="…"`', schema: { type: 'string' } } } } : {}),
        content: { 'application/x-ndjson': { schema: { type: 'string' }, 'x-item-schema': jsonSchema(op.ndjson, 'output') } },
      };
    } else responses[String(op.status)] = { description: 'Success', content: { 'application/json': { schema: jsonSchema(op.response!, 'output') } } };
    if (op.alternate) responses[String(op.alternate.status)] = { description: op.alternate.description, content: { 'application/json': { schema: jsonSchema(op.response!, 'output') } } };
    for (const slug of problems) {
      const status = String(PROBLEMS[slug].status);
      // Several problems share a status (400): one response per status, its description naming them all.
      const existing = responses[status] as { description: string } | undefined;
      responses[status] = existing ? { ...existing, description: `${existing.description}; ${PROBLEMS[slug].title.toLowerCase()}` } : problemResponse(slug);
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      operationId: op.id,
      tags: [op.tag],
      summary: op.summary,
      description: `${op.description ? `${op.description}\n\n` : ''}Permission \`${op.permission}\` (roles: ${rolesWith(op.permission).join(', ')}).`,
      'x-propusk-permission': op.permission,
      parameters: [...parameters('path', op.params), ...parameters('query', op.query)],
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'Propusk management API',
      version: '1',
      description:
        'Manage accounts, clients, links, API resources, signing keys and the audit log. Authenticate with a `propusk.admin` access token ' +
        '(`Authorization: Bearer`): a machine client with an operator role gets one by client_credentials, a person through the console. ' +
        `Roles: ${ROLES.map((r) => `\`${r}\` (${ROLE_PERMISSIONS[r].join(', ')})`).join('; ')}. Errors are RFC 9457 problem details.`,
    },
    servers: [{ url: `${issuer}${API_BASE}` }],
    security: [{ bearer: [] }, { oauth2: ['propusk.admin'] }],
    tags: [...new Set(operations.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Problem: jsonSchema(ProblemSchema, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a `propusk.admin` access token' },
        oauth2: {
          type: 'oauth2',
          flows: { clientCredentials: { tokenUrl: `${issuer}/connect/token`, scopes: { 'propusk.admin': 'the management API' } } },
        },
      },
    },
    'x-propusk-permissions': PERMISSIONS,
  };
}
