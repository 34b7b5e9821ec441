/** Accounts: people who sign in to Propusk. */
export interface Account {
  id: string;
  /** Login name: the email address, lower-cased. */
  login: string;
  email: string | null;
  emailVerified: boolean;
  /** 10 digits without country code. */
  phone: string | null;
  givenName: string | null;
  familyName: string | null;
  middleName: string | null;
  passwordHash: string;
  disabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type NewAccount = Omit<Account, 'createdAt' | 'updatedAt'>;

export interface AccountRepository {
  create(account: NewAccount): Promise<Account>;
  findById(id: string): Promise<Account | undefined>;
  findByLogin(login: string): Promise<Account | undefined>;
  findByPhone(phone: string): Promise<Account[]>;
  list(options?: { limit?: number; offset?: number }): Promise<Account[]>;
  /**
   * Up to `limit` accounts by login after `afterLogin`, matching `query` when given: the exact id,
   * a phone containing its digits, or a login or name containing it (case-insensitive).
   */
  search(options: { query?: AccountQuery | undefined; afterLogin?: string | undefined; limit: number }): Promise<Account[]>;
  update(id: string, changes: Partial<Pick<Account, 'passwordHash' | 'disabled' | 'email' | 'emailVerified' | 'phone' | 'givenName' | 'familyName' | 'middleName'>>): Promise<Account | undefined>;
}

/** What an operator searches accounts by (AccountService.parseQuery). */
export type AccountQuery = { id: string; phoneDigits?: string | undefined; text: string };
