/**
 * The demo client's identity, shared by the demo bootstrap (which registers it) and the demo
 * callback page (which answers only while it exists): its client_id and the redirect URI on
 * Propusk itself that makes the printed authorization URL work in a browser on this machine.
 */
export const DEMO_CLIENT_ID = 'demo.app';
export const DEMO_CALLBACK_PATH = '/demo/callback';

/** The demo client's redirect URI on this issuer: `<issuer>/demo/callback`. */
export const demoCallbackUri = (issuer: string): string => `${issuer}${DEMO_CALLBACK_PATH}`;
