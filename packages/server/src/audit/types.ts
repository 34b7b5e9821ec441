/**
 * Audit events: who did what, when, with what outcome — never secrets. AUDIT_EVENTS is the one
 * vocabulary: every event a caller may record, what it means and what its details hold. The types
 * callers record against are derived from it, and `npm run docs:generate` turns it into
 * docs/audit-events.md.
 */

/**
 * Who did it, in one format. `<id>` stands for an account id or a client id. An event whose actor
 * proved nothing (a failed sign-in, an unknown client) has none (`null`).
 */
export const AUDIT_ACTORS = {
  'admin-cli': 'an operator, through `propusk admin`',
  system: 'Propusk itself (e.g. at start)',
  'account:<id>': 'a signed-in person: the account holder on `/account`, an owner in the integrator portal, an operator in the console or the management API, a person at the end-session endpoint',
  'client:<id>': 'an authenticated application (token, revocation and linking endpoints, the management API)',
} as const;

type ActorPattern<K> = K extends `${infer Prefix}:<id>` ? `${Prefix}:${string}` : K;

/** `admin-cli`, `system`, `account:<account id>` or `client:<client id>` (AUDIT_ACTORS). */
export type AuditActor = ActorPattern<keyof typeof AUDIT_ACTORS>;

/** The actor of an operator's command. */
export const CLI_ACTOR = 'admin-cli' satisfies AuditActor;

/** The actor `account:<id>`. */
export const accountActor = (accountId: string): AuditActor => `account:${accountId}`;

/** The actor `client:<id>`. */
export const clientActor = (clientId: string): AuditActor => `client:${clientId}`;

/** One event of the vocabulary: its meaning, and one line per detail (every detail must be documented). */
export interface AuditEventSpec<D extends object> {
  readonly description: string;
  readonly details: { readonly [K in keyof D]-?: string };
  /** Only carries the details' type. */
  readonly _details?: D;
}

type NoDetails = Record<never, never>;

/** Declares an event with details `D`; `details` documents each of them. */
function event<D extends object = NoDetails>(description: string, details: { readonly [K in keyof D]-?: string } = {} as never): AuditEventSpec<D> {
  return { description, details };
}

type SignInFacts = {
  /** `email`, `phone` or `other`: what the login looked like, never the login itself. */
  login_kind: string;
  ip: string;
  via: 'authorize' | 'account' | 'portal';
  reason?: 'locked' | 'invalid_credentials';
  scope?: 'account' | 'ip';
};

const SIGN_IN_FACTS = {
  login_kind: '`email`, `phone` or `other` (what the login looked like; never the login)',
  ip: 'client IP address',
  via: 'the form: `authorize`, `account` or `portal`',
  reason: 'on failure: `locked` or `invalid_credentials`',
  scope: 'with `locked`: whether the login (`account`) or the address (`ip`) is locked',
} as const;

type ReuseDetails = { grant_id: string | null; grant_revoked: boolean };
const REUSE_DETAILS = { grant_id: 'the grant, revoked with everything issued under it', grant_revoked: 'always true' } as const;

