/** Every migration, in order. Kysely's migrator runs the pending ones at start. */
import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-initial.ts';
import * as m0002 from './0002-trusted.ts';
import * as m0004 from './0004-device-poll.ts';
import * as m0005 from './0005-integrations.ts';
import * as m0006 from './0006-partial-indexes.ts';
import * as m0007 from './0007-consents.ts';
import * as m0008 from './0008-hashed-token-ids.ts';
import * as m0009 from './0009-audit-aggregation.ts';
import * as m0011 from './0011-partner-require-aud.ts';
import * as m0012 from './0012-application-type.ts';
import * as m0013 from './0013-unique-phone.ts';
import * as m0014 from './0014-settings.ts';
import * as m0015 from './0015-portal-sessions-gone.ts';
import * as m0016 from './0016-require-dpop.ts';
import * as m0017 from './0017-operators.ts';
import * as m0018 from './0018-password-links.ts';
import * as m0019 from './0019-audit-filters.ts';
import * as m0020 from './0020-second-factor.ts';
import * as m0021 from './0021-resource-signing-alg.ts';

const migrations: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-trusted': m0002,
  '0004-device-poll': m0004,
  '0005-integrations': m0005,
  '0006-partial-indexes': m0006,
  '0007-consents': m0007,
  '0008-hashed-token-ids': m0008,
  '0009-audit-aggregation': m0009,
  '0011-partner-require-aud': m0011,
  '0012-application-type': m0012,
  '0013-unique-phone': m0013,
  '0014-settings': m0014,
  '0015-portal-sessions-gone': m0015,
  '0016-require-dpop': m0016,
  '0017-operators': m0017,
  '0018-password-links': m0018,
  '0019-audit-filters': m0019,
  '0020-second-factor': m0020,
  '0021-resource-signing-alg': m0021,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
