// LinkingError: why a user could not be linked; `code` is stable and maps onto the linking API's answers.

import { CodedError } from '../shared/errors.ts';

export const LinkingErrorCode = {
  /** Bad phone, or ServiceUserId empty / longer than 200 characters. */
  INVALID_INPUT: 'invalid_input',
  /** No active account has this phone. */
  ACCOUNT_NOT_FOUND: 'account_not_found',
  /** Several active accounts have this phone; support must link by hand. */
  AMBIGUOUS_PHONE: 'ambiguous_phone',
  /** The ServiceUserId is already linked to another account. */
  ALREADY_LINKED: 'already_linked',
} as const;
export type LinkingErrorCode = (typeof LinkingErrorCode)[keyof typeof LinkingErrorCode];

export class LinkingError extends CodedError<LinkingErrorCode> {
  override readonly name = 'LinkingError';
}
