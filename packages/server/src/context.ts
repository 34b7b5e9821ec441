/**
 * Composition root: opens storage and builds the services every entry point (server, admin CLI,
 * tests) shares. Outer layers receive these as arguments; nothing reaches for globals.
 */
import { describeDuplicatePhones, ensureUniquePhones } from './storage/phone-uniqueness.ts';
import type { Config } from './config/index.ts';
import { openDatabase, migrate, type Db } from './storage/database.ts';
import { createRepositories, type Repositories } from './storage/index.ts';
import { AccountService } from './accounts/service.ts';
import { ClientService } from './clients/service.ts';
import { ClientDirectory } from './clients/directory.ts';
import { ResourceService } from './resources/service.ts';
import { ResourceDirectory } from './resources/directory.ts';
import { KeyService } from './keys/service.ts';
import { AuditService } from './audit/service.ts';
import { PartnerKeyService } from './partners/service.ts';
import { PartnerKeyDirectory } from './partners/directory.ts';
import { LinkService } from './linking/links.ts';
import { RevocationService } from './accounts/revocation.ts';
import { ConsentService } from './accounts/consents.ts';
import { PasswordSignIn } from './accounts/password-sign-in.ts';
import { PasswordLinkService } from './accounts/password-links.ts';
import { ISSUER_SETTING } from './storage/repositories/settings.ts';
import { IntegrationService } from './integrations/service.ts';
import { RoleService } from './operators/roles.ts';
import { SecondFactorService } from './mfa/service.ts';
import { SecondStepSignIn } from './mfa/sign-in.ts';
import { SecondFactorPolicy } from './mfa/policy.ts';
import { createMailSender, type MailSender } from './mail/index.ts';
import { PasswordRecovery } from './accounts/password-recovery.ts';
import { passwordLinkMail } from './views/mail/password-link.ts';
import type { Logger } from './logger.ts';
import { Metrics } from './metrics/index.ts';
import { createLimits, type AppLimits } from './http/app-limits.ts';

export interface AppContext {
  config: Config;
  db: Db;
  dbKind: 'sqlite' | 'postgres';
  repos: Repositories;
  accounts: AccountService;
  /** Signing in with a password under the brute-force limits, audited (accounts/password-sign-in.ts). */
  passwordSignIn: PasswordSignIn;
  /** One-time set-password links (accounts/password-links.ts). */
  passwordLinks: PasswordLinkService;
  clients: ClientService;
  clientDirectory: ClientDirectory;
  resources: ResourceService;
  resourceDirectory: ResourceDirectory;
  keys: KeyService;
  audit: AuditService;
  /** Partner signing keys for the trusted grant: management, and the per-client cache the grant reads. */
  partnerKeys: PartnerKeyService;
  partnerKeyDirectory: PartnerKeyDirectory;
  /** External links (partner user id → account). */
  links: LinkService;
  /** Integrator portal: invitations and client owners. */
  integrations: IntegrationService;
  /** Revocation everywhere: an account's or a client's sessions, grants and tokens (accounts/revocation.ts). */
  revocation: RevocationService;
  /** Consents remembered per account and client across browser sessions (accounts/consents.ts). */
  consents: ConsentService;
  /** Operator roles for the management API and the console (operators/roles.ts). */
  roles: RoleService;
  /** Second factors: authenticator apps, passkeys, recovery codes (mfa/service.ts). */
  secondFactors: SecondFactorService;
  /** The second step of a sign-in under the brute-force limits, audited (mfa/sign-in.ts). */
  secondStep: SecondStepSignIn;
  /** When a sign-in takes a second factor (mfa/policy.ts). */
  secondFactorPolicy: SecondFactorPolicy;
  /** Prometheus metrics of this instance (metrics/index.ts), served on /metrics. */
  metrics: Metrics;
  /**
   * The issuer (public URL) that links printed for people start with: the one a server on this
   * database runs as (recorded at its start), else the one configured here; undefined when neither
   * is known (an admin command on a database no server has started on, without PROPUSK_ISSUER).
   */
  knownIssuer(): Promise<string | undefined>;
  /** Rate-limit and brute-force counters (http/app-limits.ts): `limits.signIn` counts every password check. */
  limits: AppLimits;
  /** Outgoing e-mail (mail/index.ts). */
  mail: MailSender;
  /** "Forgot password?": a set-password link by e-mail (accounts/password-recovery.ts). */
  passwordRecovery: PasswordRecovery;
  logger: Logger;
  close(): Promise<void>;
}

