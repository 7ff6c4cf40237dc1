// OTLP/JSON ExportLogsServiceRequest → LogRecordInputs, with the trace decoder's JSON rules: hex
// trace and span ids, int64 times as decimal strings (numbers accepted) kept exact, lowerCamelCase
// keys, unknown fields ignored, the same AnyValue reading and limits.
import { Buffer } from 'node:buffer';
import type { AttributeValue, Attributes } from '../../store/index.ts';
import { OtlpDecodeError } from './errors.ts';
import { anyValue, arrayField, isObject, parseOtlpJson, readAttributes, uint64 } from './decode-json.ts';
import { TOO_DEEP, capString } from './validate-span.ts';
import { LogsCollector } from './decode-logs-records.ts';
import type { DecodedLogs, LogRecordInput } from './decode-logs-records.ts';

const HEX = /^[0-9a-fA-F]+$/;
const ZEROS = /^0+$/;

/** Decodes an OTLP/JSON ExportLogsServiceRequest; throws OtlpDecodeError when it is not one. */
export function decodeLogsJsonRequest(body: string): DecodedLogs {
  const parsed = parseOtlpJson(body);
  const out = new LogsCollector();
  const resourceLogs = arrayField(parsed, 'resourceLogs', 'resourceLogs');
  for (let ri = 0; ri < resourceLogs.length; ri++) {
    const rl = resourceLogs[ri];
    if (!isObject(rl)) throw new OtlpDecodeError(`resourceLogs[${ri}] must be an object`);
    const state = { tooDeep: false };
    const resource: Attributes = {};
    if (isObject(rl.resource)) readAttributes(rl.resource.attributes, resource, state);
    const resourceProblem = state.tooDeep ? `resource ${TOO_DEEP}` : null;
    const scopeLogs = arrayField(rl, 'scopeLogs', `resourceLogs[${ri}].scopeLogs`);
    for (let si = 0; si < scopeLogs.length; si++) {
      const sl = scopeLogs[si];
      if (!isObject(sl)) throw new OtlpDecodeError(`resourceLogs[${ri}].scopeLogs[${si}] must be an object`);
      const records = arrayField(sl, 'logRecords', `resourceLogs[${ri}].scopeLogs[${si}].logRecords`);
      for (let i = 0; i < records.length; i++) {
        const result = resourceProblem ?? readLogRecord(records[i], resource, ri, si, i);
        if (typeof result === 'string') out.reject(ri, si, i, result);
        else out.records.push(result);
      }
    }
  }
  return out.result();
}

/** One record, or the reason it is rejected. */
function readLogRecord(record: unknown, resource: Attributes, resourceIndex: number, scopeIndex: number, recordIndex: number): LogRecordInput | string {
  if (!isObject(record)) return 'logRecord must be an object';
  const time = uint64(record.timeUnixNano);
  if (time === null) return 'timeUnixNano must be an unsigned integer (decimal string or number)';
  const observed = uint64(record.observedTimeUnixNano);
  if (observed === null) return 'observedTimeUnixNano must be an unsigned integer (decimal string or number)';
  const state = { tooDeep: false };
  const attributes: Attributes = {};
  readAttributes(record.attributes, attributes, state);
  // An empty AnyValue (`body: {}`, which the SDK writes for a record without one) is no body.
  const body = record.body === undefined || record.body === null ? undefined : bodyValue(record.body, state) ?? undefined;
  if (state.tooDeep) return TOO_DEEP;
  return {
    resource,
    resourceIndex,
    scopeIndex,
    recordIndex,
    timeUnixNano: time.toString(),
    observedTimeUnixNano: observed.toString(),
    body,
    attributes,
    traceId: hexId(record.traceId, 16),
    spanId: hexId(record.spanId, 8),
  };
}

// A bytes body is a raw line (the filelog receiver's `encoding: nop`); read it as UTF-8 text,
// invalid sequences replaced, as the protobuf decoder does.
function bodyValue(body: unknown, state: { tooDeep: boolean }): AttributeValue {
  if (isObject(body) && typeof body.bytesValue === 'string') return capString(Buffer.from(body.bytesValue, 'base64').toString('utf8'));
  return anyValue(body, 1, state);
}

// Trace context on a log is optional linkage: a malformed id is dropped and the record kept.
function hexId(value: unknown, bytes: number): string | null {
  if (typeof value !== 'string' || value.length !== bytes * 2 || !HEX.test(value) || ZEROS.test(value)) return null;
  return value.toLowerCase();
}
