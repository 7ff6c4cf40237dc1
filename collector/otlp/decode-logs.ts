// The public face of OTLP log decoding (opentelemetry-proto collector/logs/v1): plain bytes or
// text in, LogRecordInputs and rejection reasons out. Decoding only checks what makes a record
// invalid OTLP; whether a record is an access log is logs-to-calls' business. Records of one
// ResourceLogs share a single `resource` object, so treat them as read-only.
import type { DecodedLogs } from './decode-logs-records.ts';
import { decodeLogsProtobufRequest } from './decode-logs-protobuf.ts';
import { decodeLogsJsonRequest } from './decode-logs-json.ts';

export type { DecodedLogs, LogRecordInput } from './decode-logs-records.ts';
export { logRecordPath } from './decode-logs-records.ts';
export { OtlpDecodeError } from './errors.ts';

/** Decodes a protobuf ExportLogsServiceRequest; broken framing throws OtlpDecodeError. */
export function decodeLogsProtobuf(body: Uint8Array): DecodedLogs {
  return decodeLogsProtobufRequest(body);
}

/** Decodes an OTLP/JSON ExportLogsServiceRequest; a body that is not one throws OtlpDecodeError. */
export function decodeLogsJson(body: string): DecodedLogs {
  return decodeLogsJsonRequest(body);
}
