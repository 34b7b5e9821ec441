/**
 * JSON answers of the demo API. Every answer is `application/json` and
 * `Cache-Control: no-store` (the bodies describe a person's data); errors use
 * the same `{ error, error_description }` shape as the authentication errors
 * the library writes.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';

/** Writes `body` as JSON with `status` (nothing if the headers are already sent). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(text));
  for (const name in headers) res.setHeader(name, headers[name] as string);
  res.end(text);
}

/** Writes an error answer. */
export function sendError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>,
): void {
  sendJson(res, status, { error, error_description: description }, headers);
}
