/**
 * Discovery and JWKS answered from prepared bytes, ahead of the middleware chain.
 *
 * Both documents change only when the signing keys rotate or an API resource is added, yet every
 * client fetches them first and often. Two parts:
 *
 * - `middleware()` (Koa, on the `/.well-known` branch): oidc-provider's answer serialised once,
 *   given a strong ETag and `Cache-Control: no-cache` (revalidate on every use: keys rotate), a
 *   conditional request answered 304. Each such answer is offered to the fast path.
 * - `handle()` (node:http, before Koa): the first 200 answer to a GET of the exact canonical path
 *   after a change is kept — the body, and the response headers exactly as the whole chain set
 *   them (security headers, CORS, ETag, Cache-Control, in their order and spelling). Later requests
 *   for that path are written straight from those bytes; what differs per request is filled in
 *   as the chain would: `X-Request-Id` (the client's when well-formed, else a new one),
 *   `Access-Control-Allow-Origin` (the request's `Origin`, else `*`, as oidc-provider's open CORS
 *   policy for these endpoints does), and 304 for a matching `If-None-Match` (the `fresh` rules
 *   Koa uses). Requests are still counted in the metrics and, at debug level, logged.
 *
 * `clear()` (after the provider has applied a key rotation or a new resource, on every instance
 * through the change feed) forgets every kept answer; an answer that began before a `clear()` is
 * not kept. Anything else — another spelling of the path (upper case, a query), another method, a
 * request with a body, a 304 or error from the chain — goes through the whole chain as before.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Context, Middleware } from 'koa';
import fresh from 'fresh';
import type { Metrics } from '../metrics/index.ts';
import type { Logger } from '../logger.ts';
import { chooseRequestId } from '../http/request-id.ts';
import { logRequest } from '../http/access-log.ts';

/** Discovery documents revalidate on every use (keys rotate, APIs are added); the ETag makes that a 304. */
const CACHE_CONTROL = 'no-cache';

/** oidc-provider's OpenID discovery path (not configurable). */
export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** What the Koa part hands the fast path for one request: the serialised body and its ETag. */
interface Offer {
  body: Buffer;
  etag: string;
}

/** A kept answer: everything written for a 200 or a 304 but the per-request values. */
interface Prepared {
  /** The body as text: Node writes a text body in one piece with the headers (a Buffer: two). */
  body: string;
  etag: string;
  /** Response headers of a 200 as [name, value, name, value, …], `slots` marking the per-request ones. */
  headers: string[];
  /** The same without Content-Type and Content-Length (what Koa drops from a 304). */
  notModifiedHeaders: string[];
  /** Index of the X-Request-Id value in `headers` / `notModifiedHeaders`. */
  requestIdAt: [number, number];
  /** Index of the Access-Control-Allow-Origin value, or -1 when the answer had none. */
  originAt: [number, number];
}

/** Headers Koa removes from a 304 (and that mean nothing without a body). */
const BODY_HEADERS = new Set(['content-type', 'content-length', 'transfer-encoding']);

const REQUEST_ID = 'x-request-id';
const ACAO = 'access-control-allow-origin';

export interface PreparedAnswersOptions {
  metrics: Metrics;
  logger: Logger;
}

function strongEtag(body: Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** Flattens headers to [name, value, …] for `writeHead`, returning where the per-request values go. */
function flatten(entries: [string, string][]): { headers: string[]; requestIdAt: number; originAt: number } {
  const headers: string[] = [];
  let requestIdAt = -1;
  let originAt = -1;
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (lower === REQUEST_ID) requestIdAt = headers.length + 1;
    if (lower === ACAO) originAt = headers.length + 1;
    headers.push(name, value);
  }
  return { headers, requestIdAt, originAt };
}

export class PreparedAnswers {
  readonly #paths: ReadonlySet<string>;
  readonly #options: PreparedAnswersOptions;
  /** path → kept answer; replaced (not emptied) by clear(), so that an answer begun before it is not kept. */
  #entries = new Map<string, Prepared>();
  /** What the Koa part serialised for a request still under way. */
  readonly #offers = new WeakMap<IncomingMessage, Offer>();
  /** Metric children per path (duration; counts per method and status), bound on first use. */
  readonly #metrics = new Map<string, { duration: { observe(seconds: number): void }; counts: ({ inc(): void } | undefined)[] }>();

  /** `paths`: the canonical GET paths to answer, e.g. routes.jwks and /.well-known/openid-configuration. */
  constructor(paths: Iterable<string>, options: PreparedAnswersOptions) {
    this.#paths = new Set(paths);
    this.#options = options;
  }

  /** Forgets every kept answer: call once the provider's signing keys or scopes have changed. */
  clear(): void {
    this.#entries = new Map();
  }

  /** The Koa part: serialise, ETag, `Cache-Control`, 304; offer the body to the fast path. */
  middleware(): Middleware {
    return async (ctx: Context, next) => {
      if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || !this.#paths.has(ctx.path)) return next();
      await next();
      if (ctx.status !== 200 || ctx.body === null || typeof ctx.body !== 'object' || Buffer.isBuffer(ctx.body) || typeof (ctx.body as { pipe?: unknown }).pipe === 'function') return;
      const body = Buffer.from(JSON.stringify(ctx.body));
      const etag = strongEtag(body);
      ctx.set('ETag', etag);
      ctx.set('Cache-Control', CACHE_CONTROL);
      if (ctx.fresh) {
        ctx.status = 304;
        ctx.body = null;
        return;
      }
      ctx.body = body;
      this.#offers.set(ctx.req, { body, etag });
    };
  }

