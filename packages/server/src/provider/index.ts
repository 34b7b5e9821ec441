/**
 * createProvider(deps): oidc-provider configured for Propusk. Each concern lives in its own module
 * (routes, clients, resources, accounts, errors); every reach-in into oidc-provider beyond its
 * public API is in seam/. This file only assembles them.
 */
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Config } from '../config/index.ts';
import type { ClientDirectory } from '../clients/directory.ts';
import type { ResourceDirectory } from '../resources/directory.ts';
import type { AccountRepository } from '../accounts/types.ts';
import type { KeyService } from '../keys/service.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import type { Db } from '../storage/database.ts';
import { KyselyOidcAdapter } from '../storage/oidc-adapter.ts';
import { OIDC_SCOPES } from '../resources/types.ts';
import { routes } from './routes.ts';
import { CookieSigner } from './cookie-signer.ts';
import { ClientAdapter } from './clients.ts';
import { resourceIndicators } from './resources.ts';
import { claims, findAccount } from './accounts.ts';
import { renderError } from './errors.ts';
import { interactionPromptPolicy, interactionUrl } from './interactions.ts';
import { authenticationContextClaims } from './second-factor.ts';
import { ACR_VALUES } from '../mfa/types.ts';
import { loadExistingGrant, withFirstPartyConsents, type RememberedConsents } from './consents.ts';
import { ADMIN_API_AUDIENCE, ADMIN_API_SCOPE, CONSOLE_CLIENT_ID } from '../operators/types.ts';
import { logoutSource, postLogoutSuccessSource } from './logout.ts';
import { addSupportedScopes, grantHelpers, replaceSigningKeys } from './seam/configuration.ts';
import { EXTERNAL_SIGNING, localSigningKeys, type SignatureObserver } from './signing-keys.ts';
import { reuseClientInstances, setClientSecretCheck } from './seam/clients.ts';
import { rememberCaughtErrors } from './seam/error-rewrites.ts';
import { revokeOnLostConsumeRace } from './seam/reuse.ts';
import { registerGrants, type GrantDeps } from '../grants/index.ts';
import { SERVED_GRANT_TYPES } from '../clients/types.ts';
import { deviceFlowFeature } from '../web/device/pages.ts';
import { paceDevicePolling } from './device-polling.ts';
import { KyselyDevicePollRepository } from '../storage/repositories/device-polls.ts';
import type { JWK } from 'jose';

export interface ProviderDeps {
  config: Config;
  db: Db;
  clients: ClientDirectory;
  resources: ResourceDirectory;
  accounts: AccountRepository;
  keys: KeyService;
  changes: ChangeFeed;
  cookieKeys: string[];
  jwks: { keys: JWK[] };
  /** What our own grants (grants/index.ts) need. */
  grants: GrantDeps;
  /** Consents remembered per account and client (provider/consents.ts). */
  consents: RememberedConsents;
  onError?: (err: unknown) => void;
  /** Called once the provider has applied another process's change of signing keys or API resources. */
  onReloaded?: (topic: 'signing-keys' | 'resource') => void;
  /** Told the time of each JWS signature (ID tokens, JWT access tokens), e.g. for a metric. */
  onSignature?: SignatureObserver;
}

const algsOf = (jwks: { keys: JWK[] }) => new Set(jwks.keys.flatMap((k) => (k.alg ? [k.alg] : [])));

/** How clients authenticate at the token, introspection, revocation and device authorization endpoints. */
const CLIENT_AUTH_METHODS = ['client_secret_post', 'client_secret_basic', 'none'] as const;

/** Grant types the provider implements; a client's other registered grants are ignored. */
export const SUPPORTED_GRANTS = new Set<string>(SERVED_GRANT_TYPES);

