/** Table types for Kysely. Times are epoch milliseconds (BIGINT); JSON is stored as text. */
import type { ColumnType, Generated } from 'kysely';

export interface OidcModelTable {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  account_id: string | null;
  client_id: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface AccountTable {
  id: string;
  login: string;
  email: string | null;
  email_verified: number;
  phone: string | null;
  given_name: string | null;
  family_name: string | null;
  middle_name: string | null;
  password_hash: string;
  disabled: number;
  created_at: number;
  updated_at: number;
}

export interface ClientTable {
  client_id: string;
  name: string;
  grant_types: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  scopes: string;
  public: number;
  /** `web` or `native` (clients/types.ts ApplicationType). */
  application_type: string;
  permissions: string;
  disabled: number;
  /** 1: the partner's trusted-grant JWTs must carry `aud` (migration 0011). */
  partner_require_aud: ColumnType<number, number | undefined, number>;
  /** 1: the client's access tokens must be DPoP-bound (migration 0016). */
  require_dpop: ColumnType<number, number | undefined, number>;
  /** 1: every sign-in for the client takes a second factor (migration 0020). */
  require_mfa: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

export interface ApiKeyTable {
  id: string;
  client_id: string;
  hash: string;
  label: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface ResourceTable {
  indicator: string;
  scope: string;
  name: string;
  access_token_format: string;
  access_token_ttl: number | null;
  introspection_client_id: string | null;
  created_at: number;
  /** `RS256`, `ES256` or `EdDSA` for a JWT resource; NULL for an opaque one (migration 0021). */
  access_token_signing_alg: string | null;
}

export interface SigningKeyTable {
  kid: string;
  seq: number;
  alg: string;
  public_jwk: string;
  private_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export interface SettingTable {
  name: string;
  value: string;
  updated_at: number;
}

export interface SecretTable {
  name: string;
  value: string;
  created_at: number;
}

export interface ChangeTable {
  id: Generated<number>;
  topic: string;
  key: string;
  created_at: number;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: number;
  type: string;
  actor: string | null;
  client_id: string | null;
  account_id: string | null;
  outcome: string;
  details: string;
  /** How many events the row stands for (migration 0009); 1 unless aggregated. */
  count: ColumnType<number, number | undefined, number>;
  /** Time of the last event an aggregated row stands for; NULL for a single event. */
  last_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** Client IP address of the request, when the event came from one. */
  source_ip: ColumnType<string | null, string | null | undefined, string | null>;
  /** type|outcome|kind|source|window of an aggregated row (unique); NULL otherwise. */
  aggregate_key: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PartnerKeyTable {
  id: string;
  client_id: string;
  kid: string;
  x5t: string | null;
  x5t_s256: string | null;
  /** JSON: the public JWK (kty, n, e, kid). */
  public_jwk: string;
  source: string;
  not_before: number | null;
  not_after: number | null;
  created_at: number;
}

export interface ExternalLinkTable {
  client_id: string;
  service_user_id: string;
  account_id: string;
  created_by: string;
  created_at: number;
}

export interface TrustedJtiTable {
  issuer: string;
  jti: string;
  expires_at: number;
}

/** Device-flow polling pace per device code (migration 0004). */
export interface DevicePollTable {
  id: string;
  last_poll_at: number;
  interval_seconds: number;
  expires_at: number;
}

/** Integrator-portal invitation links (migration 0005); only the token's SHA-256 is stored. */
export interface InvitationTable {
  id: string;
  client_id: string;
  token_hash: string;
  email: string | null;
  allow_signup: number;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  used_by: string | null;
}

/** Accounts that own a client in the integrator portal (migration 0005). */
export interface ClientOwnerTable {
  client_id: string;
  account_id: string;
  invitation_id: string | null;
  added_at: number;
}

/** What an account allowed an application, remembered across sessions (migration 0007). */
export interface ConsentTable {
  account_id: string;
  client_id: string;
  /** JSON: `{ openid: { scope, claims }, resources: { <indicator>: <scope> } }`. */
  granted: string;
  granted_at: number;
  updated_at: number;
}

/** A role granted to an account (`account:<id>`) or a machine client (`client:<client_id>`) (migration 0017). */
export interface OperatorRoleTable {
  subject: string;
  role: string;
  granted_at: number;
}

/** One-time set-password links (migration 0018); only the token's SHA-256 is stored. */
export interface PasswordLinkTable {
  id: string;
  account_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** An account's authenticator app (migration 0020): the secret sealed with the master key. */
export interface AccountTotpTable {
  account_id: string;
  secret: string;
  created_at: number;
  confirmed_at: number | null;
  /** The last TOTP time step accepted: a code of that step or an earlier one is refused. */
  last_step: number | null;
  last_used_at: number | null;
}

/** An account's passkeys (WebAuthn credentials, migration 0020). */
export interface AccountPasskeyTable {
  id: string;
  account_id: string;
  /** base64url credential id. */
  credential_id: string;
  /** base64url COSE public key. */
  public_key: string;
  counter: number;
  /** JSON array of transports. */
  transports: string;
  /** `singleDevice` (bound to one authenticator) or `multiDevice` (synced). */
  device_type: string;
  backed_up: number;
  name: string;
  created_at: number;
  last_used_at: number | null;
}

/** Recovery codes (migration 0020): a keyed hash of each. */
export interface AccountRecoveryCodeTable {
  account_id: string;
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface Database {
  oidc_model: OidcModelTable;
  account: AccountTable;
  client: ClientTable;
  api_key: ApiKeyTable;
  resource: ResourceTable;
  signing_key: SigningKeyTable;
  secret: SecretTable;
  setting: SettingTable;
  change: ChangeTable;
  audit_event: AuditEventTable;
  partner_key: PartnerKeyTable;
  external_link: ExternalLinkTable;
  trusted_jti: TrustedJtiTable;
  device_poll: DevicePollTable;
  invitation: InvitationTable;
  client_owner: ClientOwnerTable;
  consent: ConsentTable;
  operator_role: OperatorRoleTable;
  password_link: PasswordLinkTable;
  account_totp: AccountTotpTable;
  account_passkey: AccountPasskeyTable;
  account_recovery_code: AccountRecoveryCodeTable;
}
