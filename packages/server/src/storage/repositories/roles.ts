/** RoleRepository on Kysely: one row per subject and role. */
import type { Db } from '../database.ts';
import { isRole, subjectKey, type Role, type RoleGrant, type RoleRepository, type RoleSubject } from '../../operators/types.ts';

const toSubject = (key: string): RoleSubject => {
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  return { kind: kind === 'client' ? 'client' : 'account', id: key.slice(at + 1) };
};

export class KyselyRoleRepository implements RoleRepository {
  constructor(private readonly db: Db) {}

  async grant(subject: RoleSubject, role: Role, at: Date): Promise<boolean> {
    const result = await this.db
      .insertInto('operator_role')
      .values({ subject: subjectKey(subject), role, granted_at: at.getTime() })
      .onConflict((oc) => oc.columns(['subject', 'role']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async revoke(subject: RoleSubject, role: Role): Promise<boolean> {
    const result = await this.db.deleteFrom('operator_role').where('subject', '=', subjectKey(subject)).where('role', '=', role).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async rolesOf(subject: RoleSubject): Promise<Role[]> {
    const rows = await this.db.selectFrom('operator_role').select('role').where('subject', '=', subjectKey(subject)).orderBy('role').execute();
    return rows.map((r) => r.role).filter(isRole);
  }

  async list(): Promise<RoleGrant[]> {
    const rows = await this.db.selectFrom('operator_role').selectAll().orderBy('subject').orderBy('role').execute();
    return rows.filter((r) => isRole(r.role)).map((r) => ({ subject: toSubject(r.subject), role: r.role as Role, grantedAt: new Date(r.granted_at) }));
  }
}
