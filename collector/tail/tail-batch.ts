// A chunk of lines → one store batch: the calls, with ids naming the file and each line's byte
// offset (re-reading the same bytes gives the same ids, so the store drops repeats), and the
// position just after the chunk, committed in the same transaction.
import type { IngestBatch } from '../../store/index.ts';
import type { GatewayFormat } from '../gateway/index.ts';
import { parseGatewayInput, type GatewayContext } from '../gateway-lines.ts';
import type { LineChunk } from './line-buffer.ts';
import { encodePosition, identityKey, type FileIdentity } from './position.ts';

export interface TailBatch {
  batch: IngestBatch;
  /** The offset the batch's cursor saves. */
  end: number;
  rejected: number;
  /** The first rejected line, for the log. */
  firstError: { offset: number; reason: string } | null;
}

export function tailBatch(chunk: LineChunk, identity: FileIdentity, sourceId: string, format: GatewayFormat, context: GatewayContext): TailBatch {
  const key = `${sourceId}:${identityKey(identity)}`;
  const result = parseGatewayInput(chunk.lines, format, context, (i) => `${key}:${chunk.offsets[i]}`);
  const parseError = result.errors[0];
  const tooLong = chunk.tooLong[0];
  const firstError = parseError ? { offset: chunk.offsets[parseError.line - 1] ?? chunk.end, reason: parseError.reason }
    : tooLong !== undefined ? { offset: tooLong, reason: 'line too long' } : null;
  const position = encodePosition({ ...identity, offset: chunk.end });
  return {
    batch: { calls: result.calls, spans: [], cursors: [{ source: sourceId, position }] },
    end: chunk.end,
    rejected: result.rejected + chunk.tooLong.length,
    firstError,
  };
}
