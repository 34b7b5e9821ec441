/**
 * Integrator portal use cases: a manager (or an owner) invites someone to own a client; the
 * invitee accepts the link once (creating an account first when the invitation allows it) and
 * becomes an owner; owners see and manage only their clients. Each step is audited here.
 */
import { isEmailAddress, normalizeEmail } from '../accounts/email.ts';
import type { AccountService } from '../accounts/service.ts';
import type { Account } from '../accounts/types.ts';
import type { Client, Requester } from '../clients/types.ts';
import { invalid } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { InvitationError, InvitationErrorCode } from './errors.ts';
import { hashLinkToken, isWellFormedLinkToken, newLinkToken } from '../shared/link-tokens.ts';
import { DEFAULT_INVITATION_TTL_MS, MAX_INVITATION_TTL_MS } from './ttl.ts';
import type { ClientOwner, ClientOwnerRepository, Invitation, InvitationRepository } from './types.ts';
import { accountActor, type AuditLog } from '../audit/types.ts';

export interface IntegrationServiceDeps {
  invitations: InvitationRepository;
  owners: ClientOwnerRepository;
  /** Reads clients (throws a not-found DomainError for an unknown one). */
  clients: { get(clientId: string): Promise<Client> };
  /** Creates the account of a person who signs up on an invitation page. */
  accounts: Pick<AccountService, 'create'>;
  audit: AuditLog;
}

export interface InviteInput {
  clientId: string;
  email?: string | undefined;
  /** Lifetime in milliseconds. Default 7 days, at most 90. */
  ttlMs?: number | undefined;
  allowSignup?: boolean | undefined;
  /** Who invites: an operator (`admin-cli`) or an owner in the portal; stored with the invitation as its audit actor. */
  createdBy: Requester;
}

/** The invitation and its token: the token goes into the link and is not kept anywhere. */
export interface CreatedInvitation {
  invitation: Invitation;
  token: string;
}

export class IntegrationService {
  constructor(private readonly deps: IntegrationServiceDeps) {}

  /** A one-time invitation link to own the client. Audited as `integration.invitation_created` (never the link). */
  async invite(input: InviteInput, now = new Date()): Promise<CreatedInvitation> {
    const client = await this.deps.clients.get(input.clientId);
    const ttl = input.ttlMs ?? DEFAULT_INVITATION_TTL_MS;
    if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_INVITATION_TTL_MS) throw invalid('ttl must be between 1 minute and 90 days');
    let email: string | null = null;
    if (input.email !== undefined && input.email.trim() !== '') {
      email = normalizeEmail(input.email);
      if (!isEmailAddress(email)) throw invalid(`email ${JSON.stringify(input.email)} is not an email address`);
    }
    const token = newLinkToken();
    const by = input.createdBy;
    const actor = typeof by === 'string' ? by : accountActor(by.portalOwner);
    const invitation = await this.deps.invitations.create({
      id: newId(),
      clientId: client.clientId,
      tokenHash: hashLinkToken(token),
      email,
      allowSignup: input.allowSignup ?? false,
      createdBy: actor,
      createdAt: now,
      expiresAt: new Date(now.getTime() + ttl),
    });
    await this.deps.audit.record({
      type: 'integration.invitation_created',
      actor,
      clientId: invitation.clientId,
      accountId: typeof by === 'string' ? undefined : by.portalOwner,
      details: { invitation_id: invitation.id, email: invitation.email, allow_signup: invitation.allowSignup, expires_at: invitation.expiresAt.toISOString() },
    });
    return { invitation, token };
  }

  /** The invitation of a link that can still be accepted; otherwise an InvitationError (unknown, expired, used). */
  async inspect(token: string, now = new Date()): Promise<Invitation> {
    const invitation = isWellFormedLinkToken(token) ? await this.deps.invitations.findByTokenHash(hashLinkToken(token)) : undefined;
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
   * of one link exactly one succeeds; the others get `ERR_INVITATION_USED`. Audited, by the account,
   * as `integration.invitation_accepted` and `integration.owner_added`, or a failed
   * `integration.invitation_accepted` that says why (the InvitationError is thrown on).
   */
  async accept(token: string, account: { id: string; login: string; email: string | null }, now = new Date()): Promise<Invitation> {
    const actor = accountActor(account.id);
    let invitation: Invitation;
    try {
      invitation = await this.#accept(token, account, now);
    } catch (err) {
      if (err instanceof InvitationError) {
        await this.deps.audit.record({ type: 'integration.invitation_accepted', outcome: 'failure', actor, accountId: account.id, details: { reason: err.reason } });
      }
      throw err;
    }
    const details = { invitation_id: invitation.id };
    await this.deps.audit.record({ type: 'integration.invitation_accepted', actor, clientId: invitation.clientId, accountId: account.id, details });
    await this.deps.audit.record({ type: 'integration.owner_added', actor, clientId: invitation.clientId, accountId: account.id, details });
    return invitation;
  }

  async #accept(token: string, account: { id: string; login: string; email: string | null }, now: Date): Promise<Invitation> {
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

  /**
   * A person creates an account on the page of an invitation that allows it (AccountService.create
   * decides what is refused). Audited, by the new account, as `integration.account_created`;
   * accepting the invitation is the next step (accept).
   */
  async signUp(invitation: Pick<Invitation, 'id' | 'clientId'>, credentials: { login: string; password: string }): Promise<Account> {
    const account = await this.deps.accounts.create(credentials, null);
    await this.deps.audit.record({
      type: 'integration.account_created',
      actor: accountActor(account.id),
      accountId: account.id,
      clientId: invitation.clientId,
      details: { invitation_id: invitation.id },
    });
    return account;
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
