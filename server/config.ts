// Configuration: environment variables parsed once at start against one TypeBox schema.
// The schema is also the source of the README's table (see `configTable`), so the two never drift.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { parseDuration } from './query/time.ts';

const MiB = 1024 * 1024;

const env = {
  TELLTALE_PORT: { schema: Type.Integer({ minimum: 0, maximum: 65535 }), default: 8080, doc: 'HTTP port for the dashboard, the API and OTLP/HTTP.' },
  TELLTALE_HOST: { schema: Type.String({ minLength: 1 }), default: '0.0.0.0', doc: 'Address to listen on (`127.0.0.1` to keep it local).' },
  TELLTALE_OTLP_PORT: { schema: Type.Integer({ minimum: 0, maximum: 65535 }), default: 4318, doc: 'Second listener for OTLP/HTTP on its conventional port; `0` disables it.' },
  TELLTALE_DATA_DIR: { schema: Type.String({ minLength: 1 }), default: './data', doc: 'Where the SQLite database lives.' },
  TELLTALE_STORE: { schema: Type.Union([Type.Literal('sqlite'), Type.Literal('clickhouse')]), default: 'sqlite', doc: '`sqlite` (embedded) or `clickhouse` (telemetry in ClickHouse; control-plane state stays in SQLite on the control instance).' },
  TELLTALE_CLICKHOUSE_URL: { schema: Type.String({ pattern: '^https?://' }), default: 'http://localhost:8123', doc: 'ClickHouse HTTP interface, with `TELLTALE_STORE=clickhouse`.' },
  TELLTALE_CLICKHOUSE_USER: { schema: Type.String(), default: 'default', doc: 'ClickHouse user.' },
  TELLTALE_CLICKHOUSE_PASSWORD: { schema: Type.String(), default: '', doc: 'ClickHouse password.', secret: true },
  TELLTALE_CLICKHOUSE_DATABASE: { schema: Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), default: 'telltale', doc: 'ClickHouse database, created if missing.' },
  TELLTALE_ROLES: { schema: Type.String({ pattern: '^(all|ingest|query|scheduler|alerts|reports)(,(all|ingest|query|scheduler|alerts|reports))*$' }), default: 'all', doc: 'Comma-separated roles of this process: `ingest` (stateless receivers), `query`, `scheduler`, `alerts`, `reports`, or `all`.' },
  TELLTALE_SQLITE_SYNCHRONOUS: { schema: Type.Union([Type.Literal('NORMAL'), Type.Literal('FULL')]), default: 'NORMAL', doc: '`NORMAL`: survives a process crash, a power loss may lose the last commits. `FULL`: fsync every commit.' },
  TELLTALE_SQLITE_CACHE_MB: { schema: Type.Integer({ minimum: 1 }), default: 256, doc: 'SQLite page cache per connection (the writer and the reader each), MiB. RSS grows towards twice this under sustained ingest; lower it on small machines (ingest of random trace ids slows when the indexes no longer fit).' },
  TELLTALE_PUBLIC_URL: { schema: Type.String({ pattern: '^https?://' }), default: '', doc: 'URL people reach Telltale at, used in links in emails (default `http://localhost:PORT`).' },
  TELLTALE_BOOTSTRAP_TOKEN: { schema: Type.String({ minLength: 16 }), default: '', doc: 'An admin token accepted as is (automation, tests). At least 16 characters.' },
  TELLTALE_RETENTION_DAYS: { schema: Type.Number({ exclusiveMinimum: 0 }), default: 7, doc: 'Days raw calls and spans are kept.' },
  TELLTALE_ROLLUP_RETENTION_DAYS: { schema: Type.Number({ exclusiveMinimum: 0 }), default: 400, doc: 'Days hourly rollups are kept (minute rollups: 35 days or the raw retention if longer).' },
  TELLTALE_CONFIG: { schema: Type.String(), default: '', doc: 'YAML file with checks, alert rules, SLOs and log sources (default `telltale.yaml` in the working directory when present).' },
  TELLTALE_MAX_BODY_BYTES: { schema: Type.Integer({ minimum: 1024 }), default: 20 * MiB, doc: 'Largest request body, after decompression (413 above).' },
  TELLTALE_INGEST_TIMEOUT: { schema: Type.String({ pattern: '^[0-9]+(ms|s|m|h)$' }), default: '8s', doc: 'An ingest request (OTLP, gateway push) whose batch is not written within this is answered 503 with `Retry-After`, before the client gives up on its own timeout (OpenTelemetry SDKs: 10 s). A batch still queued is dropped from the queue; one being written may still commit, and the retry stores nothing twice.' },
  TELLTALE_INGEST_QUEUE_MAX: { schema: Type.Integer({ minimum: 1000 }), default: 200_000, doc: 'Spans waiting to be written above which ingest answers 503 with Retry-After.' },
  TELLTALE_INGEST_RATE_LIMIT_MB: { schema: Type.Number({ minimum: 0 }), default: 0, doc: 'Per-token ingest limit in MB/s of request bodies (as sent); above it ingest answers 429 with Retry-After and other tokens are unaffected. `0`: no limit.' },
  TELLTALE_INGEST_BURST_MB: { schema: Type.Number({ minimum: 0 }), default: 0, doc: 'How far above the rate a token may burst, in MB (default twice the rate, at least the largest body).' },
  TELLTALE_INGEST_MAX_AGE: { schema: Type.String({ pattern: '^[0-9]+(ms|s|m|h|d|w)$' }), default: '7d', doc: 'Spans, OTLP log records and pushed gateway lines older than this (a clock reset to 1970, an old replay) are rejected, the rest of the batch kept, counted as `out_of_window`. Use `telltale import` for old logs.' },
  TELLTALE_INGEST_MAX_FUTURE: { schema: Type.String({ pattern: '^[0-9]+(ms|s|m|h|d|w)$' }), default: '10m', doc: "How far ahead of Telltale's clock a span may start (sender clock skew); later ones are rejected like too old ones." },
  TELLTALE_INGEST_MEMORY_MAX_MB: { schema: Type.Number({ minimum: 0 }), default: 0, doc: 'Resident memory (MB) above which ingest answers 503 with Retry-After (counted as `memory_pressure`) while queries keep working. `0`: no watermark.' },
  TELLTALE_MAX_ROUTES_PER_SERVICE: { schema: Type.Integer({ minimum: 1 }), default: 500, doc: 'Distinct routes kept per service; calls on further routes are counted under the route `{other}`.' },
  TELLTALE_CONSUMER_ATTRIBUTES: { schema: Type.String(), default: 'enduser.id', doc: 'Span attributes that name the consumer of an API call, first present wins (e.g. `enduser.id,http.request.header.x-api-key,client.address`). Values of attributes named like key, token or auth are stored as a short SHA-256 digest.' },
  TELLTALE_CHECKS_DIR: { schema: Type.String(), default: '', doc: 'Folder of YAML check files, loaded at start and reloaded on change (default `checks` next to the config file, or in the working directory).' },
  TELLTALE_CHECKS_ALLOW_PRIVATE: { schema: Type.Union([Type.Literal('false'), Type.Literal('rfc1918'), Type.Literal('all')]), default: 'rfc1918', doc: 'Addresses checks may reach: `false` public only; `rfc1918` also private ranges and loopback; `all` also CGNAT/shared. Link-local and cloud metadata addresses are always refused.' },
  TELLTALE_SECRET_KEY: { schema: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' }), default: '', doc: 'Base64 of 32 bytes: the AES-256-GCM key that encrypts secret header values of checks and alert webhooks at rest. Default: a key created on first use in `<data dir>/secret.key` (mode 0600); keep it with backups.', secret: true },
  TELLTALE_ALERT_EVAL_INTERVAL: { schema: Type.String({ pattern: '^[0-9]+(ms|s|m|h)$' }), default: '15s', doc: 'How often alert rules are evaluated (`15s`, `1m` …).' },
  TELLTALE_SMTP_URL: { schema: Type.String({ pattern: '^smtps?://' }), default: '', doc: 'Mail server for alert and report emails, e.g. `smtp://user:pass@mail.example.com:587` (STARTTLS when offered) or `smtps://…:465`. Unset: emails wait in the outbox.', secret: true },
  TELLTALE_MAIL_FROM: { schema: Type.String({ minLength: 3 }), default: 'Telltale <telltale@localhost>', doc: 'From address of alert and report emails.' },
  TELLTALE_RUNBOOKS_DIR: { schema: Type.String(), default: '', doc: "Folder of the team's own runbooks (`*.md` with front matter), added to the shipped ones; a team runbook with a shipped id replaces it." },
  TELLTALE_LOG_LEVEL: { schema: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))), default: 'info', doc: 'Log level of the JSON logs on stdout.' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { schema: Type.String(), default: '', doc: "When set, Telltale exports its own traces there (never its own ingest requests)." },
} satisfies Record<string, { schema: TSchema; default: unknown; doc: string; secret?: true }>;

