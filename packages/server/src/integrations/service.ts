/**
 * Integrator portal use cases: a manager (or an owner) invites someone to own a client; the
 * invitee accepts the link once and becomes an owner; owners see and manage only their clients.
 */
import { isEmailAddress, normalizeEmail } from '../accounts/email.ts';
import type { Client } from '../clients/types.ts';
import { invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { InvitationError, InvitationErrorCode } from './errors.ts';
import { generateInvitationToken, hashInvitationToken, isWellFormedToken } from './tokens.ts';
import { DEFAULT_INVITATION_TTL_MS, MAX_INVITATION_TTL_MS } from './ttl.ts';
import type { ClientOwner, ClientOwnerRepository, Invitation, InvitationRepository } from './types.ts';
import type { AuditActor } from '../audit/types.ts';

export interface IntegrationServiceDeps {
  invitations: InvitationRepository;
  owners: ClientOwnerRepository;
  /** Reads clients (throws a not-found DomainError for an unknown one). */
  clients: { get(clientId: string): Promise<Client> };
}

export interface InviteInput {
  clientId: string;
  email?: string | undefined;
  /** Lifetime in milliseconds. Default 7 days, at most 90. */
  ttlMs?: number | undefined;
  allowSignup?: boolean | undefined;
  /** Who invites, as audit events name actors: `admin-cli` or `account:<id>`. */
  createdBy: AuditActor;
}

/** The invitation and its token: the token goes into the link and is not kept anywhere. */
export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
}

export class IntegrationService {
  constructor(private readonly deps: IntegrationServiceDeps) {}

  async invite(input: InviteInput, now = new Date()): Promise<CreatedInvitation> {
    const client = await this.deps.clients.get(input.clientId);
    const ttl = input.ttlMs ?? DEFAULT_INVITATION_TTL_MS;
    if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_INVITATION_TTL_MS) throw invalid('ttl must be between 1 minute and 90 days');
    let email: string | null = null;
    if (input.email !== undefined && input.email.trim() !== '') {
      email = normalizeEmail(input.email);
      if (!isEmailAddress(email)) throw invalid(`email ${JSON.stringify(input.email)} is not an email address`);
    }
    const token = generateInvitationToken();
    const invitation = await this.deps.invitations.create({
      id: newId(),
      clientId: client.clientId,
      tokenHash: hashInvitationToken(token),
      email,
      allowSignup: input.allowSignup ?? false,
      createdBy: input.createdBy,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttl),
    });
    return { invitation, token };
  }

  /** The invitation of a link that can still be accepted; otherwise an InvitationError (unknown, expired, used). */
  async inspect(token: string, now = new Date()): Promise<Invitation> {
    const invitation = isWellFormedToken(token) ? await this.deps.invitations.findByTokenHash(hashInvitationToken(token)) : undefined;
    if (!invitation) throw new InvitationError(InvitationErrorCode.UNKNOWN, 'no invitation has this link');
    if (invitation.usedAt) throw new InvitationError(InvitationErrorCode.USED, 'this invitation has already been used');
    if (invitation.expiresAt.getTime() <= now.getTime()) throw new InvitationError(InvitationErrorCode.EXPIRED, 'this invitation has expired');
    return invitation;
  }

  /** True when the account may accept the invitation (it names no email, or the account's login). */
  static isFor(invitation: Invitation, account: { login: string; email: string | null }): boolean {
    if (invitation.email === null) return true;
    return invitation.email === normalizeEmail(account.login) || (account.email !== null && invitation.email === normalizeEmail(account.email));
  }

  /**
   * Uses the invitation once and makes the account an owner of its client. Of concurrent accepts
   * of one link exactly one succeeds; the others get `ERR_INVITATION_USED`.
   */
  async accept(token: string, account: { id: string; login: string; email: string | null }, now = new Date()): Promise<Invitation> {
    const invitation = await this.inspect(token, now);
    if (!IntegrationService.isFor(invitation, account)) {
      throw new InvitationError(InvitationErrorCode.WRONG_ACCOUNT, 'this invitation is for another email address');
    }
    if (!(await this.deps.invitations.consume(invitation.id, account.id, now))) {
      await this.inspect(token, now); // throws why: used in the meantime, or just expired
      throw new InvitationError(InvitationErrorCode.USED, 'this invitation has already been used');
    }
    await this.addOwner(invitation.clientId, account.id, invitation.id, now);
    return { ...invitation, usedAt: now, usedBy: account.id };
  }

  addOwner(clientId: string, accountId: string, invitationId: string | null = null, now = new Date()): Promise<void> {
    return this.deps.owners.add({ clientId, accountId, invitationId, addedAt: now });
  }

  isOwner(clientId: string, accountId: string): Promise<boolean> {
    return this.deps.owners.isOwner(clientId, accountId);
  }

  ownersOf(clientId: string): Promise<ClientOwner[]> {
    return this.deps.owners.ownersOf(clientId);
  }

  /** The clients the account owns, by client_id. */
  async listOwnedClients(accountId: string): Promise<Client[]> {
    const ids = await this.deps.owners.clientIdsOf(accountId);
    const clients = await Promise.all(ids.map((id) => this.deps.clients.get(id).catch(() => undefined)));
    return clients.filter((c): c is Client => c !== undefined);
  }
}
