/**
 * The request being served, for code that runs inside it without being handed it: log lines get
 * its request id (logger.ts), and oidc-provider's model events, which carry no request, find it
 * (audit/provider-events.ts). Set by http/request-id.ts for the whole request.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  requestId: string;
  /** The Koa context (typed loosely: shared/ imports no Koa). */
  ctx: unknown;
}

export const requestScope = new AsyncLocalStorage<RequestScope>();

export const currentRequest = (): RequestScope | undefined => requestScope.getStore();
