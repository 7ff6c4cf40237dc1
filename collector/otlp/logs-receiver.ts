// OTLP/HTTP log receiver (POST /v1/logs): access logs from an OpenTelemetry Collector `filelog`
// pipeline or any OTLP log exporter become ApiCalls; ordinary application logs are ignored.
// The transport (encodings, gzip, partial success, Status bodies, 503) is endpoint.ts's.
import type { FastifyPluginAsync } from 'fastify';
import type { LogFormats } from '../log-formats.ts';
import type { RouteBook } from '../route-book.ts';
import { decodeLogsJson, decodeLogsProtobuf, type DecodedLogs } from './decode-logs.ts';
import { registerOtlpEndpoint, type OtlpEndpointOptions } from './endpoint.ts';
import { logRecordsToApiCalls } from './logs-to-calls.ts';
import { encodeLogsExportResponseProtobuf, logsExportResponseJson } from './responses.ts';
import { MAX_REPORTED_ERRORS } from './validate-span.ts';

/** What the log receiver needs from the runtime. */
export interface OtlpLogsReceiverOptions extends OtlpEndpointOptions {
  /** As for spans: the attributes naming the caller. */
  consumerAttributes: readonly string[];
  routes: RouteBook;
  formats: LogFormats;
}

/** POST /v1/logs; registered beside the trace receiver, in its own context. */
export const otlpLogsReceiver: FastifyPluginAsync<OtlpLogsReceiverOptions> = async (app, options) => {
  registerOtlpEndpoint<DecodedLogs>(app, options, {
    path: '/v1/logs',
    receiver: 'otlp_logs',
    requestName: 'ExportLogsServiceRequest',
    decodeProtobuf: decodeLogsProtobuf,
    decodeJson: decodeLogsJson,
    convert: (decoded, request) => {
      const converted = logRecordsToApiCalls(decoded.records, options);
      // Application logs are expected on this path (a pipeline exports everything it reads).
      if (converted.ignored > 0) request.log.debug({ ignored: converted.ignored }, 'OTLP log records that are not access logs ignored');
      return {
        // Log records are not spans: the batch carries calls only, as gateway pushes do.
        batch: { calls: converted.calls, spans: [] },
        rejected: decoded.rejectedLogRecords + converted.rejected,
        rejectReason: 'invalid_line',
        errors: [...decoded.errors, ...converted.errors].slice(0, MAX_REPORTED_ERRORS),
      };
    },
    responseProtobuf: encodeLogsExportResponseProtobuf,
    responseJson: logsExportResponseJson,
  });
};
