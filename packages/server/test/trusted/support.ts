/** Shared setup for the trusted-grant tests: a partner client with a key, linked users, signed JWTs, token requests. */
import crypto from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import { postForm, type TestServer } from '../support/server.ts';
import { createClient, createUser } from '../support/fixtures.ts';
import type { AppContext } from '../../src/context.ts';
import type { Permission } from '../../src/clients/types.ts';

export const DAY = 86_400;
export const now = () => Math.floor(Date.now() / 1000);

export interface Partner {
  clientId: string;
  apiKey: string;
  privateKey: crypto.KeyObject;
  publicKey: crypto.KeyObject;
  kid: string;
}

/** A confidential client registered for `trusted` with the given permissions and one JWK partner key (kid = `${clientId}-1`). */
export async function createPartner(ctx: AppContext, clientId: string, options: { permissions?: Permission[]; scopes?: string[]; grantTypes?: string[] } = {}): Promise<Partner> {
  const { apiKey } = await createClient(ctx, { clientId, grantTypes: options.grantTypes ?? ['trusted'], scopes: options.scopes ?? ['extern.api'] });
  for (const p of options.permissions ?? ['trusted']) await ctx.clients.setPermission(clientId, p, true, null);
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `${clientId}-1`;
  await ctx.partnerKeys.add(clientId, JSON.stringify({ ...publicKey.export({ format: 'jwk' }), kid }), null);
  return { clientId, apiKey, privateKey, publicKey, kid };
}

/** A user with a phone, linked to `serviceUserId` of the partner by support. */
export async function linkedUser(ctx: AppContext, partner: Partner, serviceUserId: string, phone?: string) {
  const { account } = await createUser(ctx, phone === undefined ? {} : { phone });
  await ctx.links.createBySupport(partner.clientId, serviceUserId, account.id, null);
  return account;
}

/** Claims of a valid assertion; `undefined` in `overrides` removes a claim. */
export function claims(partner: Partner, sub: string, overrides: Record<string, unknown> = {}): JWTPayload {
  const t = now();
  const base: JWTPayload = { iss: partner.clientId, sub, jti: crypto.randomUUID(), iat: t, exp: t + 300 };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete base[k];
    else base[k] = v;
  }
  return base;
}

export function sign(partner: Partner, payload: JWTPayload, header: Record<string, unknown> = {}, key: crypto.KeyObject | Uint8Array = partner.privateKey): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: partner.kid, ...header } as { alg: string }).sign(key);
}

export function requestToken(server: TestServer, partner: Pick<Partner, 'clientId' | 'apiKey'>, token: string, extra: Record<string, string> = {}) {
  return postForm(`${server.url}/connect/token`, {
    grant_type: 'trusted',
    client_id: partner.clientId,
    client_secret: partner.apiKey,
    scope: 'extern.api',
    token,
    ...extra,
  });
}

export const b64json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
