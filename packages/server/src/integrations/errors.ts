/** Why an invitation link cannot be used; the web layer maps the codes to 404 and 410 pages. */
import { DomainError } from '../shared/errors.ts';

export const InvitationErrorCode = {
  /** No invitation has this token (or it was never well-formed). */
  UNKNOWN: 'ERR_INVITATION_UNKNOWN',
  EXPIRED: 'ERR_INVITATION_EXPIRED',
  USED: 'ERR_INVITATION_USED',
  /** The invitation names another email address than the account's. */
  WRONG_ACCOUNT: 'ERR_INVITATION_WRONG_ACCOUNT',
} as const;
export type InvitationErrorCode = (typeof InvitationErrorCode)[keyof typeof InvitationErrorCode];

export class InvitationError extends DomainError {
  constructor(readonly reason: InvitationErrorCode, message: string) {
    super(reason, message);
    this.name = 'InvitationError';
  }
}
