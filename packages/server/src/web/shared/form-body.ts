/**
 * Reads an `application/x-www-form-urlencoded` body of our own forms, at most 64 KiB (counted
 * while reading, so a chunked body cannot exceed it either). Other content types are refused.
 */
import type { Context } from 'koa';
import { MAX_BODY_BYTES } from '../../http/body-limit.ts';

export class FormBodyError extends Error {
  constructor(readonly status: 413 | 415, readonly code: string, message: string) {
    super(message);
    this.name = 'FormBodyError';
  }
}

export async function readForm(ctx: Context, max = MAX_BODY_BYTES): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new FormBodyError(415, 'unsupported_media_type', 'forms must be sent as application/x-www-form-urlencoded');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      ctx.req.destroy();
      throw new FormBodyError(413, 'request_too_large', `request body larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}
