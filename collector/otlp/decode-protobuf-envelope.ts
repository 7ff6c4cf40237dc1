// The envelope every OTLP export request shares on the wire:
// Export*ServiceRequest{1: Resource*{1: Resource{1: attributes}, 2: Scope*{2: item}}}.
// Traces and logs differ only in their items, so they share this walk.
import type { Attributes } from '../../store/index.ts';
import { tagOf, LEN, type ProtoReader } from './protobuf-reader.ts';
import { readKeyValue, type DepthState } from './decode-protobuf-values.ts';
import { MAX_ATTRIBUTES, TOO_DEEP } from './validate-span.ts';

const REQUEST_RESOURCES = tagOf(1, LEN);
const RESOURCE_RESOURCE = tagOf(1, LEN);
const RESOURCE_SCOPES = tagOf(2, LEN);
const RESOURCE_ATTRIBUTES = tagOf(1, LEN);
const SCOPE_ITEMS = tagOf(2, LEN);

/**
 * Called with the reader at an item's length prefix. Positional arguments, not an object:
 * this runs once per span or record on the ingest hot path.
 */
export type ReadItem = (resource: Attributes, resourceProblem: string | null, resourceIndex: number, scopeIndex: number, itemIndex: number) => void;

/** Walks a whole export request, handing each item to `readItem`; broken framing throws OtlpDecodeError. */
export function walkExportRequest(r: ProtoReader, depth: DepthState, readItem: ReadItem): void {
  let resourceIndex = 0;
  while (r.pos < r.end) {
    const tag = r.readTag();
    if (tag === REQUEST_RESOURCES) walkResource(r, depth, resourceIndex++, readItem);
    else r.skip(tag);
  }
}

function walkResource(r: ProtoReader, depth: DepthState, resourceIndex: number, readItem: ReadItem): void {
  const outer = r.enter();
  const resource: Attributes = {};
  let resourceAttributeCount = 0;
  // Field order is not guaranteed on the wire, and every item needs its resource, so scopes
  // are remembered as byte ranges and walked once the whole resource is known.
  const scopes: number[] = [];
  depth.tooDeep = false;
  while (r.pos < r.end) {
    const tag = r.readTag();
    if (tag === RESOURCE_RESOURCE) {
      const inner = r.enter();
      while (r.pos < r.end) {
        const field = r.readTag();
        if (field === RESOURCE_ATTRIBUTES && resourceAttributeCount < MAX_ATTRIBUTES) {
          resourceAttributeCount++;
          readKeyValue(r, resource, 1, depth);
        } else r.skip(field);
      }
      r.leave(inner);
    } else if (tag === RESOURCE_SCOPES) {
      const start = r.skipBytes();
      scopes.push(start, r.pos);
    } else r.skip(tag);
  }
  const end = r.end;
  const resourceProblem = depth.tooDeep ? `resource ${TOO_DEEP}` : null;
  for (let i = 0; i < scopes.length; i += 2) {
    r.pos = scopes[i]!;
    r.end = scopes[i + 1]!;
    let itemIndex = 0;
    while (r.pos < r.end) {
      const tag = r.readTag();
      if (tag === SCOPE_ITEMS) readItem(resource, resourceProblem, resourceIndex, i / 2, itemIndex++);
      else r.skip(tag);
    }
  }
  r.end = end;
  r.leave(outer);
}
