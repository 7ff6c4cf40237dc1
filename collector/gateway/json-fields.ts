// Reading fields out of decoded JSON records. Gateways are loose about types (AWS writes every
// `$context` value as a string, `-` when unset; Envoy writes null), so every reader here accepts
// the spellings gateways use and says "absent" (undefined / null) rather than guessing.
import { LINE_TOO_LONG, MAX_LINE_LENGTH, reject } from './types.ts';
import type { ParseResult } from './types.ts';
import { clfTimeAt, epochToMs, isoTimeAt } from './time.ts';

/** A decoded JSON object. */
export type JsonObject = Record<string, unknown>;

// Anchored and without nested quantifiers, and only ever run on short strings: linear.
const NUMERIC = /^\s*-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;
const MAX_NUMERIC_LENGTH = 40;

/** True for a plain JSON object (not an array, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON.parse, then the record parser; a JSON format's parseLine. */
export function parseJsonLine(line: string, parseRecord: (value: unknown) => ParseResult): ParseResult {
  if (line.length > MAX_LINE_LENGTH) return LINE_TOO_LONG;
  if (line.length === 0) return reject('empty line');
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return reject('not valid JSON');
  }
  return parseRecord(value);
}

/** The object at `key`, or null. */
export function objectAt(record: JsonObject | null, key: string): JsonObject | null {
  const value = record?.[key];
  return isObject(value) ? value : null;
}

/** A non-empty string (numbers are written out); null for absent, empty or `-`. Header arrays give their first value. */
export function stringOf(value: unknown): string | null {
  if (Array.isArray(value)) return value.length > 0 ? stringOf(value[0]) : null;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : null;
  if (typeof value !== 'string' || value === '' || value === '-') return null;
  return value;
}

/** The string at `key` (see stringOf). */
export function stringAt(record: JsonObject | null, key: string): string | null {
  return record === null ? null : stringOf(record[key]);
}

/** A number, or a string holding one; undefined when absent (`-`, '', null), NaN when not a number. */
export function numberOf(value: unknown): number | undefined {
  if (value === undefined || value === null || value === '' || value === '-') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : NaN;
  if (typeof value === 'string' && value.length <= MAX_NUMERIC_LENGTH && NUMERIC.test(value)) return Number(value);
  return NaN;
}

/** An HTTP status: an integer 0–999, as a number or a string; undefined when absent, NaN when invalid. */
export function statusOf(value: unknown): number | undefined {
  const status = numberOf(value);
  if (status === undefined || Number.isNaN(status)) return status;
  return Number.isInteger(status) && status >= 0 && status <= 999 ? status : NaN;
}

/**
 * A timestamp: an epoch number (seconds to nanoseconds, see epochToMs) or a numeric string, an
 * ISO-8601 string, or the access-log form `26/Nov/2026:10:00:00 +0000`. Undefined when absent.
 */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'string') {
    if (value === '' || value === '-') return undefined;
    if (value.length <= MAX_NUMERIC_LENGTH && NUMERIC.test(value)) return epochToMs(Number(value));
    return value.length === 26 && value.charCodeAt(2) === 0x2f ? clfTimeAt(value, 0, 26) : isoTimeAt(value, 0, value.length);
  }
  const epoch = numberOf(value);
  return epoch === undefined ? undefined : epochToMs(epoch);
}

/**
 * Reads a dotted path (`request.headers.user-agent`). A key that itself holds dots
 * (`"http.method"`) is tried whole first, at the top level, since loggers flatten that way.
 */
export function pathReader(path: string): (record: JsonObject) => unknown {
  const keys = path.split('.');
  if (keys.length === 1) return (record) => record[path];
  return (record) => {
    if (path in record) return record[path];
    let value: unknown = record;
    for (const key of keys) {
      if (!isObject(value)) return undefined;
      value = value[key];
    }
    return value;
  };
}

/** The units gateways log durations in. */
export type DurationUnit = 'ms' | 's' | 'us' | 'ns';

/**
 * A duration in ms, null when absent or negative (Kong logs -1 for "no upstream"), NaN when not
 * a number. Sub-ms units are divided, not multiplied by 1e-6, so 123456789 ns is exactly 123.456789.
 */
export function durationOf(value: unknown, unit: DurationUnit): number | null {
  const number = numberOf(value);
  if (number === undefined || number < 0) return null;
  switch (unit) {
    case 'ms':
      return number;
    case 's':
      // Rounded to the microsecond so 1.005 s is 1005 ms, not 1004.9999999999999.
      return Math.round(number * 1e6) / 1e3;
    case 'us':
      return number / 1e3;
    default:
      return number / 1e6;
  }
}

/** A byte count or similar: a non-negative number, else null (a bad size is not worth rejecting a call over). */
export function countOf(value: unknown): number | null {
  const number = numberOf(value);
  return number === undefined || !(number >= 0) ? null : number;
}
