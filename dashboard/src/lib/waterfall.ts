// Waterfall layout: where each span's bar sits, which rows are hidden under a collapsed parent,
// which colour each service gets, and the time axis ticks. The API already gives spans in
// waterfall order (parents before children) with depth and offset; this turns them into
// percentages a component can render without doing any arithmetic.
import { formatMs } from './format.ts';

export interface WaterfallSpanInput {
  spanId: string;
  parentSpanId: string | null;
  service: string;
  name: string;
  depth: number;
  /** Milliseconds from the trace start. */
  offsetMs: number;
  durationMs: number;
  /** OTLP status: 2 is ERROR. */
  statusCode: number;
  attributes?: Record<string, unknown>;
}

export interface WaterfallRow<S extends WaterfallSpanInput = WaterfallSpanInput> {
  span: S;
  /** Bar start and width as percentages of the trace duration. */
  leftPct: number;
  widthPct: number;
  colorIndex: number;
  error: boolean;
  childCount: number;
  collapsed: boolean;
}

export interface WaterfallTick {
  pct: number;
  label: string;
}

export interface WaterfallLayout<S extends WaterfallSpanInput = WaterfallSpanInput> {
  rows: Array<WaterfallRow<S>>;
  services: Array<{ service: string; colorIndex: number }>;
  ticks: WaterfallTick[];
  totalMs: number;
}

/** Distinct colours before they repeat; the stylesheet defines --svc-0 … --svc-9. */
export const SERVICE_COLORS = 10;
/** A bar never narrower than this, so a 1 µs span is still visible and clickable. */
export const MIN_BAR_PCT = 0.3;

/** A span failed: OTLP status ERROR, or an HTTP server error recorded on it. */
export function isErrorSpan(span: WaterfallSpanInput): boolean {
  if (span.statusCode === 2) return true;
  const status = span.attributes?.['http.response.status_code'] ?? span.attributes?.['http.status_code'];
  return typeof status === 'number' ? status >= 500 : typeof status === 'string' && /^5\d\d$/.test(status);
}

/** Tick spacing of 1, 2 or 5 × 10^k giving about `target` ticks over `totalMs`. */
export function tickStepMs(totalMs: number, target = 5): number {
  if (totalMs <= 0) return 1;
  const raw = totalMs / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  return step ?? 10 * magnitude;
}

export function layoutWaterfall<S extends WaterfallSpanInput>(spans: readonly S[], traceDurationMs: number, collapsed: ReadonlySet<string> = new Set()): WaterfallLayout<S> {
  // The trace's own duration can be shorter than a child that ends late (clock skew between
  // services): scale to whichever is longer so no bar runs off the edge.
  const totalMs = Math.max(traceDurationMs, ...spans.map((s) => s.offsetMs + s.durationMs), 0);

  const colorOf = new Map<string, number>();
  for (const span of spans) if (!colorOf.has(span.service)) colorOf.set(span.service, colorOf.size % SERVICE_COLORS);

  const childCount = new Map<string, number>();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const span of spans) {
    if (span.parentSpanId && ids.has(span.parentSpanId)) childCount.set(span.parentSpanId, (childCount.get(span.parentSpanId) ?? 0) + 1);
  }

  const rows: Array<WaterfallRow<S>> = [];
  // Spans arrive depth-first, so a collapsed span hides the following rows deeper than it.
  let hideDeeperThan: number | null = null;
  for (const span of spans) {
    if (hideDeeperThan !== null) {
      if (span.depth > hideDeeperThan) continue;
      hideDeeperThan = null;
    }
    const isCollapsed = collapsed.has(span.spanId) && (childCount.get(span.spanId) ?? 0) > 0;
    if (isCollapsed) hideDeeperThan = span.depth;
    let leftPct = totalMs > 0 ? (span.offsetMs / totalMs) * 100 : 0;
    let widthPct = totalMs > 0 ? (span.durationMs / totalMs) * 100 : 100;
    leftPct = clamp(leftPct, 0, 100);
    widthPct = clamp(widthPct, MIN_BAR_PCT, 100);
    if (leftPct + widthPct > 100) leftPct = 100 - widthPct;
    rows.push({
      span, leftPct, widthPct, colorIndex: colorOf.get(span.service) ?? 0, error: isErrorSpan(span),
      childCount: childCount.get(span.spanId) ?? 0, collapsed: isCollapsed,
    });
  }

  const ticks: WaterfallTick[] = [];
  if (totalMs > 0) {
    const step = tickStepMs(totalMs);
    for (let t = 0; t <= totalMs + 1e-9; t += step) ticks.push({ pct: (t / totalMs) * 100, label: formatMs(t) });
  }
  return { rows, services: [...colorOf].map(([service, colorIndex]) => ({ service, colorIndex })), ticks, totalMs };
}

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** OTLP nanosecond timestamps (int64 as decimal strings) to epoch ms, exact to the microsecond. */
export function nanosToMs(nanos: string): number {
  if (!/^\d+$/.test(nanos)) return Number.NaN;
  const micros = nanos.length > 3 ? nanos.slice(0, -3) : '0';
  return Number(micros) / 1000;
}

export const SPAN_KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'] as const;

export function spanKindName(kind: number): string {
  return SPAN_KINDS[kind] ?? `kind ${kind}`;
}

/** Attributes as sorted [key, value] pairs, so the same span always reads the same way. */
export function sortedEntries(attributes: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
}