  /**
   * The node:http part: answers a GET or HEAD of a kept path from its bytes and returns true;
   * otherwise returns false (the caller hands the request to the chain), and keeps the chain's
   * answer when it is a 200 to a GET of such a path.
   */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    const method = req.method;
    if (method !== 'GET' && method !== 'HEAD') return false;
    const path = req.url;
    if (path === undefined || !this.#paths.has(path)) return false;
    // A request with a body is the chain's to answer (e.g. 413 for a declared body over the limit).
    if (req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0') return false;
    const entry = this.#entries.get(path);
    if (entry) {
      let served: { status: 200 | 304; started: number; requestId: string };
      try {
        served = this.#serve(entry, method, req, res);
      } catch {
        // Nothing was written (writeHead validates before it sends): the chain answers instead,
        // with its error handling, rather than an exception escaping the server's request listener.
        if (!res.headersSent) return false;
        res.destroy();
        return true;
      }
      // After the answer is complete, outside the try: a metrics or log failure is not the answer's.
      this.#record(path, method, served.status, served.started, served.requestId);
      return true;
    }
    if (method === 'GET') {
      const generation = this.#entries;
      res.once('finish', () => this.#keep(generation, path, req, res));
    }
    return false;
  }

  #keep(generation: Map<string, Prepared>, path: string, req: IncomingMessage, res: ServerResponse): void {
    const offer = this.#offers.get(req);
    // Not kept when a clear() came while the chain was answering: the answer may predate the change.
    if (!offer || res.statusCode !== 200 || generation !== this.#entries || generation.has(path)) return;
    const entries: [string, string][] = [];
    // Names as the chain spelled them (Node has this on every outgoing message; its types declare it on ClientRequest only).
    for (const name of (res as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames()) {
      const value = res.getHeader(name);
      // Only single-valued headers are kept (these answers set no cookies); anything else is left to the chain.
      if (typeof value !== 'string' && typeof value !== 'number') return;
      entries.push([name, String(value)]);
    }
    const acao = entries.find(([name]) => name.toLowerCase() === ACAO)?.[1];
    // Kept only when CORS was the open policy (the request's origin echoed, or `*` without one).
    if (acao !== undefined && acao !== (req.headers.origin || '*')) return;
    const full = flatten(entries);
    const bodyless = flatten(entries.filter(([name]) => !BODY_HEADERS.has(name.toLowerCase())));
    if (full.requestIdAt < 0 || bodyless.requestIdAt < 0) return;
    generation.set(path, {
      body: offer.body.toString('utf8'),
      etag: offer.etag,
      headers: full.headers,
      notModifiedHeaders: bodyless.headers,
      requestIdAt: [full.requestIdAt, bodyless.requestIdAt],
      originAt: [full.originAt, bodyless.originAt],
    });
  }

  /** Writes the kept answer (or its 304) with this request's own values; returns what #record needs. */
  #serve(entry: Prepared, method: 'GET' | 'HEAD', req: IncomingMessage, res: ServerResponse): { status: 200 | 304; started: number; requestId: string } {
    const started = performance.now();
    const conditional = req.headers['if-none-match'] !== undefined || req.headers['if-modified-since'] !== undefined;
    const notModified = conditional && fresh(req.headers, { etag: entry.etag });
    const which = notModified ? 1 : 0;
    // Filled in place: writeHead has copied them by the time it returns, and nothing runs in between.
    const headers = notModified ? entry.notModifiedHeaders : entry.headers;
    const requestId = chooseRequestId(req.headers[REQUEST_ID]);
    headers[entry.requestIdAt[which]] = requestId;
    const originAt = entry.originAt[which];
    // As oidc-provider's CORS: the Origin given, or `*` when there is none or it is empty.
    if (originAt >= 0) headers[originAt] = req.headers.origin || '*';
    const status = notModified ? 304 : 200;
    res.writeHead(status, headers);
    if (notModified || method === 'HEAD') res.end();
    else res.end(entry.body);
    return { status, started, requestId };
  }

  /** Counts the request and its duration as requestMetrics does (route = the path), and logs it as accessLog does. */
  #record(path: string, method: 'GET' | 'HEAD', status: 200 | 304, started: number, requestId: string): void {
    const { metrics, logger } = this.#options;
    let bound = this.#metrics.get(path);
    if (!bound) {
      bound = { duration: metrics.httpDuration.labels({ route: path }), counts: [] };
      this.#metrics.set(path, bound);
    }
    const slot = (method === 'HEAD' ? 2 : 0) + (status === 304 ? 1 : 0);
    (bound.counts[slot] ??= metrics.httpRequests.labels({ route: path, method, status: String(status) })).inc();
    bound.duration.observe((performance.now() - started) / 1000);
    logRequest(logger, { reqId: requestId, method, path, status }, started);
  }
}
