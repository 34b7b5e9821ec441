/**
 * oidc-provider 9 renders the device code entry form when `/device/:uid` (device_resume) fails
 * for a browser that has no session yet (an unknown or expired uid): the form's xsrf secret goes
 * into a brand-new session, whose save then throws "persist can only be called on previously
 * persisted Sessions" after the page is rendered — turning a 4xx page into a 500. The rendered
 * page is kept (the unsaved session only means its form asks again for a fresh one).
 */
import type { Middleware } from 'koa';

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
