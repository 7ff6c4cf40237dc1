// A real Telltale for tests: a fresh SQLite file, both listeners on port 0, a bootstrap admin
// token and tokens of every scope, torn down by the test context.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { openSqliteControlStore, openSqliteStore, type ControlStore, type Store, type TokenScope } from '../../store/index.ts';
import { buildApp, buildOtlpApp, createRuntime, type AppDeps, type Runtime } from '../../server/app.ts';
import { createToken } from '../../server/auth/tokens.ts';
import { createMetrics } from '../../server/metrics.ts';
import type { ConfigFile } from '../../server/config.ts';

export interface TestTelltale {
  url: string;
  otlpUrl: string;
  store: Store;
  control: ControlStore;
  runtime: Runtime;
  app: FastifyInstance;
  tokens: Record<TokenScope, string>;
  /** GET an API path with a token of the given scope (read by default) and parse JSON. */
  get(path: string, scope?: TokenScope): Promise<{ status: number; body: any }>;
}

export interface TestTelltaleOptions {
  now?: () => number;
  maxBodyBytes?: number;
  ingestQueueMax?: number;
  maxRoutesPerService?: number;
  ingestRateBytesPerSecond?: number;
  ingestBurstBytes?: number;
  runbooksDir?: string;
  file?: ConfigFile;
  /** Any other configuration, applied last. */
  config?: Partial<AppDeps['config']>;
}

export const BOOTSTRAP_TOKEN = 'test-bootstrap-token-0123456789';

/** `t` may also be node:test's `after`-holder for one Telltale per file. */
export async function startTelltale(t: Pick<TestContext, 'after'>, options: TestTelltaleOptions = {}): Promise<TestTelltale> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-test-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  const control = await openSqliteControlStore({ file: join(dir, 'telltale.db') });
  const runtime = createRuntime({
    config: {
      bootstrapToken: BOOTSTRAP_TOKEN,
      maxBodyBytes: options.maxBodyBytes ?? 20 * 1024 * 1024,
      ingestQueueMax: options.ingestQueueMax ?? 200_000,
      consumerAttributes: ['enduser.id'],
      publicUrl: 'http://localhost',
      logLevel: 'silent',
      maxRoutesPerService: options.maxRoutesPerService ?? 500,
      file: options.file,
      dataDir: dir,
      ...(options.ingestRateBytesPerSecond ? { ingestRateBytesPerSecond: options.ingestRateBytesPerSecond, ingestBurstBytes: options.ingestBurstBytes ?? 2 * options.ingestRateBytesPerSecond } : {}),
      ...(options.runbooksDir ? { runbooksDir: options.runbooksDir } : {}),
      ...options.config,
    },
    store,
    control,
    metrics: createMetrics(),
    now: options.now ?? Date.now,
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
  for (const scope of ['ingest', 'read', 'write'] as const) tokens[scope] = (await createToken(store, scope, `test ${scope}`)).token;
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
