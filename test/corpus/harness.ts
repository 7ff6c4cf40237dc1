// Shared by the bad-input corpus: a Telltale with the config knobs the corpus needs (the
// accepted time window, the memory watermark), and the four things every case asserts —
// status, body, that the good part was kept, and that the discard counter moved.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openSqliteControlStore, openSqliteStore, type TokenScope } from '../../store/index.ts';
import { buildApp, buildOtlpApp, createRuntime, type AppDeps } from '../../server/app.ts';
import { createToken } from '../../server/auth/tokens.ts';
import { createMetrics } from '../../server/metrics.ts';
import { BOOTSTRAP_TOKEN, type TestTelltale } from '../helpers/telltale.ts';

export type ExtraConfig = Partial<Pick<AppDeps['config'], 'ingestMaxAgeMs' | 'ingestMaxFutureMs' | 'ingestMemoryMaxBytes' | 'checksAllowPrivate' | 'ingestQueueMax'>>;

/** The shared helper's Telltale, with extra config it does not take; `t.after` may be node:test's `after` (one per file, for speed). */
export async function startCorpusTelltale(t: Pick<TestContext, 'after'>, extra: ExtraConfig = {}, now: () => number = Date.now): Promise<TestTelltale> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-corpus-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  const control = await openSqliteControlStore({ file: join(dir, 'telltale.db') });
  const runtime = createRuntime({
    config: {
      bootstrapToken: BOOTSTRAP_TOKEN, maxBodyBytes: 20 * 1024 * 1024, ingestQueueMax: 200_000, consumerAttributes: ['enduser.id'],
      publicUrl: 'http://localhost', logLevel: 'silent', maxRoutesPerService: 500, dataDir: dir, ...extra,
    },
    store, control, metrics: createMetrics(), now,
  });
  const app = await buildApp(runtime);
  const otlpApp = await buildOtlpApp(runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  await otlpApp.listen({ port: 0, host: '127.0.0.1' });
  t.after(async () => {
    await Promise.all([app.close(), otlpApp.close()]);
    await runtime.queue.close();
    await control.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const tokens = { admin: BOOTSTRAP_TOKEN } as Record<TokenScope, string>;
  for (const scope of ['ingest', 'read', 'write'] as const) tokens[scope] = (await createToken(store, scope, `corpus ${scope}`)).token;
  const address = (a: FastifyInstance) => {
    const info = a.server.address();
    if (!info || typeof info === 'string') throw new Error('not listening');
    return `http://127.0.0.1:${info.port}`;
  };
  const url = address(app);
  return {
    url, otlpUrl: address(otlpApp), store, control, runtime, app, tokens,
    async get(path, scope = 'read') {
      const response = await fetch(url + path, { headers: { authorization: `Bearer ${tokens[scope]}` } });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    },
  };
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
