// Shared by the bad-input corpus: a Telltale with the config knobs the corpus needs (the
// accepted time window, the memory watermark), and the four things every case asserts —
// status, body, that the good part was kept, and that the discard counter moved.
import { after, type TestContext } from 'node:test';
import type { AppDeps } from '../../server/app.ts';
import { startTelltale, type TestTelltale } from '../helpers/telltale.ts';

export type ExtraConfig = Partial<Pick<AppDeps['config'], 'ingestMaxAgeMs' | 'ingestMaxFutureMs' | 'ingestMemoryMaxBytes' | 'checksAllowPrivate' | 'ingestQueueMax' | 'ingestTimeoutMs'>>;

/** The shared helper's Telltale with the extra config the corpus needs; `t` may be node:test's `after` holder (one per file, for speed). */
export function startCorpusTelltale(t: Pick<TestContext, 'after'>, extra: ExtraConfig = {}, now: () => number = Date.now): Promise<TestTelltale> {
  return startTelltale(t, { now, config: extra });
}

/** Every telltale_ingest_discarded_total series as `receiver/reason` → value, read over /metrics like a scraper. */
export async function discardCounters(telltale: TestTelltale): Promise<Map<string, number>> {
  const response = await fetch(`${telltale.url}/metrics`, { headers: { authorization: `Bearer ${telltale.tokens.read}` } });
  const text = await response.text();
  const counters = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^telltale_ingest_discarded_total\{(.*)\} (\S+)$/.exec(line);
    if (!match) continue;
    const receiver = /receiver="([^"]*)"/.exec(match[1]!)?.[1];
    const reason = /reason="([^"]*)"/.exec(match[1]!)?.[1];
    counters.set(`${receiver}/${reason}`, Number(match[2]));
  }
  return counters;
}

/** How each discard counter moved between two readings, only the ones that did. */
export function moved(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [key, value] of after) {
    const d = value - (before.get(key) ?? 0);
    if (d !== 0) delta[key] = d;
  }
  return delta;
}

const fileTeardowns: (() => unknown)[] = [];
// Registered while the test file is loaded, so it belongs to the file, not to whichever test runs first.
after(async () => {
  for (const fn of fileTeardowns.reverse()) await fn();
});

/** A test context whose teardown runs after the file's last test. */
export const fileScope: Pick<TestContext, 'after'> = { after: (fn) => void fileTeardowns.push(fn as () => unknown) };

/** Runs `act` and returns what it returned plus how the discard counters moved meanwhile. */
export async function measured<T>(telltale: TestTelltale, act: () => Promise<T>): Promise<{ result: T; discards: Record<string, number> }> {
  const before = await discardCounters(telltale);
  const result = await act();
  return { result, discards: moved(before, await discardCounters(telltale)) };
}
