/** Management API test helpers: operators with roles, their tokens, and requests to /admin/api/v1. */
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import type { Role } from '../../src/operators/types.ts';
import { createClient } from '../support/fixtures.ts';
import { postForm } from '../support/server.ts';
import { ResponseValidator } from './openapi-validator.ts';

export const API = '/admin/api/v1';

export interface MachineOperator {
  clientId: string;
  apiKey: string;
  token: string;
}

/** A confidential client granted `role` (none: no role), and a fresh `propusk.admin` token for it by client_credentials. */
export async function machineOperator(ctx: AppContext, baseUrl: string, clientId: string, role: Role | null): Promise<MachineOperator> {
  const client = await createClient(ctx, { clientId, grantTypes: ['client_credentials'], scopes: role ? [] : ['propusk.admin'] });
  if (role) await ctx.roles.grant({ client: clientId }, role, 'admin-cli');
  const token = await clientCredentialsToken(baseUrl, client.clientId, client.apiKey);
  return { clientId, apiKey: client.apiKey, token };
}

export async function clientCredentialsToken(baseUrl: string, clientId: string, apiKey: string, scope = 'propusk.admin'): Promise<string> {
  const res = await postForm(`${baseUrl}/connect/token`, { grant_type: 'client_credentials', client_id: clientId, client_secret: apiKey, scope });
  assert.equal(res.status, 200, res.text);
  return res.json.access_token as string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** One request to the management API, its answer checked against the served OpenAPI document. */
export async function api(baseUrl: string, token: string | null, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const res = await fetch(`${baseUrl}${/^\/admin\//i.test(path) ? path : `${API}${path}`}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  const relative = path.replace(/^\/admin\/api\/v1/i, '');
  if (relative !== '/openapi.json') {
    // Every answer is checked against the served OpenAPI document.
    const problems = (await validatorFor(baseUrl)).check(method, relative, res.status, res.headers.get('content-type'), json ?? (text || undefined));
    assert.deepEqual(problems, [], `${method} ${path} → ${res.status} does not match the OpenAPI document: ${text.slice(0, 500)}`);
  }
  return { status: res.status, headers: res.headers, text, json };
}

const validators = new Map<string, Promise<ResponseValidator>>();

/** The validator of the document `baseUrl` serves (fetched once per server). */
export function validatorFor(baseUrl: string): Promise<ResponseValidator> {
  let v = validators.get(baseUrl);
  if (!v) {
    v = fetch(`${baseUrl}${API}/openapi.json`).then(async (res) => ResponseValidator.load(await res.json()));
    validators.set(baseUrl, v);
  }
  return v;
}
