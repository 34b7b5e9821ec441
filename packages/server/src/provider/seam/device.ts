/**
 * Seam: oidc-provider's device flow internals — the mark of a code being confirmed, the classes of
 * its "re-render" outcomes, and the answer its device_code grant gives a code still waiting for
 * the user.
 */
import type { DeviceCode, KoaContextWithOIDC } from 'oidc-provider';
// @ts-expect-error -- deep import without type declarations
import * as reRenderErrors from 'oidc-provider/lib/helpers/re_render_errors.js';
import type { Assumption } from './assumption.ts';

/**
 * True when the code can no longer be confirmed: refused, approved, or being confirmed right now.
 * The same test as oidc-provider's verification endpoint.
 * Upstream: lib/actions/code_verification.js:65 (`inFlight` is set at line 99 when a confirmation
 * starts). Remove when DeviceCode exposes whether it is still confirmable.
 */
export function deviceCodeSpent(code: DeviceCode): boolean {
  return Boolean(code.error || code.accountId || code.inFlight);
}

/** oidc-provider's outcomes of the verification endpoint and of the return from sign-in/consent that re-render the entry page. */
export type ReRenderOutcome = 'not_found' | 'expired' | 'already_used' | 'aborted' | 'no_code';

type ErrorClass = abstract new (...args: never[]) => Error;
const RE_RENDER: ReadonlyArray<readonly [string, ReRenderOutcome]> = [
  ['NotFoundError', 'not_found'],
  ['ExpiredError', 'expired'],
  ['AlreadyUsedError', 'already_used'],
  ['AbortedError', 'aborted'],
  ['NoCodeError', 'no_code'],
];
const classes = reRenderErrors as Record<string, ErrorClass | undefined>;

/**
 * Which re-render outcome `err` is (matched by class), or undefined for any other error.
 * Upstream: lib/helpers/re_render_errors.js:13–37 (not exported by the package's entry point).
 * Remove when oidc-provider exports these classes.
 */
export function reRenderOutcome(err: unknown): ReRenderOutcome | undefined {
  for (const [name, outcome] of RE_RENDER) {
    const Class = classes[name];
    if (Class && err instanceof Class) return outcome;
  }
  return undefined;
}

/**
 * True when oidc-provider's device_code grant would answer `authorization_pending` for this live,
 * unconsumed code of the requesting client without reading it again: the user has not decided, and
 * the request involves nothing only the handler checks (DPoP; mTLS and attestation-based client
 * authentication are not enabled here).
 * Upstream: lib/actions/grants/device_code.js:45 (the pending test) after :25 and :39 (DPoP).
 * Remove when polls are cheap enough to always reach the handler.
 */
export function answersAuthorizationPending(ctx: KoaContextWithOIDC, code: DeviceCode): boolean {
  return !code.accountId && !code.error && !ctx.get('dpop') && !ctx.oidc.client?.dpopBoundAccessTokens;
}

export const assumptions: Assumption[] = [
  {
    name: 'code verification: a refused, approved or in-flight code is already used',
    file: 'lib/actions/code_verification.js',
    line: 65,
    text: 'if (code.error || code.accountId || code.inFlight) {',
    why: '`/device?user-code=` and the QR code treat a code exactly as the verification endpoint will',
    removeWhen: 'DeviceCode exposes whether it is still confirmable',
  },
  {
    name: 'code verification: inFlight marks a confirmation under way',
    file: 'lib/actions/code_verification.js',
    line: 99,
    text: 'code.inFlight = true;',
    why: 'a code being confirmed is no longer offered for confirmation',
    removeWhen: 'DeviceCode exposes whether it is still confirmable',
  },
  ...RE_RENDER.map(([name]): Assumption => ({
    name: `re-render errors: ${name} is a class of re_render_errors.js`,
    file: 'lib/helpers/re_render_errors.js',
    line: { NotFoundError: 13, ExpiredError: 18, AbortedError: 23, AlreadyUsedError: 28, NoCodeError: 33 }[name]!,
    text: `export class ${name} extends ReRenderError {`,
    holds: () => typeof classes[name] === 'function',
    why: 'the device pages say why a code was refused (unknown, expired, used, denied, missing)',
    removeWhen: 'oidc-provider exports its re-render error classes',
  })),
  {
    name: 'device_code grant: a code with neither account nor error is pending',
    file: 'lib/actions/grants/device_code.js',
    line: 45,
    text: 'if (!code.accountId && !code.error) {',
    why: 'polls of a pending code are answered without a second read of the code (the device flow’s hot path)',
    removeWhen: 'polls are cheap enough to always reach the handler',
  },
  {
    name: 'device_code grant: DPoP is validated before the pending check',
    file: 'lib/actions/grants/device_code.js',
    line: 25,
    text: 'const dPoP = await validateDpop(ctx);',
    why: 'a poll involving DPoP always reaches the handler, which alone checks it',
    removeWhen: 'polls are cheap enough to always reach the handler',
  },
  {
    name: 'device_code grant: DPoP-bound clients are checked before the pending check',
    file: 'lib/actions/grants/device_code.js',
    line: 39,
    text: 'checkDpopRequired(ctx, dPoP);',
    why: 'a poll of a DPoP-bound client always reaches the handler, which alone checks it',
    removeWhen: 'polls are cheap enough to always reach the handler',
  },
];
