/**
 * The HTTP requests of `propusk login`, `token` and `logout` (openid-client's customFetch), made
 * with node:http/https rather than the global fetch: fetch refuses some ports outright ("bad port",
 * e.g. 9 or 6000) and hides the system error behind "fetch failed", while a user needs to read why
 * the provider could not be reached. A failed connection becomes a NetworkError naming the origin
 * and the error code (ECONNREFUSED, ENOTFOUND, a TLS certificate code…), which cli.ts words.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** No answer within this long (connecting included) counts as a timeout. */
const TIMEOUT_MS = 30_000;

/** A TypeError, as fetch's own network failures are: openid-client passes those on unwrapped. */
export class NetworkError extends TypeError {
  constructor(
    /** The origin that could not be reached, e.g. `http://127.0.0.1:9`. */
    readonly origin: string,
    /** The system or TLS error code, e.g. `ECONNREFUSED`, `CERT_HAS_EXPIRED`; `ETIMEDOUT` for our own timeout. */
    readonly code: string,
  ) {
    super(`cannot reach ${origin}: ${code}`);
  }
}

type Body = ArrayBuffer | null | ReadableStream | string | Uint8Array | undefined | URLSearchParams;

export interface FetchOptions {
  body?: Body;
  headers?: Record<string, string>;
  method?: string;
  signal?: AbortSignal | null | undefined;
}

async function bodyBytes(body: Body): Promise<Buffer | undefined> {
  if (body === null || body === undefined) return undefined;
  if (typeof body === 'string' || body instanceof URLSearchParams) return Buffer.from(body.toString());
  if (body instanceof ArrayBuffer || body instanceof Uint8Array) return Buffer.from(body as Uint8Array);
  return Buffer.from(await new Response(body).arrayBuffer());
}

function toResponse(res: IncomingMessage, data: Buffer): Response {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  const status = res.statusCode ?? 502;
  const nullBody = status === 204 || status === 205 || status === 304;
  return new Response(nullBody ? null : new Uint8Array(data), { status, statusText: res.statusMessage ?? '', headers });
}

/** A fetch for openid-client: one request, no redirects followed, the whole body read. */
export async function nodeFetch(url: string, options: FetchOptions = {}): Promise<Response> {
  const target = new URL(url);
  const payload = await bodyBytes(options.body);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<Response>((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) => {
      if (options.signal?.aborted) reject(options.signal.reason as Error);
      else reject(new NetworkError(target.origin, err.code ?? 'ERR_NETWORK'));
    };
    const req = request(target, { method: options.method ?? 'GET', headers: { ...options.headers, ...(payload ? { 'content-length': String(payload.length) } : {}) }, signal: options.signal ?? undefined }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => resolve(toResponse(res, Buffer.concat(chunks))));
    });
    req.setTimeout(TIMEOUT_MS, () => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', fail);
    req.end(payload);
  });
}