export type EnvName = keyof typeof env;

/** The parts a process can run; `ingest` instances are stateless and may be many. */
export type Role = 'ingest' | 'query' | 'scheduler' | 'alerts' | 'reports';
export const ROLES: readonly Role[] = ['ingest', 'query', 'scheduler', 'alerts', 'reports'];

function parseRoles(text: string): ReadonlySet<Role> {
  const names = text.split(',');
  return new Set(names.includes('all') ? ROLES : (names as Role[]));
}

export interface Config {
  port: number;
  host: string;
  otlpPort: number;
  dataDir: string;
  store: 'sqlite' | 'clickhouse';
  sqliteSynchronous: 'NORMAL' | 'FULL';
  sqliteCacheMiB: number;
  publicUrl: string;
  bootstrapToken: string | null;
  retentionDays: number;
  rollupRetentionDays: number;
  configFile: string | null;
  maxBodyBytes: number;
  ingestQueueMax: number;
  ingestTimeoutMs: number;
  /** Bytes per second per token; 0: no limit. */
  ingestRateBytesPerSecond: number;
  ingestBurstBytes: number;
  /** Spans starting before now − this are refused. */
  ingestMaxAgeMs: number;
  /** Spans starting after now + this are refused. */
  ingestMaxFutureMs: number;
  /** Resident memory above which ingest answers 503; 0: no watermark. */
  ingestMemoryMaxBytes: number;
  maxRoutesPerService: number;
  consumerAttributes: string[];
  /** Folder of YAML check files (it may not exist unless set explicitly). */
  checksDir: string;
  checksAllowPrivate: 'false' | 'rfc1918' | 'all';
  /** Base64 AES-256 key for check secrets; null: the data folder's key file. */
  secretKey: string | null;
  clickhouse: { url: string; user: string; password: string; database: string };
  /** Which parts run in this process; `all` expands to every role. */
  roles: ReadonlySet<Role>;
  alertEvalIntervalMs: number;
  /** Null: emails are queued in the outbox until a mail server is configured. */
  smtpUrl: string | null;
  mailFrom: string;
  /** The team's runbooks folder; null when unset. */
  runbooksDir: string | null;
  logLevel: string;
  selfTelemetryEndpoint: string | null;
  /** What the team keeps in its repository; empty sections until their features land. */
  file: ConfigFile;
}

