/**
 * Seam: private parts of oidc-provider's browser session (`provider.Session`) — the form secret it
 * keeps for its own forms, its mark of a session that was never stored, and whether it is saved at
 * the end of the request.
 */
import type { KoaContextWithOIDC, Session } from 'oidc-provider';
import type { Assumption } from './assumption.ts';

interface SessionInternals {
  state?: { secret?: unknown };
  new?: boolean;
  exp?: unknown;
  touched?: boolean;
}

/**
 * The secret oidc-provider put in the session for the page being rendered (`generateXsrf`); our
 * forms send it back as `xsrf`, where oidc-provider checks it.
 * Upstream: lib/shared/xsrf.js:8 (`ctx.oidc.session.state = { secret }`). Remove when the page
 * sources receive the secret as an argument of their own (today only inside the rendered form).
 */
export function xsrfSecret(ctx: KoaContextWithOIDC): string {
  return String((ctx.oidc.session as SessionInternals | undefined)?.state?.secret ?? '');
}

/**
 * True when the session was loaded from storage (the browser had a live session cookie), false for
 * the brand-new one oidc-provider makes up when there is none.
 * Upstream: lib/models/session.js:9 (a session built without a payload is marked `new`). Remove
 * when `Session` tells this apart publicly.
 */
export function isStoredSession(session: Session): boolean {
  return !(session as SessionInternals).new;
}

/**
 * When this request's session was never stored (no browser session at all: cookies expired or
 * blocked), keeps oidc-provider from saving it at the end of the request — which would throw, since
 * a session is first stored by a flow that starts one — and returns true; false otherwise.
 * Upstream: lib/models/session.js:102 (only a session with a numeric `exp` was stored) and
 * lib/helpers/initialize_app.js:59 (a `touched` session is saved after the route).
 * Remove when oidc-provider skips the save of a new session on its error path.
 */
export function leaveUnstoredSessionUnsaved(ctx: KoaContextWithOIDC): boolean {
  const session = ctx.oidc.session as unknown as SessionInternals | undefined;
  if (!session || typeof session.exp === 'number') return false;
  session.touched = false;
  return true;
}

export const assumptions: Assumption[] = [
  {
    name: 'xsrf: the form secret is kept in session.state.secret',
    file: 'lib/shared/xsrf.js',
    line: 8,
    text: 'ctx.oidc.session.state = { secret };',
    why: 'our device and sign-out pages render oidc-provider’s form secret into their own forms',
    removeWhen: 'the page sources receive the secret as an argument',
  },
  {
    name: 'Session: a session built without a payload is marked `new`',
    file: 'lib/models/session.js',
    line: 9,
    text: "Object.defineProperty(this, 'new', { value: true });",
    holds: ({ provider }) => (new provider.Session() as unknown as SessionInternals).new === true,
    why: 'signing in on the account pages destroys the browser’s previous session only when one was stored',
    removeWhen: '`Session` tells a stored session apart publicly',
  },
  {
    name: 'Session.persist: only a session with a numeric exp was stored',
    file: 'lib/models/session.js',
    line: 102,
    text: "if (typeof this.exp !== 'number') {",
    why: 'the device page starts over instead of saving a session that was never stored',
    removeWhen: 'oidc-provider skips the save of a new session on its error path',
  },
  {
    name: 'ensureSessionSave: a touched session is saved after the route',
    file: 'lib/helpers/initialize_app.js',
    line: 59,
    text: 'if (ctx.oidc.session?.touched && !ctx.oidc.session.destroyed) {',
    why: 'clearing `touched` keeps an unstored session from being saved (which would throw)',
    removeWhen: 'oidc-provider skips the save of a new session on its error path',
  },
];
