/**
 * A browser without JavaScript, for tests: a cookie jar, manual redirects, and helpers that read
 * our pages' forms (CSRF token, action) and post them. It proves the pages work without scripts.
 */
import assert from 'node:assert/strict';

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  html: string;
}

export class FormsAgent {
  readonly jar = new Map<string, string>();

  readonly headers: Record<string, string>;

  constructor(readonly issuer: string, headers: Record<string, string> = {}) {
    this.headers = { accept: 'text/html,application/xhtml+xml', ...headers };
  }

  async request(url: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Response> {
    const cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(new URL(url, this.issuer), {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...this.headers,
        ...(cookie ? { cookie } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        ...init.headers,
      },
      body: init.form ? new URLSearchParams(init.form) : undefined,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }

  /**
   * Follows redirects on the issuer; stops at a page (non-redirect) or at a redirect that leaves the
   * issuer (the client's redirect_uri), which is returned as `url` with status 303/302 and no body.
   */
  async follow(url: string, init: { form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Page> {
    let res = await this.request(url, init);
    let current = new URL(url, this.issuer).href;
    for (let hops = 0; hops < 10 && res.status >= 300 && res.status < 400; hops++) {
      const next = new URL(res.headers.get('location')!, current).href;
      if (!next.startsWith(this.issuer)) return { url: next, status: res.status, headers: res.headers, html: '' };
      current = next;
      res = await this.request(next, { headers: init.headers });
    }
    return { url: current, status: res.status, headers: res.headers, html: await res.text() };
  }

  /** Posts the form of `page` whose action contains `step`, with its CSRF token and `fields`. */
  submit(page: Page, step: string, fields: Record<string, string>): Promise<Page> {
    const form = formOf(page.html, step);
    return this.follow(new URL(form.action, page.url).href, { form: { csrf: form.csrf, ...fields } });
  }
}

const decode = (s: string) => s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');

/** The action and CSRF token of the first form whose action contains `step`. */
export function formOf(html: string, step: string): { action: string; csrf: string } {
  for (const m of html.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const action = decode(m[1]!);
    if (!action.includes(step)) continue;
    const csrf = /name="csrf" value="([^"]*)"/.exec(m[2]!)?.[1];
    assert.ok(csrf, `form ${action} has a csrf field`);
    return { action, csrf: decode(csrf) };
  }
  assert.fail(`no form for ${step} in page:\n${html.slice(0, 2000)}`);
}

/** Query parameters of a URL the provider redirected to. */
export const paramsOf = (url: string): Record<string, string> => Object.fromEntries(new URL(url).searchParams);