const FormatName = Type.Union([
  Type.Literal('nginx'), Type.Literal('nginx-timed'), Type.Literal('envoy'), Type.Literal('envoy-json'),
  Type.Literal('kong'), Type.Literal('traefik'), Type.Literal('aws'), Type.Literal('json'),
]);
const Consumer = Type.Union([Type.Literal('log'), Type.Literal('client-address'), Type.Literal('none')]);

const ConfigFileSchema = Type.Object({
  checks: Type.Optional(Type.Array(Type.Unknown())),
  alertRules: Type.Optional(Type.Array(Type.Unknown())),
  slos: Type.Optional(Type.Array(Type.Unknown())),
  reportSchedules: Type.Optional(Type.Array(Type.Unknown())),
  /** Named access-log formats: an nginx log_format, or a JSON field mapping. */
  logFormats: Type.Optional(Type.Record(Type.String({ pattern: '^[a-z0-9][a-z0-9_-]*$' }), Type.Object({
    format: FormatName,
    logFormat: Type.Optional(Type.String()),
    consumerVariable: Type.Optional(Type.String()),
    mapping: Type.Optional(Type.Object({
      time: Type.String(), method: Type.String(), path: Type.String(), status: Type.String(),
      durationMs: Type.Optional(Type.String()),
      durationUnit: Type.Optional(Type.Union([Type.Literal('ms'), Type.Literal('s'), Type.Literal('us'), Type.Literal('ns')])),
      route: Type.Optional(Type.String()), service: Type.Optional(Type.String()), consumer: Type.Optional(Type.String()),
      clientAddress: Type.Optional(Type.String()), requestId: Type.Optional(Type.String()),
    }, { additionalProperties: false })),
  }, { additionalProperties: false }))),
  /** Access-log files Telltale follows. */
  sources: Type.Optional(Type.Array(Type.Object({
    path: Type.String({ minLength: 1 }),
    format: Type.String({ minLength: 1 }),
    service: Type.Optional(Type.String({ minLength: 1 })),
    consumer: Type.Optional(Consumer),
  }, { additionalProperties: false }))),
  /** Route templates for raw paths, for one service or all. */
  routeTemplates: Type.Optional(Type.Array(Type.Object({
    service: Type.Optional(Type.String()),
    route: Type.String({ pattern: '^/' }),
  }, { additionalProperties: false }))),
}, { additionalProperties: false });
export type ConfigFile = Static<typeof ConfigFileSchema>;

