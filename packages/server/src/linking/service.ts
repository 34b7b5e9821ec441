// linkByPhone: link a partner's user (ServiceUserId) to the single active OP account with the given
// phone — the `PUT register-external-service-id` operation. Idempotent for an identical link.
import { LinkingError, LinkingErrorCode as Code } from './errors.ts';
import { normalizePhone } from './phone.ts';
import type { ExternalLink, ExternalLinkCreator, ExternalLinkRepository } from './types.ts';

export { LinkingError, LinkingErrorCode } from './errors.ts';

/** Longest ServiceUserId, in characters. */
export const MAX_SERVICE_USER_ID_LENGTH = 200;

export interface LinkByPhoneDeps {
  links: ExternalLinkRepository;
  /** Accounts whose phone is exactly these 10 digits, disabled ones included. */
  findAccountsByPhone(phone: string): Promise<{ id: string; disabled: boolean }[]>;
  /** Default: `() => new Date()`. */
  now?: () => Date;
}

export interface LinkByPhoneInput {
  clientId: string;
  serviceUserId: string;
  phone: string;
  /** Default 'partner'. */
  createdBy?: ExternalLinkCreator;
}

/** @throws LinkingError */
export async function linkByPhone(
  deps: LinkByPhoneDeps,
  input: LinkByPhoneInput,
): Promise<{ outcome: 'created' | 'exists'; link: ExternalLink }> {
  const { clientId, serviceUserId } = input;
  checkServiceUserId(serviceUserId);
  const phone = typeof input.phone === 'string' ? normalizePhone(input.phone) : null;
  if (phone === null) {
    throw new LinkingError(Code.INVALID_INPUT, 'Phone must be 10 digits without country code');
  }

  const active = (await deps.findAccountsByPhone(phone)).filter((a) => !a.disabled);
  if (active.length === 0) throw new LinkingError(Code.ACCOUNT_NOT_FOUND, 'no active account has this phone');
  if (active.length > 1) {
    throw new LinkingError(Code.AMBIGUOUS_PHONE, 'several accounts have this phone; ask support to link the user');
  }
  const accountId = active[0]!.id;

  const existing = await deps.links.find(clientId, serviceUserId);
  if (existing) return sameOrConflict(existing, accountId);

  const link: ExternalLink = {
    clientId,
    serviceUserId,
    accountId,
    createdAt: (deps.now ?? (() => new Date()))(),
    createdBy: input.createdBy ?? 'partner',
  };
  try {
    await deps.links.create(link);
  } catch (error) {
    // A concurrent request may have created the link between find and create.
    const raced = await deps.links.find(clientId, serviceUserId);
    if (raced) return sameOrConflict(raced, accountId);
    throw error;
  }
  return { outcome: 'created', link };
}

function sameOrConflict(existing: ExternalLink, accountId: string): { outcome: 'exists'; link: ExternalLink } {
  if (existing.accountId !== accountId) {
    throw new LinkingError(Code.ALREADY_LINKED, 'this ServiceUserId is already linked to another account');
  }
  return { outcome: 'exists', link: existing };
}

/** @throws LinkingError (invalid_input) unless a non-empty string of at most MAX_SERVICE_USER_ID_LENGTH characters. */
export function checkServiceUserId(serviceUserId: unknown): asserts serviceUserId is string {
  if (typeof serviceUserId !== 'string' || serviceUserId.trim() === '') {
    throw new LinkingError(Code.INVALID_INPUT, 'ServiceUserId must be a non-empty string');
  }
  if ([...serviceUserId].length > MAX_SERVICE_USER_ID_LENGTH) {
    throw new LinkingError(Code.INVALID_INPUT, `ServiceUserId must be at most ${MAX_SERVICE_USER_ID_LENGTH} characters`);
  }
}
