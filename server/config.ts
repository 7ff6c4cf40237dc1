// Configuration: environment variables parsed once at start against one TypeBox schema.
// The schema is also the source of the README's table (see `configTable`), so the two never drift.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';

const MiB = 1024 * 1024;

const env = {
  TELLTALE_PORT: { schema: Type.Integer({ minimum: 0, maximum: 65535 }), default: 8080, doc: 'HTTP port for the dashboard, the API and OTLP/HTTP.' },
  TELLTALE_HOST: { schema: Type.String({ minLength: 1 }), default: '0.0.0.0', doc: 'Address to listen on (`127.0.0.1` to keep it local).' },
  TELLTALE_OTLP_PORT: { schema: Type.Integer({ minimum: 0, maximum: 65535 }), default: 4318, doc: 'Second listener for OTLP/HTTP on its conventional port; `0` disables it.' },
  TELLTALE_DATA_DIR: { schema: Type.String({ minLength: 1 }), default: './data', doc: 'Where the SQLite database lives.' },
  TELLTALE_STORE: { schema: Type.Union([Type.Literal('sqlite'), Type.Literal('clickhouse')]), default: 'sqlite', doc: '`sqlite` (embedded). `clickhouse` is planned and refused at start for now.' },
  TELLTALE_SQLITE_SYNCHRONOUS: { schema: Type.Union([Type.Literal('NORMAL'), Type.Literal('FULL')]), default: 'NORMAL', doc: '`NORMAL`: survives a process crash, a power loss may lose the last commits. `FULL`: fsync every commit.' },
  TELLTALE_PUBLIC_URL: { schema: Type.String({ pattern: '^https?://' }), default: '', doc: 'URL people reach Telltale at, used in links in emails (default `http://localhost:PORT`).' },
  TELLTALE_BOOTSTRAP_TOKEN: { schema: Type.String({ minLength: 16 }), default: '', doc: 'An admin token accepted as is (automation, tests). At least 16 characters.' },
  TELLTALE_RETENTION_DAYS: { schema: Type.Number({ exclusiveMinimum: 0 }), default: 7, doc: 'Days raw calls and spans are kept.' },
  TELLTALE_ROLLUP_RETENTION_DAYS: { schema: Type.Number({ exclusiveMinimum: 0 }), default: 400, doc: 'Days hourly rollups are kept (minute rollups: 35 days or the raw retention if longer).' },
  TELLTALE_CONFIG: { schema: Type.String(), default: '', doc: 'YAML file with checks, alert rules, SLOs and log sources (default `telltale.yaml` in the working directory when present).' },
  TELLTALE_MAX_BODY_BYTES: { schema: Type.Integer({ minimum: 1024 }), default: 20 * MiB, doc: 'Largest request body, after decompression (413 above).' },
  TELLTALE_INGEST_QUEUE_MAX: { schema: Type.Integer({ minimum: 1000 }), default: 200_000, doc: 'Spans waiting to be written above which ingest answers 503 with Retry-After.' },
  TELLTALE_MAX_ROUTES_PER_SERVICE: { schema: Type.Integer({ minimum: 1 }), default: 500, doc: 'Distinct routes kept per service; calls on further routes are counted under the route `{other}`.' },
  TELLTALE_CONSUMER_ATTRIBUTES: { schema: Type.String(), default: 'enduser.id', doc: 'Span attributes that name the consumer of an API call, first present wins (e.g. `enduser.id,http.request.header.x-api-key,client.address`). Values of attributes named like key, token or auth are stored as a short SHA-256 digest.' },
  TELLTALE_CHECKS_DIR: { schema: Type.String(), default: '', doc: 'Folder of YAML check files, loaded at start and reloaded on change (default `checks` next to the config file, or in the working directory).' },
  TELLTALE_CHECKS_ALLOW_PRIVATE: { schema: Type.Union([Type.Literal('false'), Type.Literal('rfc1918'), Type.Literal('all')]), default: 'rfc1918', doc: 'Addresses checks may reach: `false` public only; `rfc1918` also private ranges and loopback; `all` also CGNAT/shared. Link-local and cloud metadata addresses are always refused.' },
  TELLTALE_SECRET_KEY: { schema: Type.String({ pattern: '^[A-Za-z0-9+/]{43}=$' }), default: '', doc: 'Base64 of 32 bytes: the AES-256-GCM key that encrypts secret header values of checks at rest. Default: a key created on first use in `<data dir>/secret.key` (mode 0600); keep it with backups.', secret: true },
  TELLTALE_LOG_LEVEL: { schema: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))), default: 'info', doc: 'Log level of the JSON logs on stdout.' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { schema: Type.String(), default: '', doc: "When set, Telltale exports its own traces there (never its own ingest requests)." },
} satisfies Record<string, { schema: TSchema; default: unknown; doc: string; secret?: true }>;

export type EnvName = keyof typeof env;

export interface Config {
  port: number;
  host: string;
  otlpPort: number;
  dataDir: string;
  store: 'sqlite' | 'clickhouse';
  sqliteSynchronous: 'NORMAL' | 'FULL';
  publicUrl: string;
  bootstrapToken: string | null;
  retentionDays: number;
  rollupRetentionDays: number;
  configFile: string | null;
  maxBodyBytes: number;
  ingestQueueMax: number;
  maxRoutesPerService: number;
  consumerAttributes: string[];
  /** Folder of YAML check files (it may not exist unless set explicitly). */
  checksDir: string;
  checksAllowPrivate: 'false' | 'rfc1918' | 'all';
  /** Base64 AES-256 key for check secrets; null: the data folder's key file. */
  secretKey: string | null;
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
  if (store === 'clickhouse') throw new ConfigError('TELLTALE_STORE=clickhouse is not available yet: use sqlite');
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
    publicUrl: (readVar('TELLTALE_PUBLIC_URL', source) || `http://localhost:${port}`).replace(/\/+$/, ''),
    bootstrapToken: readVar('TELLTALE_BOOTSTRAP_TOKEN', source) || null,
    retentionDays: readVar('TELLTALE_RETENTION_DAYS', source),
    rollupRetentionDays: readVar('TELLTALE_ROLLUP_RETENTION_DAYS', source),
    configFile: configFile ? resolve(cwd, configFile) : null,
    maxBodyBytes: readVar('TELLTALE_MAX_BODY_BYTES', source),
    ingestQueueMax: readVar('TELLTALE_INGEST_QUEUE_MAX', source),
    maxRoutesPerService: readVar('TELLTALE_MAX_ROUTES_PER_SERVICE', source),
    consumerAttributes: readVar('TELLTALE_CONSUMER_ATTRIBUTES', source).split(',').map((s) => s.trim()).filter(Boolean),
    checksDir,
    checksAllowPrivate: readVar('TELLTALE_CHECKS_ALLOW_PRIVATE', source),
    secretKey: readVar('TELLTALE_SECRET_KEY', source) || null,
    logLevel: readVar('TELLTALE_LOG_LEVEL', source),
    selfTelemetryEndpoint: endpoint || null,
    file: configFile ? loadConfigFile(resolve(cwd, configFile)) : {},
  };
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
