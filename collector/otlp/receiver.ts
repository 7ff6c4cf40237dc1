// OTLP/HTTP trace receiver (opentelemetry-proto docs/specification.md): protobuf or JSON on
// one path, gzip accepted, the answer in the request's encoding, partial success for bad
// spans, google.rpc.Status bodies for failures, and never a 500 for bad input.
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { IngestCounters } from '../counters.ts';
import { BodyError, mediaType, readBody } from '../http-body.ts';
import { IngestOverloadedError, type IngestQueue } from '../ingest-queue.ts';
import { spansToApiCalls, type NormalizeOptions } from '../normalize.ts';
import { decodeTracesJson, decodeTracesProtobuf, OtlpDecodeError, type DecodedTraces } from './decode.ts';
import { encodeExportResponseProtobuf, encodeStatusProtobuf, exportResponseJson, statusJson } from './responses.ts';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** google.rpc.Code values used in failure bodies. */
export const RpcCode = { INVALID_ARGUMENT: 3, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, UNIMPLEMENTED: 12, UNAVAILABLE: 14, UNAUTHENTICATED: 16 } as const;

export interface OtlpReceiverOptions {
  queue: IngestQueue;
  counters: IngestCounters;
  /** Limit on the decompressed body (OTLP recommends 20 MiB); 413 above it. */
  maxBodyBytes: number;
  normalize: NormalizeOptions;
}

/** Sends a google.rpc.Status in the request's encoding (JSON when the request's is unknown). */
export function sendRpcStatus(request: FastifyRequest, reply: FastifyReply, httpStatus: number, rpcCode: number, message: string): FastifyReply {
  if (mediaType(request) === PROTOBUF) {
    return reply.code(httpStatus).type(PROTOBUF).send(Buffer.from(encodeStatusProtobuf(rpcCode, message)));
  }
  return reply.code(httpStatus).type(JSON_TYPE).send(statusJson(rpcCode, message));
}

function decode(type: string, body: Buffer): DecodedTraces {
  try {
    return type === PROTOBUF ? decodeTracesProtobuf(body) : decodeTracesJson(body.toString('utf8'));
  } catch (err) {
    if (err instanceof OtlpDecodeError) throw new BodyError(400, 'undecodable', `cannot decode ExportTraceServiceRequest: ${err.message}`);
    throw err;
  }
}

/** The google.rpc.Code for a failure's HTTP status. */
const rpcCodeOf = (httpStatus: number) => (httpStatus === 413 ? RpcCode.RESOURCE_EXHAUSTED : httpStatus === 415 ? RpcCode.UNIMPLEMENTED : RpcCode.INVALID_ARGUMENT);

export const otlpTraceReceiver: FastifyPluginAsync<OtlpReceiverOptions> = async (app, options) => {
  const { queue, counters, maxBodyBytes } = options;
  const receiver = 'otlp_traces';

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
    request.log.error({ err: error }, 'OTLP receiver failed');
    void reply.header('retry-after', '5');
    return sendRpcStatus(request, reply, 503, RpcCode.UNAVAILABLE, 'temporarily unavailable');
  });

  app.post('/v1/traces', { config: { scope: 'ingest' }, bodyLimit: maxBodyBytes }, async (request, reply) => {
    const type = mediaType(request);
    try {
      if (type !== PROTOBUF && type !== JSON_TYPE) {
        throw new BodyError(415, 'unsupported_media', `unsupported Content-Type "${type}": use ${PROTOBUF} or ${JSON_TYPE}`);
      }
      const decoded = decode(type, await readBody(request, maxBodyBytes));
      const calls = spansToApiCalls(decoded.spans, options.normalize);
      try {
        await queue.submit({ calls, spans: decoded.spans });
      } catch (err) {
        const overloaded = err instanceof IngestOverloadedError;
        counters.discarded(receiver, overloaded ? 'overloaded' : 'store_unavailable', decoded.spans.length);
        void reply.header('retry-after', String(overloaded ? err.retryAfterSeconds : 5));
        // 503 + Retry-After is the retryable answer OTLP clients back off on; nothing was stored.
        return sendRpcStatus(request, reply, 503, RpcCode.UNAVAILABLE, (err as Error).message);
      }
      counters.accepted(receiver, decoded.spans.length, calls.length);
      if (decoded.rejectedSpans > 0) counters.discarded(receiver, 'invalid_span', decoded.rejectedSpans);
      const message = decoded.errors.join('; ');
      if (type === PROTOBUF) {
        return reply.code(200).type(PROTOBUF).send(Buffer.from(encodeExportResponseProtobuf(decoded.rejectedSpans, message)));
      }
      return reply.code(200).type(JSON_TYPE).send(exportResponseJson(decoded.rejectedSpans, message));
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      counters.discarded(receiver, err.reason, 1);
      return sendRpcStatus(request, reply, err.httpStatus, rpcCodeOf(err.httpStatus), err.message);
    }
  });
};
