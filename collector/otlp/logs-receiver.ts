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
import type { AcceptedWindow } from './time-window.ts';

/** What the log receiver needs from the runtime. */
export interface OtlpLogsReceiverOptions extends OtlpEndpointOptions {
  /** As for spans: the attributes naming the caller. */
  consumerAttributes: readonly string[];
  routes: RouteBook;
  formats: LogFormats;
  /** Records timed outside it are rejected (partial success, reason `out_of_window`); absent: any time. */
  acceptedWindow?: AcceptedWindow;
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
      const window = options.acceptedWindow;
      const invalid = decoded.rejectedLogRecords + converted.rejected;
      const errors = [...decoded.errors, ...converted.errors];
      let calls = converted.calls;
      let outside = 0;
      if (window) {
        const now = window.now();
        const [earliest, latest] = [now - window.maxAgeMs, now + window.maxFutureMs];
        calls = calls.filter((call) => {
          if (call.timeUnixMs >= earliest && call.timeUnixMs <= latest) return true;
          outside += 1;
          errors.push(`log record at ${new Date(call.timeUnixMs).toISOString()}: outside the accepted time window`);
          return false;
        });
      }
      return {
        // Log records are not spans: the batch carries calls only, as gateway pushes do.
        batch: { calls, spans: [] },
        rejected: invalid + outside,
        rejectReason: 'invalid_line',
        errors: errors.slice(0, MAX_REPORTED_ERRORS),
        ...(outside > 0 ? { rejectedBy: { invalid_line: invalid, out_of_window: outside } } : {}),
      };
    },
    responseProtobuf: encodeLogsExportResponseProtobuf,
    responseJson: logsExportResponseJson,
  });
};