export const AUDIT_EVENTS = {
  'account.created': event<{ password?: boolean }>('An operator created an account.', { password: 'false when it was created without a password (its holder sets one through a set-password link)' }),
  'account.updated': event<{ fields: string[] }>('An operator changed an account\'s names, phone or e-mail verification.', { fields: 'the fields that changed (`given_name`, `family_name`, `middle_name`, `phone`, `email_verified`), never their values' }),
  'account.disabled': event('An account was disabled: it can no longer sign in (followed by `account.tokens_revoked`).'),
  'account.enabled': event('A disabled account was enabled again.'),
  'account.password_set': event('An operator set an account\'s password (followed by `account.tokens_revoked`).'),
  'account.password_changed': event<{ revoked?: number; reason?: string; ip?: string }>(
    'The account holder changed their password on `/account`; a failure says why it was refused.',
    {
      revoked: 'on success: sessions, grants and tokens revoked (every one but the browser session that changed it)',
      reason: 'on failure: `required`, `mismatch`, `locked`, `incorrect`, `unchanged` or `rules`',
      ip: 'on failure: client IP address',
    },
  ),
  'account.password_link_issued': event<{ link_id: string; reason: 'operator' | 'forgot'; expires_at: string }>(
    'A one-time set-password link was issued for an account (the link itself is never recorded); the account\'s earlier unused links stopped working.',
    { link_id: 'the link', reason: '`operator` (`user password-link`) or `forgot` (the account holder asked)', expires_at: 'when the link expires' },
  ),
  'account.password_reset_requested': event<{ ip: string; link_id?: string; reason?: 'disabled' | 'no_email' | 'not_sent' }>(
    'Someone asked for a set-password link on "Forgot password?" (`/account/forgot-password`) with a login that names this account (a login that names none is not recorded; the person is answered the same either way). Success: a link (`account.password_link_issued`, `reason: forgot`) went to the account\'s e-mail address.',
    {
      ip: 'client IP address of the request',
      link_id: 'the link issued, when there was one',
      reason: 'on failure: `disabled` (the account is disabled: no link), `no_email` (no e-mail address to send to) or `not_sent` (the mail transport refused the message; the link was issued but never arrived)',
    },
  ),
  'account.password_set_by_link': event<{ link_id: string; reason?: string }>(
    'The account holder set their password with a set-password link (followed by `account.tokens_revoked`); a failure says why it was refused.',
    { link_id: 'the link', reason: 'on failure: `required`, `mismatch`, `rules` (the link still works), `used` or `expired`' },
  ),
  'account.phone_changed': event<{ cleared: boolean }>('An operator gave an account another phone number, or none.', { cleared: 'true when the phone was removed' }),
  'account.signed_out': event('The account holder signed out of `/account` on one browser.'),
  'account.signed_out_everywhere': event<{ revoked: number }>('The account holder signed out everywhere on `/account`.', { revoked: 'sessions, grants and tokens revoked' }),
  'account.tokens_revoked': event<{ reason: 'operator' | 'password_changed' | 'password_set' | 'password_set_by_link' | 'sign_out_everywhere' | 'account_disabled' | 'mfa_changed' | 'mfa_reset'; artefacts: number; kept_current_session: boolean }>(
    'Every session (the browser session of every page), grant, code and token of an account was deleted.',
    {
      reason: '`operator` (`user revoke-tokens`), `password_changed`, `password_set`, `password_set_by_link`, `sign_out_everywhere`, `account_disabled`, `mfa_changed` (the holder added or removed a second factor, or renewed the recovery codes) or `mfa_reset` (an operator removed every factor)',
      artefacts: 'rows deleted',
      kept_current_session: 'true when the browser session that changed the password was kept',
    },
  ),
  'api_key.issued': event<{ api_key_id: string; via?: 'portal' }>('An api-key was issued to a client (the key itself is never recorded).', {
    api_key_id: 'id of the new key',
    via: '`portal` when an owner issued it in the integrator portal',
  }),
  'api_key.revoked': event<{ api_key_id: string; via?: 'portal' }>('An api-key of a client was revoked.', { api_key_id: 'id of the key', via: '`portal` when an owner revoked it in the integrator portal' }),
  'authorization_code.reuse_detected': event<ReuseDetails>('An authorization code was presented a second time; its grant was revoked.', REUSE_DETAILS),
  'client.created': event('An operator registered a client.'),
  'client.disabled': event('A client was disabled: refused at every endpoint (followed by `client.tokens_revoked`).'),
  'client.enabled': event('A disabled client was enabled again.'),
  'client.partner_require_aud': event<{ require_aud: boolean }>('Whether a partner\'s trusted-grant JWTs must carry `aud` changed.', { require_aud: 'the new setting' }),
  'client.require_dpop': event<{ require_dpop: boolean }>('Whether the client\'s token requests must carry a DPoP proof (DPoP-bound access tokens only) changed.', { require_dpop: 'the new setting' }),
  'client.require_mfa': event<{ require_mfa: boolean }>('Whether every sign-in for the client takes a second factor changed.', { require_mfa: 'true: every sign-in for the client takes a second factor (acr `urn:propusk:acr:mfa`)' }),
  'client.permission_granted': event<{ permission: string }>('A client was given a permission.', { permission: '`trusted` or `link-by-phone`' }),
  'client.permission_revoked': event<{ permission: string }>('A client\'s permission was withdrawn.', { permission: '`trusted` or `link-by-phone`' }),
  'client.redirect_uris_changed': event<{ before: string[]; after: string[]; via: 'portal' }>('An owner replaced a client\'s redirect URIs in the integrator portal.', {
    before: 'the URIs before',
    after: 'the URIs after',
    via: '`portal`',
  }),
  'client.tokens_revoked': event<{ reason: 'operator' | 'client_disabled'; artefacts: number; consents: number }>(
    'Every grant, code and token issued to a client was deleted, and every consent given to it forgotten.',
    { reason: '`operator` (`client revoke-tokens`) or `client_disabled`', artefacts: 'rows deleted', consents: 'remembered consents forgotten' },
  ),
  'client.updated': event<{ changed: string[]; before: Record<string, string[]>; after: Record<string, string[]> }>(
    'An operator changed a client\'s registration (name, grant types, redirect URIs, post-logout redirect URIs or scopes).',
    {
      changed: 'the fields that changed: `name`, `grant_types`, `redirect_uris`, `post_logout_redirect_uris`, `scopes`',
      before: 'each list that changed (every changed field but `name`), as it was',
      after: 'each list that changed, as it is now',
    },
  ),
  'consent.denied': event<{ scope: string }>('A person refused an application\'s request on the consent page.', { scope: 'the scopes asked for, space-separated' }),
  'consent.granted': event<{ scope: string; grant_id: string; remembered: boolean }>('A person allowed an application\'s request on the consent page.', {
    scope: 'the scopes allowed, space-separated',
    grant_id: 'the grant',
    remembered: 'true when the consent is remembered for later sign-ins',
  }),
  'consent.revoked': event<{ scope: string }>('A remembered consent was forgotten (the account holder revoked the application).', { scope: 'the scopes it allowed' }),
  'device_code.reuse_detected': event<ReuseDetails>('A device code was presented again after it was used; its grant was revoked.', REUSE_DETAILS),
  'grant.revoked': event<{ grant_id: string; artefacts?: number; via?: string }>('A grant and everything issued under it were revoked.', {
    grant_id: 'the grant',
    artefacts: 'rows deleted, when the account holder revoked the application on `/account`',
    via: 'the endpoint that revoked it (`token`, `revocation`, `end_session`)',
  }),
  'integration.account_created': event<{ invitation_id: string }>('A person created an account on an integrator-portal invitation page.', { invitation_id: 'the invitation' }),
  'integration.invitation_accepted': event<{ invitation_id?: string; reason?: string }>('An account accepted (or failed to accept) an integrator-portal invitation.', {
    invitation_id: 'on success: the invitation',
    reason: 'on failure: why (used, expired, another account\'s, …)',
  }),
  'integration.invitation_created': event<{ invitation_id: string; email: string | null; allow_signup: boolean; expires_at: string }>(
    'An invitation to own a client in the integrator portal was created (the link itself is never recorded).',
    { invitation_id: 'the invitation', email: 'who it is for, if anyone', allow_signup: 'whether the invitee may create an account', expires_at: 'when the link expires' },
  ),
  'integration.owner_added': event<{ invitation_id: string }>('An account became an owner of a client in the integrator portal.', { invitation_id: 'the invitation it accepted' }),
  'integration.sign_in': event<SignInFacts>('A password sign-in to the integrator portal, successful or not.', SIGN_IN_FACTS),
  'integration.sign_out': event('An account signed out of the integrator portal.'),
  'keys.sealed': event<{ count: number }>('Keys that a development database stored unencrypted were sealed with the master key.', { count: 'keys sealed' }),
  'link.by_phone': event<{ service_user_id?: string; result?: 'created' | 'exists'; rule?: string }>('A partner linked one of its users to an account by phone number (linking API).', {
    service_user_id: 'the partner\'s user id',
    result: 'on success: `created` or `exists`',
    rule: 'on failure: the error code answered',
  }),
  'link.created': event<{ service_user_id: string }>('An operator linked a partner\'s user to an account.', { service_user_id: 'the partner\'s user id' }),
  'link.removed': event<{ service_user_id: string }>('An operator removed the link of a partner\'s user.', { service_user_id: 'the partner\'s user id' }),
  'login.cancelled': event('A person cancelled the sign-in page (the application gets `access_denied`).'),
  'login.locked': event<{ via: 'authorize' | 'account' | 'portal'; scope: 'account' | 'ip'; lock_seconds: number; ip: string; login_kind?: string }>(
    'Too many wrong passwords: a login or a client IP address is locked.',
    {
      via: 'the form: `authorize`, `account` or `portal`',
      scope: '`account` (the login) or `ip` (the address)',
      lock_seconds: 'how long it stays locked',
      ip: 'client IP address',
      login_kind: 'on a sign-in form: `email`, `phone` or `other`',
    },
  ),
  'login.second_factor': event<{ method: 'totp' | 'passkey' | 'recovery'; via: 'authorize' | 'account' | 'portal'; ip: string; reason?: 'invalid' | 'replayed' | 'locked'; scope?: 'account' | 'ip'; codes_left?: number }>(
    'The second step of a sign-in (after the password), successful or not. A success with `recovery` means a recovery code was used up.',
    {
      method: '`totp` (a code from the authenticator app), `passkey` or `recovery` (a recovery code)',
      via: 'the form: `authorize`, `account` or `portal`',
      ip: 'client IP address',
      reason: 'on failure: `invalid`, `replayed` (a code already used) or `locked`',
      scope: 'with `locked`: whether the account (`account`) or the address (`ip`) is locked',
      codes_left: 'with `recovery`: unused recovery codes left',
    },
  ),
  'login.passkey': event<{ via: 'authorize' | 'account' | 'portal'; ip: string; kind?: 'hwk' | 'swk'; reason?: 'invalid' }>('A sign-in with a passkey alone (no password), successful or not.', {
    via: 'the form: `authorize`, `account` or `portal`',
    ip: 'client IP address',
    kind: 'on success: `hwk` (a device-bound passkey) or `swk` (a synced one)',
    reason: 'on failure: `invalid` (an unknown passkey, a failed signature, or no user verification)',
  }),
  'login.password': event<SignInFacts>('A password sign-in on the sign-in page or on `/account`, successful or not.', SIGN_IN_FACTS),
  'partner_key.added': event<{ partner_key_id: string; kid: string; source: string }>('An operator registered a key a partner signs trusted-grant JWTs with.', {
    partner_key_id: 'the key\'s id',
    kid: 'its key id',
    source: '`certificate`, `spki` (a public key) or `jwk`',
  }),
  'mfa.added': event<{ factor: 'totp' | 'passkey' | 'recovery' | 'all'; name?: string }>('The account holder enrolled a second factor (followed by `account.tokens_revoked`: their other sessions end).', {
    factor: '`totp` (an authenticator app) or `passkey`',
    name: 'with `passkey`: the name it was given',
  }),
  'mfa.removed': event<{ factor: 'totp' | 'passkey' | 'recovery' | 'all'; name?: string }>('The account holder removed a second factor (followed by `account.tokens_revoked`). Without any left, the recovery codes went too.', {
    factor: '`totp` or `passkey`',
    name: 'with `passkey`: its name',
  }),
  'mfa.renamed': event<{ factor: 'totp' | 'passkey' | 'recovery' | 'all'; name?: string }>('The account holder renamed a passkey (no session ends: the factor itself did not change).', {
    factor: 'always `passkey`',
    name: 'its new name',
  }),
  'mfa.renewed': event<{ factor: 'totp' | 'passkey' | 'recovery' | 'all'; name?: string }>('The account holder took a new set of recovery codes; the old set stopped working (followed by `account.tokens_revoked`).', {
    factor: 'always `recovery`',
    name: 'never set',
  }),
  'mfa.reset': event<{ factor: 'totp' | 'passkey' | 'recovery' | 'all'; name?: string }>('An operator removed every second factor and recovery code of an account (followed by `account.tokens_revoked`: every session ends).', {
    factor: 'always `all`',
    name: 'never set',
  }),
  'operator.role_granted': event<{ role: string }>('An operator role was granted to an account (the event\'s account) or a machine client (the event\'s client).', { role: '`admin`, `support` or `auditor`' }),
  'operator.role_revoked': event<{ role: string }>('An operator role was withdrawn from an account or a machine client.', { role: '`admin`, `support` or `auditor`' }),
  'partner_key.removed': event<{ partner_key_id: string; kid: string }>('An operator removed a partner\'s trusted-grant key.', { partner_key_id: 'the key\'s id', kid: 'its key id' }),
  'refresh_token.reuse_detected': event<ReuseDetails>('A rotated refresh token was presented again; its grant was revoked.', REUSE_DETAILS),
  'resource.created': event<{ scope: string; indicator: string }>('An operator created an API resource (the event\'s client is its introspection client).', {
    scope: 'the scope',
    indicator: 'the resource indicator (audience)',
  }),
  'session.ended': event('A browser session ended at the end-session endpoint (RP-initiated logout).'),
  'signing_key.created': event<{ kid: string; alg: string }>('An API was created whose JWT access tokens use a signature algorithm no signing key had yet: a key of that algorithm was added (the actor is who created the API).', {
    kid: 'the new key\'s id',
    alg: '`ES256` or `EdDSA`',
  }),
  'signing_key.rotated': event<{ kid: string; alg: string }>('An operator rotated the signing keys: one event per algorithm in use, each for the new key of that algorithm.', {
    kid: 'the new key\'s id',
    alg: 'its algorithm: `RS256`, `ES256` or `EdDSA`',
  }),
  'token.issued': event<{ grant_type: string; scope?: string; grant_id?: string; refresh_token: boolean }>('The token endpoint issued tokens (the tokens themselves are never recorded).', {
    grant_type: 'the grant type',
    scope: 'the scopes granted',
    grant_id: 'the grant, when there is one',
    refresh_token: 'whether a refresh token was issued',
  }),
  'token.revoked': event<{ token_kind: string; grant_id?: string }>('A client revoked a token at the revocation endpoint.', {
    token_kind: '`access_token`, `client_credentials` or `refresh_token`',
    grant_id: 'the token\'s grant',
  }),
  trusted_grant: event<{ grant_type: string; scope?: string; jti?: string; sub?: string; partner_key_id?: string; rule?: string; claimed_client_id?: string }>(
    'A token request with the trusted grant (a partner\'s signed JWT), successful or not.',
    {
      grant_type: 'the grant type asked for',
      scope: 'the scope asked for',
      jti: 'the JWT\'s id',
      sub: 'the partner\'s user id',
      partner_key_id: 'the partner key that verified the JWT',
      rule: 'on failure: the rule the request broke',
      claimed_client_id: 'a client id nobody registered, as sent',
    },
  ),
} as const satisfies Record<string, AuditEventSpec<object>>;

