/**
 * What the `/device` middleware (web/device/guard.ts) and the provider's device pages
 * (web/device/pages.ts) tell each other about one request, through Koa's `ctx.state`.
 */
export interface DevicePageState {
  /** The code from `?user-code=` / `?user_code=` of a GET link (removed from the query oidc-provider sees). */
  deviceLinkCode?: string;
  /** Set by the pages when the request presented a user code that does not exist (counts as a guess). */
  deviceCodeRejected?: boolean;
}
