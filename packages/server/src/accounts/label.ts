/** How an account is named to its holder on the pages: "Given Family (login)", or the login alone. */
import type { Account } from './types.ts';

export function accountLabel(account: Pick<Account, 'givenName' | 'familyName' | 'login'>): string {
  const name = [account.givenName, account.familyName].filter(Boolean).join(' ');
  return name ? `${name} (${account.login})` : account.login;
}
