// Keeps the per-trace summary rows in step with the spans written in the same transaction.
import type Database from 'better-sqlite3';
import type { SpanRecord } from '../types.ts';

interface TraceDelta {
  traceId: string;
  startNs: bigint;
  endNs: bigint;
  spans: number;
  errors: number;
  rootRank: number;
  rootStartNs: bigint;
  rootSpanId: string;
  rootService: string;
  rootName: string;
}

const hasParent = (span: SpanRecord): boolean => span.parentSpanId !== null && span.parentSpanId !== '';

function isBetterRoot(rank: number, startNs: bigint, spanId: string, than: TraceDelta): boolean {
  if (rank !== than.rootRank) return rank < than.rootRank;
  if (startNs !== than.rootStartNs) return startNs < than.rootStartNs;
  return spanId < than.rootSpanId;
}

/** Per-trace summaries of newly inserted spans, ready to merge into the stored rows. */
export function summarizeSpans(spans: readonly SpanRecord[]): TraceDelta[] {
  const deltas = new Map<string, TraceDelta>();
  for (const span of spans) {
    const startNs = BigInt(span.startTimeUnixNano);
    const endNs = BigInt(span.endTimeUnixNano);
    const rank = hasParent(span) ? 1 : 0;
    const errors = span.statusCode === 2 ? 1 : 0;
    const delta = deltas.get(span.traceId);
    if (!delta) {
      deltas.set(span.traceId, {
        traceId: span.traceId, startNs, endNs, spans: 1, errors,
        rootRank: rank, rootStartNs: startNs, rootSpanId: span.spanId, rootService: span.service, rootName: span.name,
      });
      continue;
    }
    if (startNs < delta.startNs) delta.startNs = startNs;
    if (endNs > delta.endNs) delta.endNs = endNs;
    delta.spans += 1;
    delta.errors += errors;
    if (isBetterRoot(rank, startNs, span.spanId, delta)) {
      Object.assign(delta, { rootRank: rank, rootStartNs: startNs, rootSpanId: span.spanId, rootService: span.service, rootName: span.name });
    }
  }
  return [...deltas.values()];
}

export function createTraceSummaryWriter(db: Database.Database): (spans: readonly SpanRecord[]) => void {
  // Every right-hand side reads the row as it was before the update, so the root
  // comparison sees the old root, not a half-updated one.
  const betterRoot = '(excluded.root_rank, excluded.root_start_ns, excluded.root_span_id) < (root_rank, root_start_ns, root_span_id)';
  const rootColumns = ['root_rank', 'root_start_ns', 'root_span_id', 'root_service', 'root_name'];
  const upsert = db.prepare(
    `INSERT INTO traces (trace_id, start_ns, end_ns, span_count, error_count, ${rootColumns.join(', ')})
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (trace_id) DO UPDATE SET
       start_ns = min(start_ns, excluded.start_ns),
       end_ns = max(end_ns, excluded.end_ns),
       span_count = span_count + excluded.span_count,
       error_count = error_count + excluded.error_count,
       ${rootColumns.map((c) => `${c} = CASE WHEN ${betterRoot} THEN excluded.${c} ELSE ${c} END`).join(',\n       ')}`,
  );
  return (spans) => {
    for (const d of summarizeSpans(spans)) {
      upsert.run(d.traceId, d.startNs, d.endNs, d.spans, d.errors, d.rootRank, d.rootStartNs, d.rootSpanId, d.rootService, d.rootName);
    }
  };
}
