/**
 * The request being served, for code that runs inside it without being handed it: log lines get
 * its request id (logger.ts) and audit records its client IP (audit/service.ts). Where it is read
 * from is installed once by the HTTP layer (http/request-id.ts): oidc-provider's request context,
 * `Provider.ctx` (provider/seam/request-context.ts). Nothing here knows Koa or oidc-provider.
 */

/** What is read of the request being served (a Koa context has both). */
export interface ServedRequest {
  /** The client IP (honouring the trusted-proxy setting). */
  readonly ip: string;
  /** Per-request values; `requestId` is set by http/request-id.ts. */
  readonly state: { requestId?: unknown };
}

let read: () => ServedRequest | undefined = () => undefined;

/** Installs where the request being served is read from (once, by the HTTP layer). */
export function readServedRequestFrom(source: () => ServedRequest | undefined): void {
  read = source;
}

/** The request being served, or undefined outside a request (the CLI, start-up, timers). */
export const currentRequest = (): ServedRequest | undefined => read();

/** The id of the request being served, or undefined. */
export function currentRequestId(): string | undefined {
  const id = read()?.state.requestId;
  return typeof id === 'string' ? id : undefined;
}
