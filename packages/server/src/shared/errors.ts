/** Domain errors with stable codes; the HTTP and CLI layers map them to responses and messages. */
/** An error with a stable machine-readable `code` (jose style); tests and callers branch on the code, never on prose. */
export class CodedError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class DomainError extends CodedError {
  override name = 'DomainError';
}

export const notFound = (what: string) => new DomainError('ERR_NOT_FOUND', `${what} not found`);
export const invalid = (message: string) => new DomainError('ERR_INVALID', message);
export const conflict = (message: string) => new DomainError('ERR_CONFLICT', message);