export async function createProvider(deps: ProviderDeps): Promise<Provider> {
  const { config } = deps;
  const apiScopes = (await deps.resources.all()).map((r) => r.scope);
  const clientAdapter = new ClientAdapter(deps.clients, SUPPORTED_GRANTS);
  const adapters = new Map<string, KyselyOidcAdapter>();

  // The signature algorithms of the keys the provider holds; a JWT API whose algorithm is missing
  // (its key was added by another process a moment ago) makes this process load the keys at once.
  // One load at a time: a change reported while one runs gets one more after it (so the last one
  // to finish has read the newest keys), and a token request waits for the load under way instead
  // of signing without its key. A missing key starts at most one load a second per algorithm,
  // should it be missing from the database too.
  let loadedAlgs = algsOf(deps.jwks);
  const loadedOnDemandAt = new Map<string, number>();
  let loading: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const loadSigningKeys = async () => {
    const jwks = await deps.keys.privateJwks();
    replaceSigningKeys(provider, jwks, deps.onSignature);
    loadedAlgs = algsOf(jwks);
    deps.onReloaded?.('signing-keys');
  };
  const reloadSigningKeys = (): Promise<void> => {
    if (queued) return queued;
    if (!loading) {
      loading = loadSigningKeys().finally(() => (loading = undefined));
      return loading;
    }
    queued = loading.catch(() => undefined).then(() => {
      queued = undefined;
      return reloadSigningKeys();
    });
    return queued;
  };
  const signingKeyLoaded = (alg: string): Promise<void> | undefined => {
    if (loadedAlgs.has(alg)) return undefined;
    if (queued ?? loading) return queued ?? loading;
    if (Date.now() - (loadedOnDemandAt.get(alg) ?? 0) < 1000) return undefined;
    loadedOnDemandAt.set(alg, Date.now());
    return reloadSigningKeys();
  };

  const configuration: Configuration = {
    adapter: (name: string) => {
      if (name === 'Client') return clientAdapter;
      let adapter = adapters.get(name);
      if (!adapter) adapters.set(name, (adapter = new KyselyOidcAdapter(deps.db, name, { masterKey: config.masterKey, refreshReuseInterval: config.refreshReuseInterval })));
      return adapter;
    },
    // Signed with node:crypto through oidc-provider's external-signing interface (provider/signing-keys.ts).
    jwks: localSigningKeys(deps.jwks, deps.onSignature),
    findAccount: findAccount(deps.accounts),
    // auth_time, acr and amr ride with `openid`, so every id_token carries them (the API documentation's (docs/api-documentation.md) example id_token).
    claims: { ...claims, openid: [...claims.openid, 'auth_time', 'acr', 'amr'] },
    // The two levels of a sign-in (mfa/types.ts), advertised as acr_values_supported.
    acrValues: [...ACR_VALUES],
    extraTokenClaims: (ctx, token) => authenticationContextClaims(ctx, token as { accountId?: string }),
    scopes: [...OIDC_SCOPES, ...apiScopes],
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    clientAuthMethods: [...CLIENT_AUTH_METHODS],
    // Introspection and revocation authenticate clients as the token endpoint does; strict clients read these.
    discovery: {
      claim_types_supported: ['normal'],
      introspection_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
      revocation_endpoint_auth_methods_supported: [...CLIENT_AUTH_METHODS],
    },
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256'],
      userinfoSigningAlgValues: ['RS256'],
      introspectionSigningAlgValues: ['RS256'],
      authorizationSigningAlgValues: ['RS256'],
      requestObjectSigningAlgValues: ['RS256', 'PS256', 'ES256'],
      clientAuthSigningAlgValues: ['RS256'],
    },
    routes,
    cookies: {
      keys: new CookieSigner(deps.cookieKeys),
      long: { httpOnly: true, sameSite: 'lax', signed: true },
      short: { httpOnly: true, sameSite: 'lax', signed: true },
    },
    interactions: { url: interactionUrl, policy: interactionPromptPolicy({ clients: deps.clients, operatorsRequireMfa: config.operatorsRequireMfa }) },
    loadExistingGrant: loadExistingGrant(
      withFirstPartyConsents(deps.consents, {
        // oidc-provider counts an API scope among the requested OpenID scopes too (as a consent records it).
        [CONSOLE_CLIENT_ID]: { oidcScope: ['openid', 'profile', ADMIN_API_SCOPE], oidcClaims: [], resourceScopes: { [ADMIN_API_AUDIENCE]: [ADMIN_API_SCOPE] } },
      }),
    ),
    features: {
      externalSigningSupport: EXTERNAL_SIGNING,
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        // Only an API's own introspection credentials see its tokens; everyone else gets active: false.
        allowedPolicy: async (_ctx, client, token) => {
          const resource = await deps.resources.byIntrospectionClient(client.clientId);
          if (!resource) return false;
          // Refresh tokens are never shown to APIs; access tokens only to the API they are for.
          if (!('aud' in token) || token.aud === undefined) return false;
          return ([] as string[]).concat(token.aud as string | string[]).includes(resource.indicator);
        },
      },
      // A client may revoke only tokens issued to it.
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      // 8 letters without vowels or look-alikes, e.g. BDWPHQPK (docs/api-documentation.md); our pages (web/device/pages.ts).
      deviceFlow: deviceFlowFeature({ resources: deps.resources, accounts: deps.accounts }),
      userinfo: { enabled: true },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      resourceIndicators: resourceIndicators({ resources: deps.resources, defaultAccessTokenTtl: config.ttl.accessToken, signingKeyLoaded }),
    },
    // A refresh token whenever the client is registered for the refresh grant (the API documentation's (docs/api-documentation.md) device example has one without offline_access).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: true,
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.ttl.accessToken,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? config.ttl.accessToken,
      AuthorizationCode: config.ttl.authorizationCode,
      IdToken: config.ttl.idToken,
      RefreshToken: config.ttl.refreshToken,
      Session: config.ttl.session,
      Interaction: config.ttl.interaction,
      Grant: config.ttl.refreshToken,
      DeviceCode: config.ttl.deviceCode,
    },
    clockTolerance: 5,
    clientBasedCORS: (_ctx, origin, client) => client.redirectUris?.some((u) => u.startsWith(`${origin}/`)) ?? false,
    renderError,
  };

  const provider = new Provider(config.issuer, configuration);
  provider.proxy = config.trustProxy;
  registerGrants(provider, deps.grants, grantHelpers(provider));
  paceDevicePolling(provider, { polls: new KyselyDevicePollRepository(deps.db), initialIntervalSeconds: config.devicePollInterval });
  // A consume that loses a race is a reuse: the grant is revoked (provider/seam/reuse.ts).
  revokeOnLostConsumeRace(provider);
  // Errors of the client-authenticated endpoints, for the rewrites matched by class (provider/seam/error-rewrites.ts).
  rememberCaughtErrors(provider);
  setClientSecretCheck(provider, (clientId, presented) => deps.clients.verifyApiKey(clientId, presented));
  reuseClientInstances(provider, (clientId) => deps.clients.find(clientId));

  deps.changes.subscribe((topic) => {
    if (topic === 'signing-keys') {
      reloadSigningKeys().catch(deps.onError);
    } else if (topic === 'resource') {
      void deps.resources.all().then((all) => {
        addSupportedScopes(provider, all.map((r) => r.scope));
        deps.onReloaded?.(topic);
      }, deps.onError);
    }
  });

  return provider;
}

export type { Provider, KoaContextWithOIDC };
