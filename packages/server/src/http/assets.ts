/** Serves the stylesheet, the progressive-enhancement scripts and @simplewebauthn/browser's bundle, with long caching. */
import Router from '@koa/router';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { stylesheet, script, stylesheetPath, scriptPath, passkeyScript, passkeyScriptPath, webauthnScriptPath } from '../views/index.ts';

/** @simplewebauthn/browser's browser bundle (a UMD script defining `SimpleWebAuthnBrowser`), read on its first request. */
function webauthnBundle(): string {
  // The package exports only its entry points; the bundle sits beside them (dist/bundle/).
  const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
  return readFileSync(join(dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
}

export function assetRoutes(): Router {
  const router = new Router();
  const serve = (path: string, type: string, load: () => string) => {
    let cached: { body: string; etag: string } | undefined;
    router.get(path, (ctx) => {
      if (!cached) {
        const body = load();
        cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
      }
      ctx.set('Cache-Control', 'public, max-age=86400');
      ctx.set('ETag', cached.etag);
      if (ctx.get('if-none-match') === cached.etag) {
        ctx.status = 304;
        return;
      }
      ctx.type = type;
      ctx.body = cached.body;
    });
  };
  serve(stylesheetPath, 'text/css; charset=utf-8', () => stylesheet);
  serve(scriptPath, 'text/javascript; charset=utf-8', () => script);
  serve(passkeyScriptPath, 'text/javascript; charset=utf-8', () => passkeyScript);
  serve(webauthnScriptPath, 'text/javascript; charset=utf-8', webauthnBundle);
  return router;
}
