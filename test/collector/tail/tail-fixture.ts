// A real SQLite store and ingest queue in a temp dir, tailers on files in it, and what they
// reported (counters, logs); everything torn down with the test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { IngestQueue } from '../../../collector/ingest-queue.ts';
import { LogFormats } from '../../../collector/log-formats.ts';
import { RouteBook } from '../../../collector/route-book.ts';
import type { IngestCounters } from '../../../collector/counters.ts';
import { LogTailer, type LogTailerOptions, type TailLogger } from '../../../collector/tail/index.ts';
import { openSqliteStore, type ApiCall, type Store } from '../../../store/index.ts';

export interface LogEntry {
  level: 'info' | 'warn';
  obj: Record<string, unknown>;
  msg: string;
}

export interface TailFixture {
  dir: string;
  store: Store;
  queue: IngestQueue;
  routes: RouteBook;
  formats: LogFormats;
  counters: IngestCounters & { calls: number; rejected: number };
  logs: LogEntry[];
  logger: TailLogger;
  /** A started tailer on `path`, closed with the test (closing it earlier is fine). */
  tail(path: string, options?: Partial<LogTailerOptions>): Promise<LogTailer>;
  /** Calls in the store, counted from rollups (which only count rows actually inserted). */
  stored(): Promise<number>;
  /**
   * Waits until the tailers counted `n` calls and the store holds them, then checks both are
   * exactly `n`: a line read twice would be counted twice even though the store drops the repeat.
   */
  allStored(n: number, what: string, timeoutMs?: number): Promise<void>;
  /** Raw calls in the store, oldest first. */
  calls(): Promise<ApiCall[]>;
}

export async function tailFixture(t: TestContext, options: { maxQueuedItems?: number } = {}): Promise<TailFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-tail-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  const queue = new IngestQueue({ store, maxQueuedItems: options.maxQueuedItems ?? 200_000 });
  const routes = new RouteBook({ maxRoutesPerService: 500 });
  const formats = new LogFormats();
  const logs: LogEntry[] = [];
  const logger: TailLogger = {
    info: (obj, msg) => logs.push({ level: 'info', obj: obj as Record<string, unknown>, msg }),
    warn: (obj, msg) => logs.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }),
  };
  const counters = {
    calls: 0,
    rejected: 0,
    accepted(receiver: string, _spans: number, calls: number) {
      if (receiver === 'gateway_tail') counters.calls += calls;
    },
    discarded(receiver: string, reason: string, items: number) {
      if (receiver === 'gateway_tail' && reason === 'invalid_line') counters.rejected += items;
    },
  };
  const tailers: LogTailer[] = [];
  t.after(async () => {
    await Promise.all(tailers.map((x) => x.close()));
    await queue.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const window = () => ({ fromMs: 0, toMs: Date.now() + 24 * 3600_000 });
  const stored = async () => {
    const rows = await store.aggregate({ ...window(), filter: {}, groupBy: [] });
    return rows.reduce((n, r) => n + r.agg.calls, 0);
  };
  return {
    dir, store, queue, routes, formats, counters, logs, logger,
    async tail(path, overrides = {}) {
      const tailer = new LogTailer({
        path,
        format: formats.create('nginx-timed'),
        context: { service: 'shop', routes, consumerFrom: 'log' },
        store, queue, counters, logger,
        pollIntervalMs: 50,
        rotationGraceMs: 200,
        retryInitialMs: 50,
        retryMaxMs: 200,
        ...overrides,
      });
      tailers.push(tailer);
      await tailer.start();
      return tailer;
    },
    stored,
    async allStored(n, what, timeoutMs) {
      // The counter moves after the commit is acknowledged, so it is the one to wait for.
      await waitUntil(`${what} (${n} calls)`, async () => counters.calls >= n && (await stored()) >= n, timeoutMs);
      assert.equal(await stored(), n, what);
      assert.equal(counters.calls, n, `${what}: no line read twice`);
    },
    async calls() {
      const calls = await store.calls({ ...window(), filter: {}, order: 'recent', limit: 1_000_000 });
      return calls.reverse();
    },
  };
}

/** Polls `check` until it returns true; fails with `what` (and the last value seen) at the deadline. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lines joined with newlines, each terminated. */
export const text = (lines: readonly string[]) => lines.map((l) => `${l}\n`).join('');

/** A start time two hours back, on a whole second, so generated lines land inside any recent window. */
export const startSecond = () => Math.floor((Date.now() - 2 * 3600_000) / 1000) * 1000;
