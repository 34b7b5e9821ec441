// LinkService: the use cases around external links — self-service linking by phone (partners with
// `link-by-phone`), manual linking by support, listing, unlinking, and resolving a trusted JWT's
// `sub` to the account it stands for. Each change is audited here.
import type { AccountRepository } from '../accounts/types.ts';
import { clientActor, type AuditActor, type AuditLog } from '../audit/types.ts';
import type { ClientRepository } from '../clients/types.ts';
import { conflict, invalid, notFound } from '../shared/errors.ts';
import { checkServiceUserId, linkByPhone, type LinkingError } from './service.ts';
import type { ExternalLink, ExternalLinkRepository, LinkFilter } from './types.ts';

export interface LinkServiceDeps {
  links: ExternalLinkRepository;
  accounts: AccountRepository;
  clients: ClientRepository;
  audit: AuditLog;
  /** Default: `() => new Date()`. */
  now?: () => Date;
}

export class LinkService {
  constructor(private readonly deps: LinkServiceDeps) {}

  /**
   * `PUT /register-external-service-id`: the partner `clientId` links its user to the single active
   * account with this phone. Audited, by the client, as `link.by_phone` (created or exists).
   * @throws LinkingError
   */
  async linkByPhone(clientId: string, serviceUserId: string, phone: string): Promise<{ outcome: 'created' | 'exists'; link: ExternalLink }> {
    const { links, accounts, now } = this.deps;
    const linked = await linkByPhone(
      { links, findAccountsByPhone: (p) => accounts.findByPhone(p), ...(now ? { now } : {}) },
      { clientId, serviceUserId, phone, createdBy: 'partner' },
    );
    const { outcome, link } = linked;
    await this.deps.audit.record({
      type: 'link.by_phone',
      actor: clientActor(clientId),
      clientId,
      accountId: link.accountId,
      details: { service_user_id: link.serviceUserId, result: outcome },
    });
    return linked;
  }

  /**
   * Manual link by support to an account given by id. Idempotent for an identical link. A new link
   * is audited as `link.created`; `actor` null (seeded data: fixtures, benchmarks) records nothing.
   * @throws DomainError (unknown client or account, invalid ServiceUserId, disabled account, linked elsewhere)
   */
  async createBySupport(clientId: string, serviceUserId: string, accountId: string, actor: AuditActor | null): Promise<{ outcome: 'created' | 'exists'; link: ExternalLink }> {
    try {
      checkServiceUserId(serviceUserId);
    } catch (err) {
      throw invalid((err as LinkingError).message);
    }
    if (!(await this.deps.clients.find(clientId))) throw notFound(`client ${clientId}`);
    const account = await this.deps.accounts.findById(accountId);
    if (!account) throw notFound(`account ${accountId}`);
    if (account.disabled) throw invalid(`account ${account.login} is disabled`);
    const existing = await this.deps.links.find(clientId, serviceUserId);
    if (existing) {
      if (existing.accountId !== accountId) throw conflict(`service user id ${serviceUserId} of client ${clientId} is already linked to account ${existing.accountId}`);
      return { outcome: 'exists', link: existing };
    }
    const link: ExternalLink = { clientId, serviceUserId, accountId, createdAt: (this.deps.now ?? (() => new Date()))(), createdBy: 'support' };
    await this.deps.links.create(link);
    if (actor !== null) await this.deps.audit.record({ type: 'link.created', actor, clientId, accountId, details: { service_user_id: serviceUserId } });
    return { outcome: 'created', link };
  }

  /** Links matching `filter`, by client and service user id; a page after `after` when given. */
  list(filter: LinkFilter = {}, page: { after?: readonly [string, string] | undefined; limit?: number } = {}): Promise<ExternalLink[]> {
    return this.deps.links.list(filter, page);
  }

  /** Removes a link; audited as `link.removed`. @throws DomainError when no such link exists */
  async remove(clientId: string, serviceUserId: string, actor: AuditActor): Promise<ExternalLink> {
    const link = await this.deps.links.find(clientId, serviceUserId);
    if (!link || !(await this.deps.links.remove(clientId, serviceUserId))) throw notFound(`link of service user id ${serviceUserId} for client ${clientId}`);
    await this.deps.audit.record({ type: 'link.removed', actor, clientId, accountId: link.accountId, details: { service_user_id: serviceUserId } });
    return link;
  }

  /** The link of a partner's user, or undefined. */
  find(clientId: string, serviceUserId: string): Promise<ExternalLink | undefined> {
    return this.deps.links.find(clientId, serviceUserId);
  }
}
