/** What a sign-in needs after a correct password: nothing more, the account's second factor, or enrolling one. */
import type { RoleService } from '../operators/roles.ts';
import type { SecondFactorService } from './service.ts';

export type AfterPassword = 'done' | 'verify' | 'enrol';

export interface SecondFactorPolicyDeps {
  factors: Pick<SecondFactorService, 'hasSecondFactor'>;
  roles: Pick<RoleService, 'rolesOf'>;
  /** Operators (accounts with any role) must use a second factor. */
  operatorsRequireMfa: boolean;
}

export class SecondFactorPolicy {
  constructor(private readonly deps: SecondFactorPolicyDeps) {}

  /**
   * An account with a second factor always uses it. Without one, a sign-in that needs it (asked
   * for by the request or its client, or the account is an operator's under
   * PROPUSK_ADMIN_REQUIRE_MFA) enrols one on the spot; any other goes on with the password alone.
   */
  async afterPassword(accountId: string, requiredByRequest: boolean): Promise<AfterPassword> {
    if (await this.deps.factors.hasSecondFactor(accountId)) return 'verify';
    return requiredByRequest || (await this.isOperatorRequired(accountId)) ? 'enrol' : 'done';
  }

  /** True when the account is an operator's and operators must use a second factor. */
  async isOperatorRequired(accountId: string): Promise<boolean> {
    return this.deps.operatorsRequireMfa && (await this.deps.roles.rolesOf({ kind: 'account', id: accountId })).length > 0;
  }
}
