/**
 * One spelling of every path, settled before any guard, limit or router sees the request: a path
 * that matches one of our route templates when its fixed segments are compared without regard to
 * case (`/DEVICE`, `/Connect/Authorize/:uid`, `/INTEGRATIONS/invitations/:token`) is rewritten to
 * the template's spelling, with its parameters (uids, tokens, client ids) kept exactly as sent.
 * Guards then compare paths exactly and still see every request their route serves: the routers
 * behind them (oidc-provider's, @koa/router's) match without regard to case, so a guard that
 * compared one spelling while the router served all of them could be walked around.
 */
import type { Middleware } from 'koa';

/** Fixed segments of one template; `undefined` where the template has a parameter (`:uid`). */
type Template = readonly (string | undefined)[];

/** Templates by their number of segments, for a lookup that only tries templates of the same length. */
export class RouteTemplates {
  private readonly byLength = new Map<number, Template[]>();

  /** `templates`: paths such as `/connect/authorize/:uid`; every fixed segment must be lower case. */
  constructor(templates: Iterable<string>) {
    for (const template of templates) {
      const segments = template.split('/').slice(1);
      const parsed = segments.map((s) => {
        if (s.startsWith(':')) return undefined;
        if (s !== s.toLowerCase()) throw new Error(`route template ${template}: fixed segments are lower case`);
        return s;
      });
      const list = this.byLength.get(parsed.length) ?? [];
      list.push(parsed);
      this.byLength.set(parsed.length, list);
    }
    // A fixed segment wins over a parameter (`/device/qr.svg` before `/device/:uid`).
    const params = (t: Template) => t.filter((s) => s === undefined).length;
    for (const list of this.byLength.values()) list.sort((a, b) => params(a) - params(b));
  }

  /** The path in its template's spelling; the path itself when it is already so, or matches no template. */
  canonical(path: string): string {
    if (path.charCodeAt(0) !== 0x2f) return path;
    // A trailing slash (`/Account/`) is kept; the routers accept it as they accept the path without.
    if (path.length > 1 && path.endsWith('/')) {
      const canonical = this.canonical(path.slice(0, -1));
      return canonical === path.slice(0, -1) ? path : `${canonical}/`;
    }
    const segments = path.split('/').slice(1);
    const candidates = this.byLength.get(segments.length);
    if (!candidates) return path;
    for (const template of candidates) {
      let changed = false;
      let matches = true;
      for (let i = 0; i < template.length; i++) {
        const fixed = template[i];
        if (fixed === undefined) {
          if (segments[i] === '') matches = false;
        } else if (segments[i] !== fixed) {
          if (segments[i]!.toLowerCase() === fixed) changed = true;
          else matches = false;
        }
        if (!matches) break;
      }
      if (!matches) continue;
      if (!changed) return path;
      return '/' + template.map((fixed, i) => fixed ?? segments[i]).join('/');
    }
    return path;
  }
}

/** Rewrites `ctx.path` (the query string stays) to its canonical spelling; first in the chain. */
export function canonicalPath(templates: RouteTemplates): Middleware {
  return async (ctx, next) => {
    const path = ctx.path;
    // Every fixed segment is lower case, so a path without an upper-case letter is already canonical.
    if (/[A-Z]/.test(path)) {
      const canonical = templates.canonical(path);
      if (canonical !== path) ctx.path = canonical;
    }
    await next();
  };
}
