// What receivers report about their traffic; the server backs it with Prometheus counters.

/** Why input was refused. A fixed set, so metric labels stay bounded. */
export type DiscardReason =
  | 'invalid_span' | 'invalid_line' | 'undecodable' | 'too_large' | 'unsupported_media' | 'overloaded' | 'store_unavailable' | 'rate_limited'
  | 'out_of_window' | 'memory_pressure';

export interface IngestCounters {
  accepted(receiver: string, spans: number, calls: number): void;
  discarded(receiver: string, reason: DiscardReason, items: number): void;
}

/** Counters that count nothing, for tests of pure parts and for tools. */
export const noCounters: IngestCounters = { accepted() {}, discarded() {} };
