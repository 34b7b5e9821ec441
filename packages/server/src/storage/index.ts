/** Builds every repository for an opened database. */
import type { Db } from './database.ts';
import { KyselyAccountRepository } from './repositories/accounts.ts';
import { KyselyApiKeyRepository, KyselyClientRepository } from './repositories/clients.ts';
import { KyselyResourceRepository } from './repositories/resources.ts';
import { KyselySecretRepository, KyselySigningKeyRepository } from './repositories/keys.ts';
import { KyselyAuditRepository } from './repositories/audit.ts';
import { PollingChangeFeed } from './changes.ts';

export function createRepositories(db: Db) {
  return {
    accounts: new KyselyAccountRepository(db),
    clients: new KyselyClientRepository(db),
    apiKeys: new KyselyApiKeyRepository(db),
    resources: new KyselyResourceRepository(db),
    signingKeys: new KyselySigningKeyRepository(db),
    secrets: new KyselySecretRepository(db),
    audit: new KyselyAuditRepository(db),
    changes: new PollingChangeFeed(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
