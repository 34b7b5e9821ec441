/** Named settings in the `setting` table (one row each; a later write replaces the value). */
import type { Db } from '../database.ts';

/** Under which a started server records its issuer (its public URL). */
export const ISSUER_SETTING = 'issuer';

export class KyselySettingsRepository {
  constructor(private readonly db: Db) {}

  async get(name: string): Promise<string | undefined> {
    return (await this.db.selectFrom('setting').select('value').where('name', '=', name).executeTakeFirst())?.value;
  }

  async set(name: string, value: string): Promise<void> {
    await this.db
      .insertInto('setting')
      .values({ name, value, updated_at: Date.now() })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: Date.now() }))
      .execute();
  }
}
