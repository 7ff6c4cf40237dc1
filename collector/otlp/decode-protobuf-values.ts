// AnyValue and KeyValue (opentelemetry-proto common.proto) for the protobuf decoder. Nesting
// is bounded: a value deeper than MAX_VALUE_DEPTH is skipped whole (O(1), it is length-delimited)
// and flagged, so its span is rejected rather than the request or the stack.
import type { AttributeValue, Attributes } from '../../store/index.ts';
import { tagOf, VARINT, I64, LEN } from './protobuf-reader.ts';
import type { ProtoReader } from './protobuf-reader.ts';
import { MAX_ATTRIBUTE_VALUE_BYTES, MAX_BYTES_VALUE_LENGTH, MAX_VALUE_DEPTH, TRUNCATION_MARKER, doubleValue, setAttribute } from './validate-span.ts';

/** Records whether a value was too deep to keep; its owner (span or resource) is then rejected. */
export interface DepthState {
  tooDeep: boolean;
}

const KEY_VALUE_KEY = tagOf(1, LEN);
const KEY_VALUE_VALUE = tagOf(2, LEN);
const ANY_STRING = tagOf(1, LEN);
const ANY_BOOL = tagOf(2, VARINT);
const ANY_INT = tagOf(3, VARINT);
const ANY_DOUBLE = tagOf(4, I64);
const ANY_ARRAY = tagOf(5, LEN);
const ANY_KVLIST = tagOf(6, LEN);
const ANY_BYTES = tagOf(7, LEN);
const LIST_VALUES = tagOf(1, LEN);

/** Reads one KeyValue (the reader is at its length prefix) into target; depth is the nesting level of its value. */
export function readKeyValue(r: ProtoReader, target: Attributes, depth: number, state: DepthState): void {
  const outer = r.enter();
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < r.end) {
    const tag = r.readTag();
    if (tag === KEY_VALUE_KEY) key = r.readCachedString();
    else if (tag === KEY_VALUE_VALUE) value = readAnyValue(r, depth, state);
    else r.skip(tag);
  }
  r.leave(outer);
  setAttribute(target, key, value);
}

/**
 * Reads one AnyValue (the reader is at its length prefix). `bytesAsText` reads a top-level
 * bytes_value as UTF-8 (invalid sequences replaced): log bodies from the Collector's filelog
 * receiver with `encoding: nop` are raw line bytes, and a line is what they mean.
 */
export function readAnyValue(r: ProtoReader, depth: number, state: DepthState, bytesAsText = false): AttributeValue {
  const outer = r.enter();
  if (depth > MAX_VALUE_DEPTH) {
    // Skipping the whole value is O(1) because it is length-delimited; nothing deeper is read.
    state.tooDeep = true;
    r.leave(outer);
    return null;
  }
  let value: AttributeValue = null;
  while (r.pos < r.end) {
    const tag = r.readTag();
    switch (tag) {
      case ANY_STRING: {
        const text = r.readCappedString(MAX_ATTRIBUTE_VALUE_BYTES);
        value = r.lastStringTruncated ? text + TRUNCATION_MARKER : text;
        break;
      }
      case ANY_BOOL:
        value = r.readVarint() !== 0;
        break;
      case ANY_INT:
        value = r.readInt64();
        break;
      case ANY_DOUBLE:
        value = doubleValue(r.readDouble());
        break;
      case ANY_ARRAY: {
        const values: AttributeValue[] = [];
        const inner = r.enter();
        while (r.pos < r.end) {
          const field = r.readTag();
          if (field === LIST_VALUES) values.push(readAnyValue(r, depth + 1, state));
          else r.skip(field);
        }
        r.leave(inner);
        value = values;
        break;
      }
      case ANY_KVLIST: {
        const entries: Attributes = {};
        const inner = r.enter();
        while (r.pos < r.end) {
          const field = r.readTag();
          if (field === LIST_VALUES) readKeyValue(r, entries, depth + 1, state);
          else r.skip(field);
        }
        r.leave(inner);
        value = entries;
        break;
      }
      case ANY_BYTES: {
        if (bytesAsText) {
          const text = r.readCappedString(MAX_ATTRIBUTE_VALUE_BYTES);
          value = r.lastStringTruncated ? text + TRUNCATION_MARKER : text;
          break;
        }
        const start = r.skipBytes();
        value = r.pos - start > MAX_BYTES_VALUE_LENGTH
          ? r.base64(start, start + MAX_BYTES_VALUE_LENGTH) + TRUNCATION_MARKER
          : r.base64(start, r.pos);
        break;
      }
      default:
        r.skip(tag);
    }
  }
  r.leave(outer);
  return value;
}
