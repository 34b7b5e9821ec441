/** Management API test helpers: operators with roles, their tokens, and requests to /admin/api/v1. */
import assert from 'node:assert/strict';
import type { AppContext } from '../../src/context.ts';
import type { Role } from '../../src/operators/types.ts';
import { createClient } from '../support/fixtures.ts';
import { postForm } from '../support/server.ts';

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

/** One request to the management API with `token` (none: no Authorization header). */
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
  return { status: res.status, headers: res.headers, text, json };
}
