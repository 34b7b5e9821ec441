/**
 * Granting and withdrawing operator roles. A machine client with a role may get a `propusk.admin`
 * token by client_credentials: granting its first role registers the scope for it, withdrawing its
 * last role removes the scope again (deny by default). Roles are read from storage on every API
 * request, so a change takes effect on the next one. Audited as `operator.role_granted` and
 * `operator.role_revoked`.
 */
import type { AuditActor, AuditLog } from '../audit/types.ts';
import type { AccountRepository } from '../accounts/types.ts';
import type { ClientRepository } from '../clients/types.ts';
import type { ChangeFeed } from '../shared/changes.ts';
import { invalid, notFound } from '../shared/errors.ts';
import { ADMIN_API_SCOPE, isRole, permissionsOf, ROLES, type Permission, type Role, type RoleGrant, type RoleRepository, type RoleSubject } from './types.ts';

export interface RoleServiceDeps {
  roles: RoleRepository;
  accounts: Pick<AccountRepository, 'findById' | 'findByLogin'>;
  clients: Pick<ClientRepository, 'find' | 'update'>;
  changes: ChangeFeed;
  audit: AuditLog;
}

/** Who a role names, as an operator typed it. */
export type SubjectRef = { account: string } | { client: string };

export interface ResolvedSubject {
  subject: RoleSubject;
  /** A login for an account, the client id for a client. */
  label: string;
}

export class RoleService {
  constructor(private readonly deps: RoleServiceDeps) {}

  static parseRole(value: string): Role {
    if (!isRole(value)) throw invalid(`unknown role ${JSON.stringify(value)} (roles: ${ROLES.join(', ')})`);
    return value;
  }

  /** An account by id or login, or a client by id; ERR_NOT_FOUND otherwise. */
  async resolve(ref: SubjectRef): Promise<ResolvedSubject> {
    if ('account' in ref) {
      const account = (await this.deps.accounts.findById(ref.account)) ?? (await this.deps.accounts.findByLogin(ref.account));
      if (!account) throw notFound(`account ${ref.account}`);
      return { subject: { kind: 'account', id: account.id }, label: account.login };
    }
    const client = await this.deps.clients.find(ref.client);
    if (!client) throw notFound(`client ${ref.client}`);
    if (client.public) throw invalid(`client ${client.clientId} is public: only a confidential client (with an api-key) can hold a role`);
    return { subject: { kind: 'client', id: client.clientId }, label: client.clientId };
  }

  async grant(ref: SubjectRef, role: Role, actor: AuditActor): Promise<{ subject: ResolvedSubject; roles: Role[]; changed: boolean }> {
    const subject = await this.resolve(ref);
    const changed = await this.deps.roles.grant(subject.subject, role, new Date());
    if (subject.subject.kind === 'client') await this.#setAdminScope(subject.subject.id, true);
    if (changed) await this.#audit('operator.role_granted', subject.subject, role, actor);
    return { subject, roles: await this.deps.roles.rolesOf(subject.subject), changed };
  }

  async revoke(ref: SubjectRef, role: Role, actor: AuditActor): Promise<{ subject: ResolvedSubject; roles: Role[]; changed: boolean }> {
    const subject = await this.resolve(ref);
    const changed = await this.deps.roles.revoke(subject.subject, role);
    const roles = await this.deps.roles.rolesOf(subject.subject);
    if (subject.subject.kind === 'client' && roles.length === 0) await this.#setAdminScope(subject.subject.id, false);
    if (changed) await this.#audit('operator.role_revoked', subject.subject, role, actor);
    return { subject, roles, changed };
  }

  rolesOf(subject: RoleSubject): Promise<Role[]> {
    return this.deps.roles.rolesOf(subject);
  }

  /** The permissions `subject` holds now. */
  async permissionsOf(subject: RoleSubject): Promise<Set<Permission>> {
    return permissionsOf(await this.deps.roles.rolesOf(subject));
  }

  list(): Promise<RoleGrant[]> {
    return this.deps.roles.list();
  }

  async #setAdminScope(clientId: string, on: boolean): Promise<void> {
    const client = (await this.deps.clients.find(clientId))!;
    const has = client.scopes.includes(ADMIN_API_SCOPE);
    if (has === on) return;
    const scopes = on ? [...client.scopes, ADMIN_API_SCOPE] : client.scopes.filter((s) => s !== ADMIN_API_SCOPE);
    await this.deps.clients.update(clientId, { scopes });
    await this.deps.changes.publish('client', clientId);
  }

  async #audit(type: 'operator.role_granted' | 'operator.role_revoked', subject: RoleSubject, role: Role, actor: AuditActor): Promise<void> {
    await this.deps.audit.record({
      type,
      actor,
      ...(subject.kind === 'account' ? { accountId: subject.id } : { clientId: subject.id }),
      details: { role },
    });
  }
}
