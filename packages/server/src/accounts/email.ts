/** The one rule for an email address (account logins, invitation addresses): compared lower-case, trimmed. */

const EMAIL = /^[^\s@<>()]{1,64}@[^\s@<>()]{1,255}\.[^\s@<>()]{2,63}$/;

/** `value` trimmed and lower-cased: how an email address is stored and compared. */
export const normalizeEmail = (value: string): string => value.trim().toLowerCase();

/** Whether `value` (normalised) looks like an email address: a local part, `@`, a domain with a dot. */
export const isEmailAddress = (value: string): boolean => EMAIL.test(normalizeEmail(value));
