/** Integrator portal: invitations that make an account an owner of a client, and the owners themselves. */

/** A one-time invitation link. Only the SHA-256 of its token is stored; the token is in the link alone. */
export interface Invitation {
  id: string;
  clientId: string;
  /** SHA-256 of the link's token, hex. */
  tokenHash: string;
  /** Who the invitation is for; when set, only the account with this login (email) can accept it. */
  email: string | null;
  /** Whether the invitee may create a Propusk account on the invitation page. */
  allowSignup: boolean;
  /** `admin-cli`, or `account:<id>` when an owner invited another owner. */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  /** The account that accepted it. */
  usedBy: string | null;
}

/** An account that may manage a client in the portal. A client may have several. */
export interface ClientOwner {
  clientId: string;
  accountId: string;
  addedAt: Date;
  /** The invitation that made the account an owner. */
  invitationId: string | null;
}

export interface InvitationRepository {
  create(invitation: Omit<Invitation, 'usedAt' | 'usedBy'>): Promise<Invitation>;
  findByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  /**
   * Marks the invitation used by `accountId` if it is neither used nor expired at `at`, in one
   * conditional statement (so of concurrent accepts exactly one wins). True when this call used it.
   */
  consume(id: string, accountId: string, at: Date): Promise<boolean>;
}

export interface ClientOwnerRepository {
  /** Adds the owner; adding an existing owner again changes nothing. */
  add(owner: ClientOwner): Promise<void>;
  isOwner(clientId: string, accountId: string): Promise<boolean>;
  /** Client ids the account owns, ordered. */
  clientIdsOf(accountId: string): Promise<string[]>;
  ownersOf(clientId: string): Promise<ClientOwner[]>;
}