/** Opens the database, migrates it, seeds what a fresh instance needs and builds the services. */
export async function createContext(config: Config, logger: Logger): Promise<AppContext> {
  const metrics = new Metrics();
  const opened = await openDatabase(config.databaseUrl, { log: metrics.observeQuery });
  if (opened.pool) metrics.watchPool(opened.pool);
  let limits: AppLimits;
  try {
    await migrate(opened.db);
    // Accounts that share a phone (from before phones were unique): said at every start until resolved.
    for (const line of describeDuplicatePhones(await ensureUniquePhones(opened.db))) {
      logger.warn(`${line}: signing in with this phone fails for each of them; give each its own with propusk admin user set-phone <login> --phone <10 digits> (or --clear)`);
    }
    limits = await createLimits(config, { pgPool: opened.pool, metrics, onError: (err) => logger.warn({ err }, 'rate-limit store unavailable; counting in memory') });
  } catch (err) {
    await opened.close();
    throw err;
  }
  const repos = createRepositories(opened.db, opened.createChangeFeed({ onError: (err) => logger.warn({ err }, 'change feed: database connection lost; reconnecting') }));
  const audit = new AuditService(repos.audit, logger);
  const revocation = new RevocationService(repos.oidcArtifacts, repos.consents, audit);
  const clients: ClientService = new ClientService({
    clients: repos.clients,
    apiKeys: repos.apiKeys,
    changes: repos.changes,
    knownScopes: () => resources.knownScopes(),
    introspectionClients: async () => (await resources.list()).flatMap((r) => (r.introspectionClientId ? [r.introspectionClientId] : [])),
    revocation,
    audit,
  });
  const keys = new KeyService(repos.signingKeys, repos.secrets, repos.changes, audit, { masterKey: config.masterKey, overlapSeconds: config.keyOverlapSeconds });
  const resources = new ResourceService({
    resources: repos.resources,
    changes: repos.changes,
    createIntrospectionClient: (id, name) => clients.createIntrospectionClient(id, name),
    issueIntrospectionKey: (id) => clients.issueKey(id, 'introspection', null),
    audit,
    ensureSigningKey: (alg, actor) => keys.ensureSigningKey(alg, actor),
  });
  await resources.seedDefaults();
  // RS256 signs every ID token; each algorithm a JWT API uses needs its key too.
  for (const alg of new Set(['RS256' as const, ...(await resources.signingAlgs())])) await keys.ensureSigningKey(alg);
  // Keys a development database stored plain are sealed as soon as a master key is configured.
  const sealed = await keys.sealPlainKeys();
  if (sealed > 0) {
    logger.warn({ sealed }, `sealed ${sealed} key(s) that were stored unencrypted (created without PROPUSK_MASTER_KEY) with PROPUSK_MASTER_KEY`);
  }
  const accounts = new AccountService({ accounts: repos.accounts, revocation, audit, signInLimits: limits.signIn });
  const issuerUrl = new URL(config.issuer);
  const secondFactors = new SecondFactorService({
    repo: repos.secondFactors,
    audit,
    revocation,
    masterKey: config.masterKey,
    recoveryKey: () => keys.internalSecret('recovery-codes'),
    issuerName: issuerUrl.hostname === 'localhost' ? 'Propusk' : `Propusk (${issuerUrl.hostname})`,
    relyingParty: { id: issuerUrl.hostname, name: 'Propusk', origin: issuerUrl.origin },
  });
  const roles = new RoleService({ roles: repos.roles, accounts: repos.accounts, clients: repos.clients, changes: repos.changes, audit });
  const passwordLinks = new PasswordLinkService({
    links: repos.passwordLinks,
    accounts,
    accountRepository: repos.accounts,
    revocation,
    audit,
    ttlMs: config.ttl.passwordLink * 1000,
    issuer: async () => (await repos.settings.get(ISSUER_SETTING)) ?? (config.issuerConfigured ? config.issuer : undefined),
  });
  const mail = createMailSender(config.mail, logger);
  const passwordRecovery = new PasswordRecovery({
    accounts,
    links: passwordLinks,
    limits: limits.signIn,
    mail,
    audit,
    logger,
    message: (locale, link) => passwordLinkMail({ locale, url: link.url, expiresAt: link.expiresAt, login: link.account.login }),
  });
  const knownIssuer = async () => (await repos.settings.get(ISSUER_SETTING)) ?? (config.issuerConfigured ? config.issuer : undefined);
  return {
    config,
    db: opened.db,
    dbKind: opened.kind,
    repos,
    accounts,
    passwordSignIn: new PasswordSignIn({ accounts, limits: limits.signIn, audit }),
    passwordLinks,
    clients,
    clientDirectory: new ClientDirectory(repos.clients, repos.apiKeys, repos.changes),
    resources,
    resourceDirectory: new ResourceDirectory(repos.resources, repos.changes),
    keys,
    audit,
    partnerKeys: new PartnerKeyService({ keys: repos.partnerKeys, clients: repos.clients, changes: repos.changes, audit }),
    partnerKeyDirectory: new PartnerKeyDirectory(repos.partnerKeys, repos.changes),
    links: new LinkService({ links: repos.links, accounts: repos.accounts, clients: repos.clients, audit }),
    revocation,
    consents: new ConsentService(repos.consents),
    integrations: new IntegrationService({ invitations: repos.invitations, owners: repos.clientOwners, clients, accounts, audit }),
    secondFactors,
    secondStep: new SecondStepSignIn({ factors: secondFactors, limits: limits.signIn, audit }),
    roles,
    secondFactorPolicy: new SecondFactorPolicy({ factors: secondFactors, roles, operatorsRequireMfa: config.operatorsRequireMfa }),
    metrics,
    knownIssuer,
    limits,
    mail,
    passwordRecovery,
    logger,
    close: async () => {
      await passwordRecovery.settled();
      mail.close();
      await limits.close();
      await repos.changes.stop();
      await opened.close();
    },
  };
}
