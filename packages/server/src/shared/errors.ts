/** Domain errors with stable codes; the HTTP and CLI layers map them to responses and messages. */
export class DomainError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('ERR_NOT_FOUND', `${what} not found`);
export const invalid = (message: string) => new DomainError('ERR_INVALID', message);
export const conflict = (message: string) => new DomainError('ERR_CONFLICT', message);
