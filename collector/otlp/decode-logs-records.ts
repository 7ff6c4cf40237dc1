// The decoded shape of OTLP log records and the rejection bookkeeping both log decoders share,
// kept apart from the public face so the decoders import it without a cycle.
import type { AttributeValue, Attributes } from '../../store/index.ts';
import { MAX_REPORTED_ERRORS } from './validate-span.ts';

/** One OTLP LogRecord with what Telltale reads of it (severity, flags and the scope are not used). */
export interface LogRecordInput {
  /** Resource attributes, one object shared by every record of the ResourceLogs. */
  resource: Attributes;
  /** Positions in the request, for rejection messages and per-resource format detection. */
  resourceIndex: number;
  scopeIndex: number;
  recordIndex: number;
  /** Unsigned decimal nanoseconds; `0` when unset. */
  timeUnixNano: string;
  observedTimeUnixNano: string;
  /** The body AnyValue (bytes bodies read as UTF-8 text); undefined when the record has none or an empty one. */
  body: AttributeValue | undefined;
  attributes: Attributes;
  /** Lower-case hex, or null when absent, all zero or of the wrong length (the record is kept). */
  traceId: string | null;
  spanId: string | null;
}

/** What one decoded ExportLogsServiceRequest yields. */
export interface DecodedLogs {
  records: LogRecordInput[];
  /** Records dropped as invalid OTLP. */
  rejectedLogRecords: number;
  /** At most MAX_REPORTED_ERRORS short human reasons. */
  errors: string[];
}

/** Where a record sits, as rejection messages name it. */
export function logRecordPath(resourceIndex: number, scopeIndex: number, recordIndex: number): string {
  return `resourceLogs[${resourceIndex}].scopeLogs[${scopeIndex}].logRecords[${recordIndex}]`;
}

/** Collects decoded records and rejection reasons while a request is walked. */
export class LogsCollector {
  readonly records: LogRecordInput[] = [];
  rejectedLogRecords = 0;
  readonly errors: string[] = [];

  /** Counts one rejected record; the reason is kept only while fewer than MAX_REPORTED_ERRORS are held. */
  reject(resourceIndex: number, scopeIndex: number, recordIndex: number, reason: string): void {
    this.rejectedLogRecords++;
    if (this.errors.length < MAX_REPORTED_ERRORS) this.errors.push(`${logRecordPath(resourceIndex, scopeIndex, recordIndex)}: ${reason}`);
  }

  /** The request's result. */
  result(): DecodedLogs {
    return { records: this.records, rejectedLogRecords: this.rejectedLogRecords, errors: this.errors };
  }
}