/** Every event name. */
export type AuditEventType = keyof typeof AUDIT_EVENTS;

/** The details of the event `T`. */
export type AuditDetails<T extends AuditEventType> = (typeof AUDIT_EVENTS)[T] extends AuditEventSpec<infer D> ? D : never;

/** A stored audit event, as read back (older rows may hold names and actors of earlier versions). */
export interface AuditEvent {
  id?: number;
  /** When it happened; for a row that counts several events, the first of them. */
  at: Date;
  type: string;
  actor: string | null;
  clientId: string | null;
  accountId: string | null;
  outcome: 'success' | 'failure';
  details: Record<string, unknown>;
  /** Client IP address of the request the event came from, if any. */
  sourceIp?: string | null;
  /** How many events the row stands for (audit/aggregation.ts); 1 for a single event. */
  count?: number;
  /** The last event a counted row stands for; null for an event stored on its own. */
  lastAt?: Date | null;
}

/**
 * Which events to find: of one of `types` (event types of AUDIT_EVENTS), by an actor, about a
 * client or an account, in a time range. A row that counts several events (from `at` to `lastAt`) matches `since` when its last event is at
 * or after it, and `until` when its first event is before it.
 */
export interface AuditFilter {
  types?: readonly string[] | undefined;
  actor?: string | undefined;
  clientId?: string | undefined;
  accountId?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

/** Where a read of the audit log starts and ends, by event id (ids grow as events are appended). */
export type AuditPage = { order: 'desc'; beforeId?: number | undefined; limit: number } | { order: 'asc'; afterId?: number | undefined; throughId?: number | undefined; limit: number };

export interface AuditRepository {
  /** Stores `event`; with `aggregateKey`, counts it in the row of that key (created by the first such event). */
  append(event: AuditEvent, aggregateKey?: string): Promise<void>;
  tail(filter: { since?: Date; type?: string; limit?: number }): Promise<AuditEvent[]>;
  /**
   * Up to `limit` events matching `filter`, by id: newest first after `beforeId` (`order: 'desc'`),
   * or oldest first after `afterId` and up to `throughId` included (`order: 'asc'`, for exports).
   */
  find(filter: AuditFilter, page: AuditPage): Promise<AuditEvent[]>;
}

/** What a caller passes to AuditLog.record besides the event itself. */
export interface AuditRecordOptions {
  /** The actor proved who it is (an authenticated client, a signed-in account): its failures are stored one per row, never counted together. */
  authenticated?: boolean;
}

interface AuditRecordCommon extends AuditRecordOptions {
  actor?: AuditActor | null | undefined;
  clientId?: string | null | undefined;
  accountId?: string | null | undefined;
  /** Default `success`. */
  outcome?: 'success' | 'failure';
  /** Default: the client IP of the request being served. */
  sourceIp?: string | null;
}

/** One event to record: its name, and the details that name requires. */
export type AuditRecord = {
  [T in AuditEventType]: AuditRecordCommon & { type: T } & (NoDetails extends AuditDetails<T> ? { details?: AuditDetails<T> } : { details: AuditDetails<T> });
}[AuditEventType];

/** Records audit events; the implementation also writes them to the log. */
export interface AuditLog {
  record(event: AuditRecord): Promise<void>;
}
