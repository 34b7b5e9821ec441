/**
 * Signing in to the console is Propusk's own authorization code flow with PKCE (S256), as the
 * first-party public client `propusk-console` (migration 0017; its consent is fixed, so there is
 * no consent page): `scope=openid propusk.admin` with `resource=urn:propusk:api:propusk.admin`
 * (RFC 8707), so the access token is an opaque `propusk.admin` token for the management API. The
 * relying-party side is openid-client, whose requests (discovery, token, revocation) go to this
 * server in memory (web/admin-api/in-process-fetch.ts). With the provider's browser session still
 * alive, the authorization endpoint answers at once: an expired console token is renewed without
 * a sign-in page.
 *
 * Signing out revokes the token and ends the provider's session (RP-initiated logout, back to
 * `/console`).
 */
import { ACR_MFA } from '../../mfa/types.ts';
import * as oidc from 'openid-client';
import type { DispatchFunc } from 'light-my-request';
import { ADMIN_API_AUDIENCE, ADMIN_API_SCOPE, CONSOLE_CLIENT_ID } from '../../operators/types.ts';
import { consolePostLogoutUri, consoleRedirectUri } from '../admin-api/setup.ts';
import { inProcessFetch } from '../admin-api/in-process-fetch.ts';

export const CONSOLE_SCOPE = `openid ${ADMIN_API_SCOPE}`;

export interface SignInStart {
  url: URL;
  state: string;
  nonce: string;
  verifier: string;
}

export interface SignedInTokens {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
  idToken: string | undefined;
}

export class ConsoleSignIn {
  #config: Promise<oidc.Configuration> | undefined;

  constructor(
    private readonly issuer: string,
    private readonly dispatch: DispatchFunc,
    /** Ask for the second factor (`acr_values`): operators must use one (PROPUSK_ADMIN_REQUIRE_MFA). */
    private readonly requireMfa = false,
  ) {}

  /** openid-client's configuration from this server's discovery document (fetched in memory once). */
  config(): Promise<oidc.Configuration> {
    const fetch = inProcessFetch(this.dispatch) as oidc.CustomFetch;
    const insecure = new URL(this.issuer).protocol === 'http:';
    this.#config ??= oidc
      .discovery(new URL(this.issuer), CONSOLE_CLIENT_ID, undefined, oidc.None(), { [oidc.customFetch]: fetch, ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}) })
      .then((config) => {
        config[oidc.customFetch] = fetch;
        return config;
      })
      .catch((err: unknown) => {
        this.#config = undefined;
        throw err;
      });
    return this.#config;
  }

  /** The authorization request of a new sign-in, with its state, nonce and code_verifier. */
  async start(uiLocales: string): Promise<SignInStart> {
    const config = await this.config();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: consoleRedirectUri(this.issuer),
      scope: CONSOLE_SCOPE,
      resource: ADMIN_API_AUDIENCE,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
      ui_locales: uiLocales,
      ...(this.requireMfa ? { acr_values: ACR_MFA } : {}),
    });
    return { url, state, nonce, verifier };
  }

  /** Exchanges the callback's code (checking state, nonce, `iss` and PKCE); throws when anything does not match. */
  async finish(callbackUrl: URL, checks: { state: string; nonce: string; verifier: string }): Promise<SignedInTokens> {
    const config = await this.config();
    const tokens = await oidc.authorizationCodeGrant(
      config,
      callbackUrl,
      { expectedState: checks.state, expectedNonce: checks.nonce, pkceCodeVerifier: checks.verifier, idTokenExpected: true },
      { resource: ADMIN_API_AUDIENCE },
    );
    return { accessToken: tokens.access_token, expiresIn: tokens.expiresIn() ?? 0, idToken: tokens.id_token };
  }

  /** Revokes the access token at the revocation endpoint. */
  async revoke(token: string): Promise<void> {
    await oidc.tokenRevocation(await this.config(), token, { token_type_hint: 'access_token' });
  }

  /** The end-session URL that signs the browser out of Propusk and returns to `/console`. */
  async endSessionUrl(idToken: string | undefined, uiLocales: string): Promise<URL> {
    return oidc.buildEndSessionUrl(await this.config(), {
      client_id: CONSOLE_CLIENT_ID,
      post_logout_redirect_uri: consolePostLogoutUri(this.issuer),
      ui_locales: uiLocales,
      ...(idToken ? { id_token_hint: idToken } : {}),
    });
  }
}
