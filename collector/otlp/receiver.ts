// POST /v1/traces: every SERVER span (and every root span with HTTP attributes) becomes an
// ApiCall; all spans are kept for the trace view. The transport is endpoint.ts's.
import type { FastifyPluginAsync } from 'fastify';
import { spansToApiCalls, type NormalizeOptions } from '../normalize.ts';
import { redactSpan } from '../redact.ts';
import { decodeTracesJson, decodeTracesProtobuf, type DecodedTraces } from './decode.ts';
import { registerOtlpEndpoint, type OtlpEndpointOptions } from './endpoint.ts';
import { encodeExportResponseProtobuf, exportResponseJson } from './responses.ts';
import { splitByWindow, type AcceptedWindow } from './time-window.ts';
import { MAX_REPORTED_ERRORS } from './validate-span.ts';

export interface OtlpReceiverOptions extends OtlpEndpointOptions {
  normalize: NormalizeOptions;
  /** Spans starting outside it are rejected (partial success, reason `out_of_window`); absent: any time. */
  acceptedWindow?: AcceptedWindow;
}

export const otlpTraceReceiver: FastifyPluginAsync<OtlpReceiverOptions> = async (app, options) => {
  registerOtlpEndpoint<DecodedTraces>(app, options, {
    path: '/v1/traces',
    receiver: 'otlp_traces',
    requestName: 'ExportTraceServiceRequest',
    decodeProtobuf: decodeTracesProtobuf,
    decodeJson: decodeTracesJson,
    convert: (decoded) => {
      const window = options.acceptedWindow ? splitByWindow(decoded.spans, options.acceptedWindow, MAX_REPORTED_ERRORS) : null;
      const spans = window?.kept ?? decoded.spans;
      const calls = spansToApiCalls(spans, options.normalize);
      // After normalization, which may still take a consumer digest from a credential header.
      for (const span of spans) redactSpan(span);
      const batch = { calls, spans };
      if (window && window.rejected > 0) {
        const errors = [...decoded.errors, ...window.errors].slice(0, MAX_REPORTED_ERRORS);
        return {
          batch, rejected: decoded.rejectedSpans + window.rejected, rejectReason: 'invalid_span', errors,
          rejectedBy: { invalid_span: decoded.rejectedSpans, out_of_window: window.rejected },
        };
      }
      return { batch, rejected: decoded.rejectedSpans, rejectReason: 'invalid_span', errors: decoded.errors };
    },
    responseProtobuf: encodeExportResponseProtobuf,
    responseJson: exportResponseJson,
  });
};
