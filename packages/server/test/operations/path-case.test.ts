/**
 * A path in another case (`/INTEGRATIONS/…`, `/CONNECT/AUTHORIZE/:uid`, `/Account`) is answered as
 * its canonical spelling: the same status as the lower-case path, never a 500, and no secret of the
 * path (an invitation token) in any log line. Every route our routers define is covered by the
 * canonical spellings, so a new route cannot be forgotten.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { invite, newClient, setupPortal, type PortalSetup } from '../integrations/support.ts';
import { RouteTemplates } from '../../src/http/canonical-path.ts';
import { ROUTE_TEMPLATES } from '../../src/http/route-templates.ts';
import { integrationRoutes } from '../../src/web/portal/index.ts';
import { accountRoutes } from '../../src/web/account/index.ts';
import { interactionRoutes } from '../../src/web/interactions/index.ts';
import { consoleRoutes } from '../../src/web/console/index.ts';
import { healthRoutes } from '../../src/http/health.ts';
import { assetRoutes } from '../../src/http/assets.ts';

/** Upper-cases the letters of the fixed segments of `path` (parameters, here the token, stay). */
const shout = (path: string, keep: string) => path.split(keep).map((part) => part.toUpperCase()).join(keep);

describe('paths in another case', () => {
  let s: PortalSetup;
  let token: string;
  before(async () => {
    s = await setupPortal();
    const clientId = await newClient(s);
    const url = new URL((await invite(s, clientId)).url);
    token = url.pathname.split('/').pop()!;
  });
  after(() => s?.server.stop());

  const status = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${s.issuer}${path}`, { redirect: 'manual', ...init });
    await res.body?.cancel();
    return res.status;
  };

  it('answer as their canonical spelling, never 500', async () => {
    const paths = [
      `/integrations/invitations/${token}`,
      '/integrations',
      '/integrations/sign-in',
      '/integrations/clients/acme.app1',
      '/account',
      '/console',
      '/console/signing-keys',
      '/console/users/Some-Id',
      '/device',
      '/connect/authorize/nosuchuid',
      '/connect/authorize?client_id=nobody',
      '/interaction/nosuchuid',
      '/.well-known/openid-configuration',
      '/.well-known/openid-configuration/jwks',
      '/healthz',
    ];
    for (const path of paths) {
      const expected = await status(path);
      assert.ok(expected < 500, `${path}: ${expected}`);
      for (const variant of [shout(path, token), path.replace(/^\/(.)/, (_, c: string) => `/${c.toUpperCase()}`)]) {
        assert.equal(await status(variant), expected, `${variant} answers as ${path}`);
      }
    }
    const form = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'csrf=x' };
    for (const path of [`/integrations/invitations/${token}/accept`, '/account/password', '/interaction/nosuchuid/login']) {
      const expected = await status(path, form);
      assert.ok(expected < 500, `${path}: ${expected}`);
      assert.equal(await status(shout(path, token), form), expected, `${shout(path, token)} answers as ${path}`);
    }
  });

  it('never log the invitation token, whatever the case of the path', async () => {
    await status(`/INTEGRATIONS/INVITATIONS/${token}`);
    await status(`/Integrations/Invitations/${token}/accept`, { method: 'POST', body: 'csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.ok(s.logs.length > 0);
    const leaked = s.logs.filter((line) => line.includes(token));
    assert.deepEqual(leaked, []);
    assert.ok(s.logs.every((line) => !/"status":5\d\d/.test(line)), 'no 5xx was logged');
  });
});

describe('canonical spellings', () => {
  const templates = new RouteTemplates(ROUTE_TEMPLATES);

  it('cover every route of our routers', () => {
    // The routers only keep their dependencies for their handlers: building them needs none.
    const none = {} as never;
    const routers = [integrationRoutes(none), accountRoutes(none), interactionRoutes(none), consoleRoutes(none), healthRoutes(none), assetRoutes()];
    const paths = routers.flatMap((router) => router.stack.filter((layer) => layer.methods.length > 0).map((layer) => String(layer.path)));
    assert.ok(paths.length > 20, `routes found: ${paths.length}`);
    for (const path of paths) {
      const sample = path.split('/').map((segment) => (segment.startsWith(':') ? 'Param1' : segment)).join('/');
      const shouted = path.split('/').map((segment) => (segment.startsWith(':') ? 'Param1' : segment.toUpperCase())).join('/');
      assert.equal(templates.canonical(shouted), sample, `${path} has a canonical spelling`);
    }
  });

  it('keep parameters as sent and prefer a fixed segment to a parameter', () => {
    assert.equal(templates.canonical('/CONNECT/AUTHORIZE/AbC-123'), '/connect/authorize/AbC-123');
    assert.equal(templates.canonical('/Device/QR.SVG'), '/device/qr.svg');
    assert.equal(templates.canonical('/Device/XyZ'), '/device/XyZ');
    assert.equal(templates.canonical('/Account/'), '/account/');
    assert.equal(templates.canonical('/Integrations/Clients/Acme.App/Keys/K1/Revoke'), '/integrations/clients/Acme.App/keys/K1/revoke');
    assert.equal(templates.canonical('/NOT/A/ROUTE'), '/NOT/A/ROUTE');
    assert.equal(templates.canonical('/connect//token'), '/connect//token');
  });
});
