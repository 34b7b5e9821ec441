/**
 * Seam: a workaround for an upstream 500. oidc-provider 9 renders the device code entry form when
 * `/device/:uid` (device_resume) fails for a browser that has no session yet (an unknown or expired
 * uid): the form's xsrf secret goes into a brand-new session, whose save then throws "persist can
 * only be called on previously persisted Sessions" after the page is rendered — turning a 4xx page
 * into a 500. The rendered page is kept (the unsaved session only means its form asks again for a
 * fresh one).
 * Upstream: lib/models/session.js:103 (the TypeError and its message; only the message tells it
 * apart from any other TypeError). Remove when oidc-provider saves or skips such a session itself.
 */
import type { Middleware } from 'koa';
import type { Assumption } from './assumption.ts';

const UNSAVED_SESSION = 'persist can only be called on previously persisted Sessions';

export function keepPageOfUnsavedSession(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (!(err instanceof TypeError && err.message === UNSAVED_SESSION && ctx.body !== undefined && ctx.status >= 400 && ctx.status < 500)) throw err;
    }
  };
}

export const assumptions: Assumption[] = [
  {
    name: 'Session.persist: the TypeError message of a session that was never stored',
    file: 'lib/models/session.js',
    line: 103,
    text: `throw new TypeError('${UNSAVED_SESSION}');`,
    why: 'a rendered 4xx device page is not turned into a 500 by the failed save of a new session',
    removeWhen: 'oidc-provider saves or skips a new session on its error path',
  },
];
