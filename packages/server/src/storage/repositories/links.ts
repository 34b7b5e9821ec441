/** ExternalLinkRepository on Kysely. */
import type { Selectable } from 'kysely';
import type { Db } from '../database.ts';
import { PreparedQuery } from '../prepared-query.ts';
import { groupCommit } from '../group-commit.ts';
import type { ExternalLinkTable } from '../schema.ts';
import type { ExternalLink, ExternalLinkCreator, ExternalLinkRepository, LinkFilter } from '../../linking/types.ts';

const toLink = (r: Selectable<ExternalLinkTable>): ExternalLink => ({
  clientId: r.client_id,
  serviceUserId: r.service_user_id,
  accountId: r.account_id,
  createdAt: new Date(r.created_at),
  createdBy: r.created_by as ExternalLinkCreator,
});

export class KyselyExternalLinkRepository implements ExternalLinkRepository {
  /** The link of a partner's user: read by every trusted grant request. */
  readonly #find: PreparedQuery<'client_id' | 'service_user_id'>;

  constructor(private readonly db: Db) {
    this.#find = new PreparedQuery(['client_id', 'service_user_id'], (p) =>
      db.selectFrom('external_link').selectAll().where('client_id', '=', p.client_id).where('service_user_id', '=', p.service_user_id),
    );
  }

  async find(clientId: string, serviceUserId: string): Promise<ExternalLink | undefined> {
    const [r] = (await groupCommit(this.db).read<Selectable<ExternalLinkTable>>(this.#find.bind({ client_id: clientId, service_user_id: serviceUserId }))).rows;
    return r && toLink(r);
  }

  /** The primary key (client_id, service_user_id) rejects a second link for the same partner user. */
  async create(link: ExternalLink): Promise<void> {
    await this.db
      .insertInto('external_link')
      .values({
        client_id: link.clientId,
        service_user_id: link.serviceUserId,
        account_id: link.accountId,
        created_by: link.createdBy,
        created_at: link.createdAt.getTime(),
      })
      .execute();
  }

  async remove(clientId: string, serviceUserId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('external_link').where('client_id', '=', clientId).where('service_user_id', '=', serviceUserId).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async list(filter: LinkFilter = {}, page: { after?: readonly [string, string] | undefined; limit?: number } = {}): Promise<ExternalLink[]> {
    let q = this.db.selectFrom('external_link').selectAll();
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
    if (filter.accountId !== undefined) q = q.where('account_id', '=', filter.accountId);
    if (filter.serviceUserId !== undefined) q = q.where('service_user_id', '=', filter.serviceUserId);
    const after = page.after;
    if (after) q = q.where((eb) => eb.or([eb('client_id', '>', after[0]), eb.and([eb('client_id', '=', after[0]), eb('service_user_id', '>', after[1])])]));
    return (await q.orderBy('client_id').orderBy('service_user_id').limit(page.limit ?? 10_000).execute()).map(toLink);
  }
}
