/**
 * Every path this server answers, as route templates (`:name` for a parameter), for the one
 * canonical spelling of a request's path (http/canonical-path.ts). A test checks that every route
 * of our routers is listed here, so a new route cannot be left out.
 */
import { routes } from '../provider/routes.ts';
import { DISCOVERY_PATH } from '../provider/discovery-cache.ts';
import { portalRouteTemplates } from '../web/portal/paths.ts';
import { ACCOUNT_PATH } from '../web/account/deps.ts';
import { PASSWORD_LINK_PATH } from '../accounts/password-links.ts';
import { FORGOT_PASSWORD_PATH } from '../web/account/deps.ts';
import { LINKING_PATH } from '../web/linking/router.ts';
import { METRICS_PATH } from './metrics.ts';
import { stylesheetPath, scriptPath, passkeyScriptPath, webauthnScriptPath } from '../views/assets/paths.ts';
import { SECOND_STEP_PATHS } from '../web/shared/second-step-flow.ts';
import { TWO_STEP_ROUTES } from '../web/account/two-step-paths.ts';
import { RouteTemplates } from './canonical-path.ts';
import { adminApiRouteTemplates } from '../web/admin-api/paths.ts';
import { consoleRouteTemplates } from '../web/console/paths.ts';
import { DEMO_CALLBACK_PATH } from '../bootstrap/demo-client.ts';

export const ROUTE_TEMPLATES: readonly string[] = [
  // oidc-provider's endpoints, with the sub-paths it adds to some of them.
  ...Object.values(routes),
  DISCOVERY_PATH,
  `${routes.authorization}/:uid`,
  `${routes.end_session}/confirm`,
  `${routes.end_session}/success`,
  `${routes.code_verification}/:uid`,
  `${routes.code_verification}/qr.svg`,
  `${routes.code_verification}/done/:outcome`,
  // Sign-in and consent pages.
  '/interaction/:uid',
  '/interaction/:uid/login',
  '/interaction/:uid/consent',
  '/interaction/:uid/abort',
  '/interaction/:uid/switch-account',
  ...SECOND_STEP_PATHS.map((p) => `/interaction/:uid/${p}`),
  // Account pages.
  ACCOUNT_PATH,
  `${ACCOUNT_PATH}/sign-in`,
  `${ACCOUNT_PATH}/applications/:clientId/revoke`,
  `${ACCOUNT_PATH}/password`,
  `${ACCOUNT_PATH}/sign-out-everywhere`,
  `${ACCOUNT_PATH}/sign-out`,
  ...SECOND_STEP_PATHS.map((p) => `${ACCOUNT_PATH}/${p}`),
  `${ACCOUNT_PATH}/sign-in-again`,
  FORGOT_PASSWORD_PATH,
  `${FORGOT_PASSWORD_PATH}/sent`,
  ...TWO_STEP_ROUTES,
  `${PASSWORD_LINK_PATH}/:token`,
  // The integrator portal.
  ...portalRouteTemplates,
  // The operator console.
  ...consoleRouteTemplates,
  // The demo client's callback page.
  DEMO_CALLBACK_PATH,
  // APIs, health, metrics, assets.
  LINKING_PATH,
  ...adminApiRouteTemplates(),
  '/healthz',
  '/readyz',
  METRICS_PATH,
  stylesheetPath,
  scriptPath,
  passkeyScriptPath,
  webauthnScriptPath,
];

export const routeTemplates = (): RouteTemplates => new RouteTemplates(ROUTE_TEMPLATES);
