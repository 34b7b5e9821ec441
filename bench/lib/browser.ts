/**
 * A browser without JavaScript for the bench (after packages/server/test/codeflow/support/forms-agent.ts):
 * a cookie jar, manual redirects on Propusk, and the sign-in and consent forms posted like a user
 * would. Requests go to the server's plain-HTTP address with X-Forwarded-Proto: https (the bench
 * plays the TLS proxy); redirects to the https issuer are mapped back to that address. Node's
 * fetch keeps connections alive (undici's global agent).
 */
import { randomBytes } from 'node:crypto';
import type { Target, User } from '../scenarios/types.ts';

export interface Page {
  url: string;
  status: number;
  html: string;
}

const TIMEOUT_MS = 30_000;

export class Browser {
  readonly jar = new Map<string, string>();

  constructor(readonly target: Target) {}

  /** A second browser sharing this one's cookies (e.g. its sign-in session) from now on, not later changes. */
  clone(): Browser {
    const b = new Browser(this.target);
    for (const [k, v] of this.jar) b.jar.set(k, v);
    return b;
  }

  /**
   * Maps a URL of the server as its users see it — the issuer (https://localhost:…) or the https
   * origin of the address it was asked on — to its plain-HTTP address; other URLs stay as they are.
   */
  local(url: string): string {
    const u = new URL(url);
    const server = new URL(this.target.url);
    if (u.protocol !== 'https:' || (u.host !== server.host && u.host !== new URL(this.target.issuer).host)) return url;
    return this.target.url + u.pathname + u.search;
  }

  async request(url: string, init: { form?: Record<string, string> } = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetchRetryingStaleSocket(this.local(new URL(url, this.target.url).href), {
      method: init.form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...this.target.headers,
        accept: 'text/html,application/xhtml+xml',
        ...(cookie ? { cookie } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = value === '' || attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a) || /^\s*max-age=0\s*$/i.test(a));
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  /**
   * Follows redirects on the server; stops at a page or at a redirect that leaves it (the client's
   * redirect_uri), returned as `url` with the redirect status and no body.
   */
  async follow(url: string, init: { form?: Record<string, string> } = {}): Promise<Page> {
    let current = this.local(new URL(url, this.target.url).href);
    let res = await this.request(current, init);
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
      await res.body?.cancel();
      const next = this.local(new URL(res.headers.get('location') ?? '', current).href);
      if (!next.startsWith(this.target.url)) return { url: next, status: res.status, html: '' };
      current = next;
      res = await this.request(next);
    }
    return { url: current, status: res.status, html: await res.text() };
  }

  /** Posts the form of `page` whose action contains `step`, with its CSRF token and `fields`. */
  submit(page: Page, step: string, fields: Record<string, string>): Promise<Page> {
    const form = formOf(page, step);
    return this.follow(new URL(form.action, page.url).href, { form: { csrf: form.csrf, ...fields } });
  }
}

/**
 * fetch, sent once more when a kept-alive socket turned out to be closed by the server before any
 * answer (the keep-alive race every HTTP client has; browsers retry too). Other failures surface
 * with their cause.
 */
export async function fetchRetryingStaleSocket(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      if (attempt === 0 && (cause?.code === 'UND_ERR_SOCKET' || cause?.code === 'ECONNRESET')) continue;
      throw new Error(`${(err as Error).message}${cause?.message ? `: ${cause.message}` : ''} (${init.method ?? 'GET'} ${new URL(url).pathname})`, { cause: err });
    }
  }
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The action and CSRF token of the first form whose action contains `step`. */
export function formOf(page: Page, step: string): { action: string; csrf: string } {
  for (const m of page.html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const action = decode(m[1]!);
    if (!action.includes(step)) continue;
    const csrf = /name="csrf" value="([^"]*)"/.exec(m[2]!)?.[1];
    if (!csrf) throw new Error(`form ${action} has no csrf field`);
    return { action, csrf: decode(csrf) };
  }
  throw new Error(`no ${step} form on ${page.url} (status ${page.status}): ${page.html.replace(/\s+/g, ' ').slice(0, 300)}`);
}

/** `/connect/authorize?…` for the web client: response_type=code with state and nonce. */
export function authorizeUrl(target: Target, state: string): string {
  const web = target.fixtures.web;
  if (!web) throw new Error(`${target.name} has no web client seeded`);
  const url = new URL('/connect/authorize', target.url);
  url.search = new URLSearchParams({ response_type: 'code', client_id: web.clientId, scope: web.scope, redirect_uri: web.redirectUri, state, nonce: randomBytes(8).toString('hex') }).toString();
  return url.href;
}

/** The code of a callback URL (the client's redirect_uri), checking state. */
export function codeOf(page: Page, target: Target, state: string): string {
  const web = target.fixtures.web!;
  if (!page.url.startsWith(web.redirectUri)) throw new Error(`expected a redirect to ${web.redirectUri}, got ${page.status} ${page.url}: ${page.html.replace(/\s+/g, ' ').slice(0, 300)}`);
  const params = new URL(page.url).searchParams;
  if (params.get('state') !== state) throw new Error(`state mismatch in ${page.url}`);
  const code = params.get('code');
  if (!code) throw new Error(`no code in ${page.url}`);
  return code;
}

export interface TokenSet {
  access_token: string;
  refresh_token?: string;
  id_token?: string;
}

/** POST /connect/token grant_type=authorization_code as the web client (client_secret_post). */
export async function exchangeCode(target: Target, code: string): Promise<TokenSet> {
  const web = target.fixtures.web!;
  const res = await fetchRetryingStaleSocket(`${target.url}/connect/token`, {
    method: 'POST',
    headers: { ...target.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: web.redirectUri, client_id: web.clientId, client_secret: web.secret }).toString(),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`code exchange: ${res.status} ${text.slice(0, 300)}`);
  const body = JSON.parse(text) as TokenSet;
  if (typeof body.access_token !== 'string') throw new Error(`code exchange: no access_token in ${text.slice(0, 300)}`);
  return body;
}

/**
 * One whole sign-in: authorize → sign-in page → POST login and password (argon2id) → consent page
 * (when the account has not granted the scopes to the client yet) → code → token. `browser` keeps
 * the session afterwards.
 */
export async function signInFlow(browser: Browser, user: User): Promise<TokenSet> {
  const target = browser.target;
  const state = randomBytes(8).toString('hex');
  const login = await browser.follow(authorizeUrl(target, state));
  if (login.status !== 200) throw new Error(`authorize: expected the sign-in page, got ${login.status} ${login.url}: ${login.html.replace(/\s+/g, ' ').slice(0, 300)}`);
  let page = await browser.submit(login, '/login', { login: user.login, password: user.password });
  if (!page.url.startsWith(target.fixtures.web!.redirectUri)) page = await browser.submit(page, '/consent', { decision: 'allow' });
  return exchangeCode(target, codeOf(page, target, state));
}

/** With a signed-in session and consent already given: authorize → code (no page) → token. */
export async function silentFlow(browser: Browser): Promise<TokenSet> {
  const target = browser.target;
  const state = randomBytes(8).toString('hex');
  const page = await browser.follow(authorizeUrl(target, state));
  return exchangeCode(target, codeOf(page, target, state));
}
