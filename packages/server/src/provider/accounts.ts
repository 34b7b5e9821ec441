/** Accounts as oidc-provider sees them: `findAccount` and the claims of each scope. */
import type { AccountClaims, FindAccount } from 'oidc-provider';
import type { AccountRepository, Account } from '../accounts/types.ts';

/** Claims released per scope (OpenID Connect Core §5.4). */
export const claims = {
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'middle_name', 'updated_at'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
};

export function accountClaims(a: Account): AccountClaims {
  const name = [a.givenName, a.middleName, a.familyName].filter(Boolean).join(' ') || undefined;
  return {
    sub: a.id,
    name,
    given_name: a.givenName ?? undefined,
    family_name: a.familyName ?? undefined,
    middle_name: a.middleName ?? undefined,
    updated_at: Math.floor(a.updatedAt.getTime() / 1000),
    email: a.email ?? undefined,
    email_verified: a.email ? a.emailVerified : undefined,
    phone_number: a.phone ? `+7${a.phone}` : undefined,
    phone_number_verified: a.phone ? false : undefined,
  };
}

/** A disabled or deleted account is not found: its tokens stop working at userinfo and introspection. */
export function findAccount(accounts: AccountRepository): FindAccount {
  return async (_ctx, sub) => {
    const account = await accounts.findById(sub);
    if (!account || account.disabled) return undefined;
    return { accountId: account.id, claims: () => accountClaims(account) };
  };
}
