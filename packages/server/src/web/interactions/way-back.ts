/**
 * The way back to the application from an expired sign-in. Once the interaction is gone, nothing
 * on the server says which application the browser came from, so each interaction page leaves the
 * application's client_id in a signed cookie (path `/interaction`, a day). The expired page then
 * offers "Return to <application>": the home of its website, the origin of its first registered
 * http(s) redirect URI — never a redirect URI itself, which only answers an authorization response.
 * A native application (custom-scheme redirect URIs only) has no such address: no link then.
 */
import type { Context } from 'koa';
import type { InteractionDeps } from './page.ts';

const COOKIE = 'propusk.interaction_client';
const ONE_DAY_MS = 24 * 3600 * 1000;
const CLIENT_ID = /^[\x21-\x7e]{1,200}$/;

export function rememberApplication(ctx: Context, clientId: string): void {
  if (!CLIENT_ID.test(clientId) || ctx.cookies.get(COOKIE, { signed: true }) === clientId) return;
  ctx.cookies.set(COOKIE, clientId, { path: '/interaction', httpOnly: true, sameSite: 'lax', signed: true, overwrite: true, maxAge: ONE_DAY_MS });
}

export function lastApplication(ctx: Context): string | undefined {
  const value = ctx.cookies.get(COOKIE, { signed: true });
  return value && CLIENT_ID.test(value) ? value : undefined;
}

/** The application's name and home page, when it is a known, enabled client with a web address. */
export async function applicationHome(deps: InteractionDeps, clientId: string | undefined): Promise<{ name: string; href: string } | undefined> {
  if (!clientId) return undefined;
  const client = await deps.provider.Client.find(clientId).catch(() => undefined);
  if (!client) return undefined;
  for (const uri of client.redirectUris ?? []) {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      continue;
    }
    if (url.protocol === 'https:' || url.protocol === 'http:') return { name: client.clientName ?? client.clientId, href: `${url.origin}/` };
  }
  return undefined;
}
