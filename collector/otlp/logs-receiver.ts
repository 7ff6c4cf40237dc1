// OTLP/HTTP log receiver (POST /v1/logs): access logs from an OpenTelemetry Collector `filelog`
// pipeline or any OTLP log exporter become ApiCalls. The transport is the trace receiver's:
// protobuf or JSON on one path, gzip, the answer in the request's encoding, partial success for
// rejected records, google.rpc.Status bodies, 503 + Retry-After when the queue refuses.
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import type { IngestCounters } from '../counters.ts';
import { BodyError, mediaType, readBody } from '../http-body.ts';
import { IngestOverloadedError, type IngestQueue } from '../ingest-queue.ts';
import type { LogFormats } from '../log-formats.ts';
import type { RouteBook } from '../route-book.ts';
import { decodeLogsJson, decodeLogsProtobuf, OtlpDecodeError, type DecodedLogs } from './decode-logs.ts';
import { logRecordsToApiCalls } from './logs-to-calls.ts';
import { RpcCode, sendRpcStatus } from './receiver.ts';
import { encodeLogsExportResponseProtobuf, logsExportResponseJson } from './responses.ts';
import { MAX_REPORTED_ERRORS } from './validate-span.ts';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

/** What the log receiver needs from the runtime. */
export interface OtlpLogsReceiverOptions {
  queue: IngestQueue;
  counters: IngestCounters;
  /** Limit on the decompressed body (OTLP recommends 20 MiB); 413 above it. */
  maxBodyBytes: number;
  /** As for spans: the attributes naming the caller. */
  consumerAttributes: readonly string[];
  routes: RouteBook;
  formats: LogFormats;
}

function decode(type: string, body: Buffer): DecodedLogs {
  try {
    return type === PROTOBUF ? decodeLogsProtobuf(body) : decodeLogsJson(body.toString('utf8'));
  } catch (err) {
    if (err instanceof OtlpDecodeError) throw new BodyError(400, 'undecodable', `cannot decode ExportLogsServiceRequest: ${err.message}`);
    throw err;
  }
}

const rpcCodeOf = (httpStatus: number) => (httpStatus === 413 ? RpcCode.RESOURCE_EXHAUSTED : httpStatus === 415 ? RpcCode.UNIMPLEMENTED : RpcCode.INVALID_ARGUMENT);

/** POST /v1/logs; registered beside the trace receiver, in its own context (its own body parser and error handler). */
export const otlpLogsReceiver: FastifyPluginAsync<OtlpLogsReceiverOptions> = async (app, options) => {
  const { queue, counters, maxBodyBytes } = options;
  const receiver = 'otlp_logs';

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
    // Whatever broke, the client should retry later rather than drop its logs.
    request.log.error({ err: error }, 'OTLP log receiver failed');
    void reply.header('retry-after', '5');
    return sendRpcStatus(request, reply, 503, RpcCode.UNAVAILABLE, 'temporarily unavailable');
  });

  app.post('/v1/logs', { config: { scope: 'ingest' }, bodyLimit: maxBodyBytes }, async (request, reply) => {
    const type = mediaType(request);
    try {
      if (type !== PROTOBUF && type !== JSON_TYPE) {
        throw new BodyError(415, 'unsupported_media', `unsupported Content-Type "${type}": use ${PROTOBUF} or ${JSON_TYPE}`);
      }
      const decoded = decode(type, await readBody(request, maxBodyBytes));
      const converted = logRecordsToApiCalls(decoded.records, options);
      const { calls } = converted;
      try {
        await queue.submit({ calls, spans: [] });
      } catch (err) {
        const overloaded = err instanceof IngestOverloadedError;
        counters.discarded(receiver, overloaded ? 'overloaded' : 'store_unavailable', calls.length);
        void reply.header('retry-after', String(overloaded ? err.retryAfterSeconds : 5));
        // 503 + Retry-After is the retryable answer OTLP clients back off on; nothing was stored.
        return sendRpcStatus(request, reply, 503, RpcCode.UNAVAILABLE, (err as Error).message);
      }
      // Log records are not spans: the spans count stays 0, as for gateway pushes.
      counters.accepted(receiver, 0, calls.length);
      const rejected = decoded.rejectedLogRecords + converted.rejected;
      if (rejected > 0) counters.discarded(receiver, 'invalid_line', rejected);
      // Application logs are expected on this path (a pipeline exports everything it reads).
      if (converted.ignored > 0) request.log.debug({ ignored: converted.ignored }, 'OTLP log records that are not access logs ignored');
      const message = [...decoded.errors, ...converted.errors].slice(0, MAX_REPORTED_ERRORS).join('; ');
      if (type === PROTOBUF) {
        return reply.code(200).type(PROTOBUF).send(Buffer.from(encodeLogsExportResponseProtobuf(rejected, message)));
      }
      return reply.code(200).type(JSON_TYPE).send(logsExportResponseJson(rejected, message));
    } catch (err) {
      if (!(err instanceof BodyError)) throw err;
      counters.discarded(receiver, err.reason, 1);
      return sendRpcStatus(request, reply, err.httpStatus, rpcCodeOf(err.httpStatus), err.message);
    }
  });
};
