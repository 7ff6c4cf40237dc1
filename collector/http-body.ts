// Request bodies for the receivers: raw bytes, gzip inflated under a limit that applies
// after decompression (so a small gzip bomb is refused while inflating, not after).
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { FastifyRequest } from 'fastify';
import type { DiscardReason } from './counters.ts';

const gunzipAsync = promisify(gunzip);

/** A body refused as a whole; each receiver shapes the answer its ecosystem expects. */
export class BodyError extends Error {
  constructor(readonly httpStatus: 400 | 413 | 415, readonly reason: DiscardReason, message: string) {
    super(message);
  }
}

/** The media type without parameters, lower-case (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(request: FastifyRequest): string {
  return (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The request body as bytes, gunzipped when `Content-Encoding: gzip`. */
export async function readBody(request: FastifyRequest, maxBytes: number): Promise<Buffer> {
  const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const encoding = (request.headers['content-encoding'] ?? 'identity').toString().trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip') throw new BodyError(415, 'unsupported_media', `unsupported Content-Encoding "${encoding}": use gzip or none`);
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new BodyError(413, 'too_large', `body exceeds ${maxBytes} bytes after decompression`);
    }
    throw new BodyError(400, 'undecodable', `body is not valid gzip: ${(err as Error).message}`);
  }
}
