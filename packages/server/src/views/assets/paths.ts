/** URL paths of the static assets the layout links to; the server mounts the exported texts at exactly these paths. */

/** The only stylesheet (served from `stylesheet` in `propusk.css.ts`). */
export const stylesheetPath = '/assets/propusk.css';

/** The optional enhancement script (served from `script` in `propusk.js.ts`). */
export const scriptPath = '/assets/propusk.js';

/** @simplewebauthn/browser's bundle (the global `SimpleWebAuthnBrowser`), served from its package. */
export const webauthnScriptPath = '/assets/webauthn.js';

/** The passkey forms' script (served from `passkeyScript` in `passkeys.js.ts`). */
export const passkeyScriptPath = '/assets/passkeys.js';
