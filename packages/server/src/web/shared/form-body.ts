/**
 * The one bounded body reader of our own routes: at most 64 KiB (http/body-limit.ts), counted while
 * reading, so a chunked body cannot exceed it either; past the limit the answer closes the
 * connection. `readForm` reads an `application/x-www-form-urlencoded` form (other content types are
 * refused); `readBody` the raw text, for an API that also takes its parameters in the query string.
 */
import type { Context } from 'koa';
import { MAX_BODY_BYTES } from '../../http/body-limit.ts';

export class FormBodyError extends Error {
  constructor(readonly status: 413 | 415, readonly code: string, message: string) {
    super(message);
    this.name = 'FormBodyError';
  }
}

/** The body as text; FormBodyError (413) past `max` bytes. */
export async function readBody(ctx: Context, max = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      ctx.set('Connection', 'close');
      throw new FormBodyError(413, 'request_too_large', `request body larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The urlencoded form of the request; FormBodyError (415) for another content type, (413) past `max` bytes. */
export async function readForm(ctx: Context, max = MAX_BODY_BYTES): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new FormBodyError(415, 'unsupported_media_type', 'forms must be sent as application/x-www-form-urlencoded');
  }
  return new URLSearchParams(await readBody(ctx, max));
}
