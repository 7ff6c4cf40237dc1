// POST /v1/traces: every SERVER span (and every root span with HTTP attributes) becomes an
// ApiCall; all spans are kept for the trace view. The transport is endpoint.ts's.
import type { FastifyPluginAsync } from 'fastify';
import { spansToApiCalls, type NormalizeOptions } from '../normalize.ts';
import { redactSpan } from '../redact.ts';
import { decodeTracesJson, decodeTracesProtobuf, type DecodedTraces } from './decode.ts';
import { registerOtlpEndpoint, type OtlpEndpointOptions } from './endpoint.ts';
import { encodeExportResponseProtobuf, exportResponseJson } from './responses.ts';

export interface OtlpReceiverOptions extends OtlpEndpointOptions {
  normalize: NormalizeOptions;
}

export const otlpTraceReceiver: FastifyPluginAsync<OtlpReceiverOptions> = async (app, options) => {
  registerOtlpEndpoint<DecodedTraces>(app, options, {
    path: '/v1/traces',
    receiver: 'otlp_traces',
    requestName: 'ExportTraceServiceRequest',
    decodeProtobuf: decodeTracesProtobuf,
    decodeJson: decodeTracesJson,
    convert: (decoded) => {
      const calls = spansToApiCalls(decoded.spans, options.normalize);
      // After normalization, which may still take a consumer digest from a credential header.
      for (const span of decoded.spans) redactSpan(span);
      return { batch: { calls, spans: decoded.spans }, rejected: decoded.rejectedSpans, rejectReason: 'invalid_span', errors: decoded.errors };
    },
    responseProtobuf: encodeExportResponseProtobuf,
    responseJson: exportResponseJson,
  });
};
