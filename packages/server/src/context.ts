/**
 * Composition root: opens storage and builds the services every entry point (server, admin CLI,
 * tests) shares. Outer layers receive these as arguments; nothing reaches for globals.
 */
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
import type { Logger } from './logger.ts';

export interface AppContext {
  config: Config;
  db: Db;
  dbKind: 'sqlite' | 'postgres';
  repos: Repositories;
  accounts: AccountService;
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
  logger: Logger;
  close(): Promise<void>;
}

/** Opens the database, migrates it, seeds what a fresh instance needs and builds the services. */
export async function createContext(config: Config, logger: Logger): Promise<AppContext> {
  const opened = await openDatabase(config.databaseUrl);
  try {
    await migrate(opened.db);
  } catch (err) {
    await opened.close();
    throw err;
  }
  const repos = createRepositories(opened.db, opened.createChangeFeed({ onError: (err) => logger.warn({ err }, 'change feed: database connection lost; reconnecting') }));
  const clients: ClientService = new ClientService({ clients: repos.clients, apiKeys: repos.apiKeys, changes: repos.changes, knownScopes: () => resources.knownScopes() });
  const resources = new ResourceService(repos.resources, repos.changes, (id, name) => clients.createIntrospectionClient(id, name));
  const keys = new KeyService(repos.signingKeys, repos.secrets, repos.changes, { masterKey: config.masterKey, overlapSeconds: config.keyOverlapSeconds });
  await resources.seedDefaults();
  await keys.ensureSigningKey();
  return {
    config,
    db: opened.db,
    dbKind: opened.kind,
    repos,
    accounts: new AccountService(repos.accounts),
    clients,
    clientDirectory: new ClientDirectory(repos.clients, repos.apiKeys, repos.changes),
    resources,
    resourceDirectory: new ResourceDirectory(repos.resources, repos.changes),
    keys,
    audit: new AuditService(repos.audit, logger),
    partnerKeys: new PartnerKeyService({ keys: repos.partnerKeys, clients: repos.clients, changes: repos.changes }),
    partnerKeyDirectory: new PartnerKeyDirectory(repos.partnerKeys, repos.changes),
    links: new LinkService({ links: repos.links, accounts: repos.accounts, clients: repos.clients }),
    logger,
    close: async () => {
      await repos.changes.stop();
      await opened.close();
    },
  };
}
