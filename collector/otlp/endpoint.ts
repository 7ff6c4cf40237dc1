// The OTLP/HTTP transport every signal shares (opentelemetry-proto docs/specification.md):
// protobuf or JSON on one path, gzip accepted, the answer in the request's encoding, partial
// success for bad items, google.rpc.Status bodies for failures, 503 + Retry-After when the
// store cannot take the batch, and never a 500 for bad input.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestBatch } from '../../store/index.ts';
import type { DiscardReason, IngestCounters } from '../counters.ts';
import { BodyError, mediaType, readBody } from '../http-body.ts';
import { IngestOverloadedError, type IngestQueue } from '../ingest-queue.ts';
import { OtlpDecodeError } from './errors.ts';
import { encodeStatusProtobuf, statusJson } from './responses.ts';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** google.rpc.Code values used in failure bodies. */
export const RpcCode = { INVALID_ARGUMENT: 3, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

/** The google.rpc.Code for a refused body's HTTP status. */
const rpcCodeOf = (httpStatus: number) => (httpStatus === 413 ? RpcCode.RESOURCE_EXHAUSTED : httpStatus === 415 ? RpcCode.UNIMPLEMENTED : RpcCode.INVALID_ARGUMENT);

/** Sends a google.rpc.Status in the request's encoding (JSON when the request's is unknown). */
export function sendRpcStatus(request: FastifyRequest, reply: FastifyReply, httpStatus: number, rpcCode: number, message: string): FastifyReply {
  if (mediaType(request) === PROTOBUF) {
    return reply.code(httpStatus).type(PROTOBUF).send(Buffer.from(encodeStatusProtobuf(rpcCode, message)));
  }
  return reply.code(httpStatus).type(JSON_TYPE).send(statusJson(rpcCode, message));
}

/** What a decoded request becomes: the batch to store and what was refused in it. */
export interface OtlpConversion {
  batch: IngestBatch;
  /** Items refused (partial success), counted under `rejectReason`. */
  rejected: number;
  rejectReason: DiscardReason;
  /** When the rejected items have several reasons: the count per reason (summing to `rejected`). */
  rejectedBy?: Partial<Record<DiscardReason, number>>;
  errors: string[];
}

/** One signal (traces, logs): its path, its messages, and how its items become a batch. */
export interface OtlpSignal<T> {
  path: string;
  /** The `receiver` label of the ingest counters. */
  receiver: string;
  /** The request message's name, for error messages. */
  requestName: string;
  decodeProtobuf(body: Uint8Array): T;
  decodeJson(text: string): T;
  convert(decoded: T, request: FastifyRequest): OtlpConversion;
  responseProtobuf(rejected: number, errorMessage: string): Uint8Array;
  responseJson(rejected: number, errorMessage: string): object;
}

export interface OtlpEndpointOptions {
  queue: IngestQueue;
  counters: IngestCounters;
  /** Limit on the decompressed body (OTLP recommends 20 MiB); 413 above it. */
  maxBodyBytes: number;
}

/** Registers one signal's endpoint in its own encapsulated context (its body parser and error handler). */
export function registerOtlpEndpoint<T>(app: FastifyInstance, options: OtlpEndpointOptions, signal: OtlpSignal<T>): void {
  const { queue, counters, maxBodyBytes } = options;
  const { receiver } = signal;

  // Take every body as raw bytes; the handler decides 415 so the answer can be a Status.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      counters.discarded(receiver, 'too_large', 1);
      return sendRpcStatus(request, reply, 413, RpcCode.RESOURCE_EXHAUSTED, `body exceeds ${maxBodyBytes} bytes`);
    }
    if (error.statusCode && error.statusCode < 500) {
      counters.discarded(receiver, 'undecodable', 1);
      return sendRpcStatus(request, reply, error.statusCode, RpcCode.INVALID_ARGUMENT, error.message);
    }
    // Whatever broke (the store behind token checks, say), the client should retry later, not drop data.
    request.log.error({ err: error }, `OTLP ${signal.path} failed`);
    void reply.header('retry-after', '5');
    return sendRpcStatus(request, reply, 503, RpcCode.UNAVAILABLE, 'temporarily unavailable');
  });

  const decode = (type: string, body: Buffer): T => {
    try {
      return type === PROTOBUF ? signal.decodeProtobuf(body) : signal.decodeJson(body.toString('utf8'));
    } catch (err) {
      if (err instanceof OtlpDecodeError) throw new BodyError(400, 'undecodable', `cannot decode ${signal.requestName}: ${err.message}`);
      throw err;
    }
  };

  app.post(signal.path, { config: { scope: 'ingest' }, bodyLimit: maxBodyBytes }, async (request, reply) => {
    const type = mediaType(request);
    let conversion: OtlpConversion;
    try {
      if (type !== PROTOBUF && type !== JSON_TYPE) {
        throw new BodyError(415, 'unsupported_media', `unsupported Content-Type "${type}": use ${PROTOBUF} or ${JSON_TYPE}`);
      }
      conversion = signal.convert(decode(type, await readBody(request, maxBodyBytes)), request);
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      counters.discarded(receiver, err.reason, 1);
      return sendRpcStatus(request, reply, err.httpStatus, rpcCodeOf(err.httpStatus), err.message);
    }
    const { batch, rejected } = conversion;
    try {
      await queue.submitRequest(batch);
    } catch (err) {
      const overloaded = err instanceof IngestOverloadedError;
      counters.discarded(receiver, overloaded ? err.reason : 'store_unavailable', batch.spans.length || batch.calls.length);
      void reply.header('retry-after', String(overloaded ? err.retryAfterSeconds : 5));
      // 503 + Retry-After is the retryable answer OTLP clients back off on; nothing was stored.
      return sendRpcStatus(request, reply, 503, RpcCode.UNAVAILABLE, (err as Error).message);
    }
    counters.accepted(receiver, batch.spans.length, batch.calls.length);
    const rejectedBy = conversion.rejectedBy ?? { [conversion.rejectReason]: rejected };
    for (const [reason, count] of Object.entries(rejectedBy)) if (count > 0) counters.discarded(receiver, reason as DiscardReason, count);
    const message = conversion.errors.join('; ');
    if (type === PROTOBUF) return reply.code(200).type(PROTOBUF).send(Buffer.from(signal.responseProtobuf(rejected, message)));
    return reply.code(200).type(JSON_TYPE).send(signal.responseJson(rejected, message));
  });
}
