// External links: which OP account a partner's user (ServiceUserId, the trusted JWT's `sub`) is.
export type ExternalLinkCreator = 'support' | 'partner';

/** Table `external_links`; unique on (clientId, serviceUserId). */
export interface ExternalLink {
  clientId: string;
  serviceUserId: string;
  accountId: string;
  createdAt: Date;
  createdBy: ExternalLinkCreator;
}

export interface LinkFilter {
  clientId?: string | undefined;
  accountId?: string | undefined;
  serviceUserId?: string | undefined;
}

/** Storage of external links; implemented by the storage layer. */
export interface ExternalLinkRepository {
  find(clientId: string, serviceUserId: string): Promise<ExternalLink | undefined>;
  /** Rejects when a link for (clientId, serviceUserId) already exists. */
  create(link: ExternalLink): Promise<void>;
  /** @returns false when no such link existed. */
  remove(clientId: string, serviceUserId: string): Promise<boolean>;
  /** By (clientId, serviceUserId), after `after` when given, at most `limit` (default 10 000). */
  list(filter?: LinkFilter, page?: { after?: readonly [string, string] | undefined; limit?: number }): Promise<ExternalLink[]>;
}