/** A configuration problem: the message is one line naming the variable or file. */
export class ConfigError extends Error {}

function readVar<K extends EnvName>(name: K, source: NodeJS.ProcessEnv): Static<(typeof env)[K]['schema']> {
  const spec = env[name];
  const raw = source[name];
  if (raw === undefined || raw === '') return spec.default;
  const value: unknown = Value.Convert(spec.schema, raw);
  if (!Value.Check(spec.schema, value)) {
    const first = Value.Errors(spec.schema, value).First();
    // A key must not reach logs, even a malformed one.
    const shown = 'secret' in spec ? '(value hidden)' : JSON.stringify(raw);
    throw new ConfigError(`${name}=${shown} is invalid: ${first?.message ?? 'bad value'}`);
  }
  return value;
}

/** Parses the environment (and the config file it names); throws ConfigError with one clear line. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const port = readVar('TELLTALE_PORT', source);
  const store = readVar('TELLTALE_STORE', source);
  const configFile = readVar('TELLTALE_CONFIG', source) || (existsSync(resolve(cwd, 'telltale.yaml')) ? 'telltale.yaml' : '');
  const endpoint = readVar('OTEL_EXPORTER_OTLP_ENDPOINT', source);
  const checksDirSet = readVar('TELLTALE_CHECKS_DIR', source);
  const checksDir = resolve(cwd, checksDirSet || (configFile ? resolve(cwd, configFile, '..', 'checks') : 'checks'));
  // An explicit folder that is not there is a typo worth stopping for; the default may be absent.
  if (checksDirSet && !existsSync(checksDir)) throw new ConfigError(`TELLTALE_CHECKS_DIR: ${checksDir} does not exist`);
  return {
    port,
    host: readVar('TELLTALE_HOST', source),
    otlpPort: readVar('TELLTALE_OTLP_PORT', source),
    dataDir: resolve(cwd, readVar('TELLTALE_DATA_DIR', source)),
    store,
    sqliteSynchronous: readVar('TELLTALE_SQLITE_SYNCHRONOUS', source),
    sqliteCacheMiB: readVar('TELLTALE_SQLITE_CACHE_MB', source),
    publicUrl: (readVar('TELLTALE_PUBLIC_URL', source) || `http://localhost:${port}`).replace(/\/+$/, ''),
    bootstrapToken: readVar('TELLTALE_BOOTSTRAP_TOKEN', source) || null,
    retentionDays: readVar('TELLTALE_RETENTION_DAYS', source),
    rollupRetentionDays: readVar('TELLTALE_ROLLUP_RETENTION_DAYS', source),
    configFile: configFile ? resolve(cwd, configFile) : null,
    maxBodyBytes: readVar('TELLTALE_MAX_BODY_BYTES', source),
    ingestQueueMax: readVar('TELLTALE_INGEST_QUEUE_MAX', source),
    ingestTimeoutMs: parseDuration(readVar('TELLTALE_INGEST_TIMEOUT', source)) ?? 8000,
    ...ingestLimits(readVar('TELLTALE_INGEST_RATE_LIMIT_MB', source), readVar('TELLTALE_INGEST_BURST_MB', source), readVar('TELLTALE_MAX_BODY_BYTES', source)),
    ingestMaxAgeMs: parseDuration(readVar('TELLTALE_INGEST_MAX_AGE', source)) ?? 0,
    ingestMaxFutureMs: parseDuration(readVar('TELLTALE_INGEST_MAX_FUTURE', source)) ?? 0,
    ingestMemoryMaxBytes: readVar('TELLTALE_INGEST_MEMORY_MAX_MB', source) * MiB,
    maxRoutesPerService: readVar('TELLTALE_MAX_ROUTES_PER_SERVICE', source),
    consumerAttributes: readVar('TELLTALE_CONSUMER_ATTRIBUTES', source).split(',').map((s) => s.trim()).filter(Boolean),
    checksDir,
    checksAllowPrivate: readVar('TELLTALE_CHECKS_ALLOW_PRIVATE', source),
    secretKey: readVar('TELLTALE_SECRET_KEY', source) || null,
    clickhouse: {
      url: readVar('TELLTALE_CLICKHOUSE_URL', source),
      user: readVar('TELLTALE_CLICKHOUSE_USER', source),
      password: readVar('TELLTALE_CLICKHOUSE_PASSWORD', source),
      database: readVar('TELLTALE_CLICKHOUSE_DATABASE', source),
    },
    roles: parseRoles(readVar('TELLTALE_ROLES', source)),
    alertEvalIntervalMs: parseEvalInterval(readVar('TELLTALE_ALERT_EVAL_INTERVAL', source)),
    smtpUrl: readVar('TELLTALE_SMTP_URL', source) || null,
    mailFrom: readVar('TELLTALE_MAIL_FROM', source),
    runbooksDir: runbooksDir(readVar('TELLTALE_RUNBOOKS_DIR', source), cwd),
    logLevel: readVar('TELLTALE_LOG_LEVEL', source),
    selfTelemetryEndpoint: endpoint || null,
    file: configFile ? loadConfigFile(resolve(cwd, configFile)) : {},
  };
}

function ingestLimits(rateMb: number, burstMb: number, maxBodyBytes: number) {
  const rate = rateMb * MiB;
  // A burst smaller than the largest accepted body would refuse that body forever.
  const burst = burstMb > 0 ? burstMb * MiB : 2 * rate;
  return { ingestRateBytesPerSecond: rate, ingestBurstBytes: rate > 0 ? Math.max(burst, maxBodyBytes) : 0 };
}

function parseEvalInterval(text: string): number {
  const ms = parseDuration(text);
  // Below a second the evaluator would spend its time querying; above an hour `for` loses meaning.
  if (ms === null || ms < 1000 || ms > 3_600_000) throw new ConfigError(`TELLTALE_ALERT_EVAL_INTERVAL=${JSON.stringify(text)} must be between 1s and 1h`);
  return ms;
}

function runbooksDir(text: string, cwd: string): string | null {
  if (!text) return null;
  const dir = resolve(cwd, text);
  if (!existsSync(dir)) throw new ConfigError(`TELLTALE_RUNBOOKS_DIR: ${dir} does not exist`);
  return dir;
}

function loadConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`TELLTALE_CONFIG: cannot read ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${path}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Value.Check(ConfigFileSchema, doc)) {
    const first = Value.Errors(ConfigFileSchema, doc).First();
    throw new ConfigError(`${path}: ${first?.path || '/'} ${first?.message ?? 'is invalid'}`);
  }
  return doc;
}

/** The README's configuration table, generated from the schema above. */
export function configTable(): string {
  const rows = Object.entries(env).map(([name, spec]) => {
    const shown = spec.default === '' ? '—' : `\`${String(spec.default)}\``;
    return `| \`${name}\` | ${shown} | ${spec.doc} |`;
  });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
