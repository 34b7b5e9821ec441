/**
 * Who may see a console page. Every request checks the session's access token exactly as the
 * management API checks a request's token (the shared verifier, then `operatorOfToken`: the
 * account must exist and be enabled, its roles are read now), so a role withdrawn or an account
 * disabled takes effect on the next request:
 *   - no console session: `/console` shows the landing page, any other page starts a sign-in;
 *   - an expired, revoked or otherwise refused token: the session is dropped and a sign-in starts
 *     (silent while the provider's browser session lives);
 *   - an operator without a role: a 403 page with a sign-out button (no sign-in loop);
 *   - a section the role does not allow: a 403 page.
 * Also the sign-in (`/console/sign-in`, `/console/callback`) and sign-out routes.
 */
import type { Context } from 'koa';
import { consoleLandingPage, consoleNoRolePage, type ConsoleSection } from '../../views/index.ts';
import { operatorOfToken } from '../admin-api/auth.ts';
import { Problem } from '../admin-api/problem.ts';
import { REFUSALS, refuse, refuseWithDescription } from '../shared/refusal.ts';
import { CONSOLE_PATH, consolePaths, safeConsolePath } from './paths.ts';
import { allowedSections, chrome, consoleRequest, hasOperation, problemPage, refusal, render, SECTIONS, seeOther, switchHref, withQuery, type ConsoleRequest } from './page.ts';
import { t } from '../../views/index.ts';

type Params = Record<string, string>;
export type Handler = (req: ConsoleRequest, params: Params) => Promise<void> | void;

/** `/console/sign-in?next=<path>`. */
const signInHref = (next: string): string => withQuery(consolePaths.signIn, { next: next === CONSOLE_PATH ? undefined : next });

/** Where to return after signing in again: this page for a GET, the console's home after a POST (whose form is gone). */
const returnPath = (ctx: Context): string => (ctx.method === 'GET' ? safeConsolePath(ctx.querystring ? `${ctx.path}?${ctx.querystring}` : ctx.path) : CONSOLE_PATH);

/** Checks the session's token and finds the operator; false after answering (sign-in, refusal). */
async function authenticate(req: ConsoleRequest): Promise<boolean> {
  const { ctx, deps } = req;
  const session = req.session;
  if (!session) {
    if (ctx.method === 'GET' && ctx.path === CONSOLE_PATH) {
      render(req, consoleLandingPage({ locale: req.locale, signInHref: consolePaths.signIn, switchLocaleHref: switchHref(req) }));
    } else {
      seeOther(req, signInHref(returnPath(ctx)));
    }
    return false;
  }
  if (session.exp <= Date.now()) {
    seeOther(req, signInHref(returnPath(ctx)));
    return false;
  }
  try {
    req.operator = await operatorOfToken(deps.app, await deps.verifier(), session.token);
  } catch (err) {
    if (!(err instanceof Problem)) throw err;
    if (err.status === 401) {
      // Revoked, expired early, the account disabled or gone: this session is over.
      deps.cookies.end(ctx);
      seeOther(req, signInHref(returnPath(ctx)));
    } else {
      refuseWithDescription(ctx, err.status, err.slug, err.detail);
    }
    return false;
  }
  if (req.operator.roles.length === 0) {
    render(req, consoleNoRolePage(chrome(req)), 403);
    return false;
  }
  return true;
}

/**
 * A console route for a signed-in operator with a role; with `section`, only when the operator's
 * permissions allow that section (403 otherwise, 404 when this server has none of it). A Problem
 * that the handler lets through becomes its page.
 */
export const operatorRoute =
  (handler: Handler, section?: ConsoleSection) =>
  async (ctx: Context): Promise<void> => {
    const req = consoleRequest(ctx);
    if (!(await authenticate(req))) return;
    if (section) {
      if (!req.operator!.permissions.has(SECTIONS[section].permission)) return refusal(req, 403, t(req.locale, 'console.forbidden.message'), section);
      if (!hasOperation(req, SECTIONS[section].operation)) return refusal(req, 404, t(req.locale, 'console.notAvailable.message'), section);
    }
    try {
      await handler(req, ctx.params as Params);
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      if (err.status === 401) {
        req.deps.cookies.end(ctx);
        return seeOther(req, signInHref(returnPath(ctx)));
      }
      problemPage(req, err, section);
    }
  };

/** GET /console: the first section the operator may open. */
export function home(req: ConsoleRequest): void {
  const [first] = allowedSections(req);
  if (first) return seeOther(req, SECTIONS[first].href);
  refusal(req, 404, t(req.locale, 'console.notAvailable.message'));
}

/** GET /console/sign-in (`?next=` a console page): the authorization request, its checks kept in the sign-in cookie. */
export async function startSignIn(req: ConsoleRequest): Promise<void> {
  const start = await req.deps.signIn.start(req.locale);
  req.deps.cookies.startSignIn(req.ctx, { state: start.state, nonce: start.nonce, verifier: start.verifier, next: safeConsolePath(req.ctx.query.next) });
  req.ctx.status = 302;
  req.ctx.redirect(start.url.href);
}

/** GET /console/callback: checks state, exchanges the code, checks the token as the API would, starts the console session. */
export async function finishSignIn(req: ConsoleRequest): Promise<void> {
  const { ctx, deps } = req;
  const pending = deps.cookies.pending(ctx);
  deps.cookies.endSignIn(ctx);
  const refuseSignIn = () => refuse(ctx, REFUSALS.consoleSignIn, { locale: req.locale, homeHref: consolePaths.signIn });
  if (!pending || ctx.query.state !== pending.state || typeof ctx.query.error === 'string') return refuseSignIn();
  let tokens;
  try {
    tokens = await deps.signIn.finish(new URL(ctx.href), pending);
  } catch (err) {
    deps.app.logger.warn({ err, reqId: ctx.state.requestId }, 'console sign-in: the code exchange failed');
    return refuseSignIn();
  }
  try {
    await operatorOfToken(deps.app, await deps.verifier(), tokens.accessToken);
  } catch (err) {
    if (err instanceof Problem) return refuseWithDescription(ctx, err.status, err.slug, err.detail);
    throw err;
  }
  req.session = deps.cookies.start(ctx, { token: tokens.accessToken, exp: Date.now() + tokens.expiresIn * 1000, idToken: tokens.idToken });
  seeOther(req, pending.next);
}

/** POST /console/sign-out: revokes the token, drops the console session and ends the provider's session (RP-initiated logout). */
export async function signOut(req: ConsoleRequest): Promise<void> {
  const { ctx, deps } = req;
  const session = req.session;
  if (!session) return seeOther(req, CONSOLE_PATH);
  deps.cookies.end(ctx);
  try {
    await deps.signIn.revoke(session.token);
  } catch (err) {
    deps.app.logger.warn({ err, reqId: ctx.state.requestId }, 'console sign-out: token revocation failed');
  }
  seeOther(req, (await deps.signIn.endSessionUrl(session.idToken, req.locale)).href);
}
