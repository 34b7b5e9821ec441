/** Builds every repository for an opened database. */
import type { Db, RunningChangeFeed } from './database.ts';
import { KyselyAccountRepository } from './repositories/accounts.ts';
import { KyselyApiKeyRepository, KyselyClientRepository } from './repositories/clients.ts';
import { KyselyResourceRepository } from './repositories/resources.ts';
import { KyselySecretRepository, KyselySigningKeyRepository } from './repositories/keys.ts';
import { KyselyAuditRepository } from './repositories/audit.ts';
import { KyselyPartnerKeyRepository } from './repositories/partner-keys.ts';
import { KyselyExternalLinkRepository } from './repositories/links.ts';
import { KyselyTrustedJtiRepository } from './repositories/trusted-jti.ts';
import { KyselyOidcArtifactRepository } from './repositories/oidc-artifacts.ts';
import { KyselyClientOwnerRepository, KyselyInvitationRepository } from './repositories/integrations.ts';
import { KyselyConsentRepository } from './repositories/consents.ts';
import { PollingChangeFeed } from './changes.ts';

/** `changes` defaults to the polling feed; pass `OpenedDatabase.createChangeFeed()` to get the one suited to the database. */
import { KyselySettingsRepository } from './repositories/settings.ts';
import { KyselyRoleRepository } from './repositories/roles.ts';
import { KyselyPasswordLinkRepository } from './repositories/password-links.ts';
import { KyselySecondFactorRepository } from './repositories/second-factors.ts';

export function createRepositories(db: Db, changes: RunningChangeFeed = new PollingChangeFeed(db)) {
  return {
    accounts: new KyselyAccountRepository(db),
    clients: new KyselyClientRepository(db),
    apiKeys: new KyselyApiKeyRepository(db),
    resources: new KyselyResourceRepository(db),
    signingKeys: new KyselySigningKeyRepository(db),
    secrets: new KyselySecretRepository(db),
    audit: new KyselyAuditRepository(db),
    partnerKeys: new KyselyPartnerKeyRepository(db),
    links: new KyselyExternalLinkRepository(db),
    trustedJti: new KyselyTrustedJtiRepository(db),
    oidcArtifacts: new KyselyOidcArtifactRepository(db),
    invitations: new KyselyInvitationRepository(db),
    clientOwners: new KyselyClientOwnerRepository(db),
    consents: new KyselyConsentRepository(db),
    settings: new KyselySettingsRepository(db),
    roles: new KyselyRoleRepository(db),
    passwordLinks: new KyselyPasswordLinkRepository(db),
    secondFactors: new KyselySecondFactorRepository(db),
    changes,
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
