// The accepted time window of incoming spans: a span that starts before now − maxAgeMs (a clock
// reset to 1970, a replay of last year) or after now + maxFutureMs (a clock hours ahead) would
// land outside every dashboard window or past retention, so it is refused with a reason instead.
import type { SpanRecord } from '../../store/index.ts';

/** How far from the receiver's clock a span's start may be. */
export interface AcceptedWindow {
  maxAgeMs: number;
  maxFutureMs: number;
  now: () => number;
}

/** Spans inside the window, and a reason for each one outside it. */
export interface WindowSplit {
  kept: SpanRecord[];
  rejected: number;
  errors: string[];
}

const NS_PER_MS = 1_000_000n;

/** Splits spans by their start time; `maxErrors` bounds the reasons kept (every rejection is counted). */
export function splitByWindow(spans: SpanRecord[], window: AcceptedWindow, maxErrors: number): WindowSplit {
  const now = BigInt(Math.floor(window.now()));
  const earliest = (now - BigInt(Math.floor(window.maxAgeMs))) * NS_PER_MS;
  const latest = (now + BigInt(Math.floor(window.maxFutureMs))) * NS_PER_MS;
  const kept: SpanRecord[] = [];
  const errors: string[] = [];
  let rejected = 0;
  for (const span of spans) {
    const start = BigInt(span.startTimeUnixNano);
    if (start >= earliest && start <= latest) {
      kept.push(span);
      continue;
    }
    rejected++;
    if (errors.length < maxErrors) {
      const side = start < earliest ? `more than ${window.maxAgeMs} ms in the past` : `more than ${window.maxFutureMs} ms in the future`;
      errors.push(`span ${span.spanId}: startTimeUnixNano ${span.startTimeUnixNano} is ${side}`);
    }
  }
  return { kept, rejected, errors };
}
