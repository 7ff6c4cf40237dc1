// The CLI entry: `serve` (the default) runs Telltale: reads config once, opens the store,
// listens, and shuts down cleanly on SIGTERM/SIGINT. Other commands live in cli/.
import { dirname } from 'node:path';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { openStores, type Stores } from './open-store.ts';
import { fail } from './cli/fail.ts';

const DAY_MS = 86_400_000;
const MINUTE_ROLLUP_DAYS = 35;

function config(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

async function retention(stores: Stores, cfg: Config, now: number): Promise<number> {
  const removed = await stores.store.applyRetention({
    rawBeforeMs: now - cfg.retentionDays * DAY_MS,
    minuteRollupsBeforeMs: now - Math.max(MINUTE_ROLLUP_DAYS, cfg.retentionDays) * DAY_MS,
    hourRollupsBeforeMs: now - cfg.rollupRetentionDays * DAY_MS,
  });
  // Alert history and delivered messages are kept as long as the hourly rollups: SLA reports
  // list the incidents of any period they can still compute.
  return removed + await stores.control.prune(now - cfg.rollupRetentionDays * DAY_MS);
}

async function serve(): Promise<void> {
  const cfg = config();
  const telemetry = cfg.selfTelemetryEndpoint ? await (await import('./self-telemetry.ts')).startSelfTelemetry(cfg.selfTelemetryEndpoint) : null;
  // Imported after telemetry starts so the http module is instrumented.
  const [{ buildApp, buildOtlpApp, createRuntime }, { createMetrics }, { createToken }, { startSources }] = await Promise.all([
    import('./app.ts'), import('./metrics.ts'), import('./auth/tokens.ts'), import('../collector/tail/index.ts'),
  ]);
  const stores = await openStores(cfg);
  const { control } = stores;
  // The control instance notices deploys in the traces it stores (ingest-only instances leave it to the API).
  const detector = cfg.roles.has('query')
    ? await (await import('./deploys/detector.ts')).DeployDetector.open(control, (err) => console.error('telltale: recording a deploy failed:', err))
    : null;
  const store = detector ? detector.wrap(stores.store) : stores.store;
  // Only the control instance makes the first admin token: ingest instances starting together would each make one.
  const isControl = cfg.roles.has('query');
  if (isControl && !cfg.bootstrapToken && (await store.listTokens()).length === 0) {
    const { token } = await createToken(store, 'admin', 'first-start admin');
    console.log(`\nTelltale created an admin token. It is shown only this once; keep it safe:\n\n  ${token}\n\nCreate narrower tokens with: npm run telltale -- token create --scope ingest --name my-api\n`);
  }
  let runtime;
  try {
    runtime = createRuntime({ config: cfg, store, control, metrics: createMetrics(), now: Date.now });
  } catch (err) {
    await stores.close();
    fail(`${cfg.configFile ?? 'config'}: ${(err as Error).message}`);
  }
  // Routes the store already holds: templates learned before a restart, and the per-service caps.
  const known = await store.aggregate({ fromMs: Date.now() - 7 * DAY_MS, toMs: Date.now() + 60_000, filter: {}, groupBy: ['service', 'route'] });
  runtime.routes.seed(known.map((row) => ({ service: row.group.service ?? '', route: row.group.route ?? '' })));
  const app = await buildApp(runtime);
  const otlpApp = cfg.otlpPort === 0 ? null : await buildOtlpApp(runtime);
  // Relative paths in the config file are relative to the file, not to where Telltale started.
  const tails = await startSources(runtime, cfg.roles.has('ingest') ? cfg.file.sources ?? [] : [], app.log, {
    baseDir: cfg.configFile ? dirname(cfg.configFile) : process.cwd(),
    // A batch larger than the queue would be refused forever.
    maxLinesPerBatch: Math.min(2000, Math.floor(cfg.ingestQueueMax / 2)),
  }).catch(async (err: unknown) => {
    await stores.close();
    fail(`${cfg.configFile ?? 'config'}: ${(err as Error).message}`);
  });

  // After the store and queue, before the ports open: a bad check, rule, SLO or schedule stops start here.
  const controlPlane = await (await import('./control-plane.ts')).startControlPlane(runtime, cfg, app.log).catch(async (err: unknown) => {
    await tails.close();
    await stores.close();
    fail((err as Error).message);
  });

  const sweep = () => retention(stores, cfg, Date.now()).then(
    (removed) => removed > 0 && app.log.info({ removed }, 'retention removed old data'),
    (err: unknown) => app.log.error({ err }, 'retention failed'),
  );
  // Retention is the control instance's job: ingest instances would all issue the same deletes.
  const retentionTimer = isControl ? setInterval(() => void sweep(), 3_600_000) : null;
  if (isControl) void sweep();
  retentionTimer?.unref();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining ingest');
    runtime.draining = true;
    if (retentionTimer) clearInterval(retentionTimer);
    // Our own last spans go first, while the listener (which may be their destination) is up.
    await telemetry?.close().catch((err: unknown) => app.log.warn({ err }, 'self-telemetry flush failed'));
    // Stop accepting and tailing, let in-flight requests finish (their batches are in the queue), then write it out.
    // The control plane closes before the queue: check runs in flight still hand their results to it.
    await Promise.all([app.close(), otlpApp?.close(), tails.close(), controlPlane.close()]);
    await runtime.queue.close();
    await stores.close();
    process.exit(0);
  };
  // Handlers before the ports open: a SIGTERM right after start must still drain cleanly.
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutdown(signal));
  await app.listen({ port: cfg.port, host: cfg.host });
  if (otlpApp) await otlpApp.listen({ port: cfg.otlpPort, host: cfg.host });
}

const USAGE = `usage: telltale [serve]            start Telltale (configured by TELLTALE_* variables)
       telltale token create --scope ingest|read|write|admin --name NAME
       telltale token list
       telltale import --format FORMAT [--service NAME] [--consumer log|client-address|none] FILE[.gz]…
       telltale checks validate [FILE…]
       telltale checks plan|apply --url URL --token TOKEN [--prune] [FILE…]
       telltale checks export --url URL --token TOKEN
       telltale migrate --to clickhouse [--from FILE] [--batch-rows N]
       telltale rules test FILE.yaml…
       telltale report sla [--from T] [--to T] [--format csv|json|html] [--scope all|tag:T|service:S] [--time-zone TZ]`;

const [command = 'serve', ...rest] = process.argv.slice(2);
switch (command) {
  case 'serve': await serve(); break;
  case 'token': await (await import('./cli/token.ts')).tokenCommand(rest, config()); break;
  case 'import': await (await import('./cli/import.ts')).importCommand(rest, config()); break;
  case 'checks': await (await import('./cli/checks.ts')).checksCommand(rest, config); break;
  case 'report': await (await import('./cli/report.ts')).reportCommand(rest, config()); break;
  case 'migrate': await (await import('./cli/migrate.ts')).migrateCommand(rest, config()); break;
  case 'rules': await (await import('./cli/rules.ts')).rulesCommand(rest, config); break;
  case 'help': case '--help': console.log(USAGE); break;
  default: fail(`unknown command "${command}"\n${USAGE}`);
}
